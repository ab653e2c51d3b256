"""Golden values for softmax and logSoftmax along an axis (forward and gradients)."""
import torch

from fixture_io import case, leaf, write

g = torch.Generator().manual_seed(1)
cases = {}
for name, fn, shape, axis in [
    ("softmax_axis1", torch.softmax, (2, 3, 4), 1),
    ("softmax_last", torch.softmax, (3, 5), -1),
    ("log_softmax_axis0", torch.log_softmax, (4, 3), 0),
    ("log_softmax_last", torch.log_softmax, (2, 2, 5), -1),
]:
    x = leaf(*shape, lo=-3.0, hi=3.0, gen=g)
    out = fn(x, axis)
    w = torch.rand(out.shape, generator=g)
    (out * w).sum().backward()
    cases[name] = case(x=x, w=w, out=out, grad_x=x.grad, axis=axis)

write("softmax", __file__.split("/")[-1], cases)
