"""Golden values for layerNorm, groupNorm and batchNorm (train and eval), forward and gradients."""
import torch
import torch.nn.functional as F

from fixture_io import case, leaf, write

g = torch.Generator().manual_seed(2)
cases = {}

for name, shape, normalized, affine in [("layer_norm_affine", (2, 3, 4), [4], True),
                                        ("layer_norm_plain", (2, 3, 4), [3, 4], False)]:
    x = leaf(*shape, lo=-2.0, hi=2.0, gen=g)
    weight = leaf(*normalized, lo=0.5, hi=1.5, gen=g) if affine else None
    bias = leaf(*normalized, gen=g) if affine else None
    out = F.layer_norm(x, normalized, weight, bias, 1e-5)
    w = torch.rand(out.shape, generator=g)
    (out * w).sum().backward()
    extra = dict(weight=weight, bias=bias, grad_weight=weight.grad, grad_bias=bias.grad) if affine else {}
    cases[name] = case(x=x, w=w, out=out, grad_x=x.grad, normalized_shape=normalized, **extra)

x = leaf(2, 4, 3, 3, lo=-2.0, hi=2.0, gen=g)
weight = leaf(4, lo=0.5, hi=1.5, gen=g)
bias = leaf(4, gen=g)
out = F.group_norm(x, 2, weight, bias, 1e-5)
w = torch.rand(out.shape, generator=g)
(out * w).sum().backward()
cases["group_norm"] = case(x=x, w=w, out=out, weight=weight, bias=bias, grad_x=x.grad, grad_weight=weight.grad,
                           grad_bias=bias.grad, groups=2)

for name, training in [("batch_norm_train", True), ("batch_norm_eval", False)]:
    x = leaf(3, 2, 2, 3, lo=-2.0, hi=2.0, gen=g)
    weight = leaf(2, lo=0.5, hi=1.5, gen=g)
    bias = leaf(2, gen=g)
    running_mean = torch.rand(2, generator=g) - 0.5
    running_var = torch.rand(2, generator=g) + 0.5
    rm, rv = running_mean.clone(), running_var.clone()
    out = F.batch_norm(x, rm, rv, weight, bias, training, 0.1, 1e-5)
    w = torch.rand(out.shape, generator=g)
    (out * w).sum().backward()
    cases[name] = case(x=x, w=w, out=out, weight=weight, bias=bias, running_mean=running_mean,
                       running_var=running_var, running_mean_after=rm, running_var_after=rv, grad_x=x.grad,
                       grad_weight=weight.grad, grad_bias=bias.grad, momentum=0.1)

# silu(group_norm(x + shift[:, :, None, None])): Normalization.groupNormSilu, the U-Net residual block's fused op
x = leaf(2, 6, 3, 5, lo=-2.0, hi=2.0, gen=g)
shift = leaf(2, 6, gen=g)
weight = leaf(6, lo=0.5, hi=1.5, gen=g)
bias = leaf(6, gen=g)
out = F.silu(F.group_norm(x + shift[:, :, None, None], 3, weight, bias, 1e-5))
w = torch.rand(out.shape, generator=g)
(out * w).sum().backward()
cases["group_norm_silu"] = case(x=x, shift=shift, w=w, out=out, weight=weight, bias=bias, grad_x=x.grad,
                                grad_shift=shift.grad, grad_weight=weight.grad, grad_bias=bias.grad, groups=3)

write("norms", __file__.split("/")[-1], cases)
