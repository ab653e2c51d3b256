"""Golden values for the losses (forward and gradients, float64)."""
import torch
import torch.nn.functional as F

from fixture_io import case, leaf, write

g = torch.Generator().manual_seed(4)
cases = {}


def run(name, fn, x, y=None, **params):
    out = fn(x) if y is None else fn(x, y)
    out.backward()
    grads = {"grad_x": x.grad}
    if y is not None and y.requires_grad:
        grads["grad_y"] = y.grad
    inputs = {"x": x} if y is None else {"x": x, "y": y}
    cases[name] = case(**inputs, out=out, **grads, **params)


run("mse", F.mse_loss, leaf(2, 3, gen=g), leaf(2, 3, gen=g))
run("l1", F.l1_loss, leaf(3, 4, gen=g), leaf(3, 4, gen=g))
run("bce_with_logits", F.binary_cross_entropy_with_logits, leaf(2, 3, lo=-4, hi=4, gen=g),
    leaf(2, 3, lo=0, hi=1, gen=g))

targets = torch.tensor([2, 0, 3])
run("cross_entropy", lambda x: F.cross_entropy(x, targets), leaf(3, 4, lo=-3, hi=3, gen=g), targets=targets)
targets_sm = torch.tensor([2, -100, 3])
run("cross_entropy_ignore_smoothing", lambda x: F.cross_entropy(x, targets_sm, ignore_index=-100,
                                                                  label_smoothing=0.2),
    leaf(3, 4, lo=-3, hi=3, gen=g), targets=targets_sm, ignore=-100, smoothing=0.2)
targets_sp = torch.tensor([[1, 2], [7, 0]])
run("cross_entropy_spatial", lambda x: F.cross_entropy(x, targets_sp, ignore_index=7, label_smoothing=0.1),
    leaf(2, 3, 2, lo=-2, hi=2, gen=g), targets=targets_sp, ignore=7, smoothing=0.1)
targets_nll = torch.tensor([1, 2])
run("nll", lambda x: F.nll_loss(F.log_softmax(x, dim=1), targets_nll), leaf(2, 3, gen=g), targets=targets_nll)
targets_nll_sp = torch.tensor([[0, 2], [-100, 1]])
run("nll_spatial", lambda x: F.nll_loss(x, targets_nll_sp), leaf(2, 3, 2, gen=g), targets=targets_nll_sp)


def kl(mu, logvar):
    return (-0.5 * (1 + logvar - mu.pow(2) - logvar.exp()).sum(-1)).mean()


run("gaussian_kl", kl, leaf(2, 3, gen=g), leaf(2, 3, gen=g))

write("losses", __file__.split("/")[-1], cases)
