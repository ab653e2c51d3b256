"""Golden values for conv1d, conv2d and convTranspose2d: stride, padding, dilation and groups, with gradients."""
import torch
import torch.nn.functional as F

from fixture_io import case, leaf, write

g = torch.Generator().manual_seed(3)
cases = {}


def run(name, fn, x_shape, w_shape, bias, **params):
    x = leaf(*x_shape, gen=g)
    weight = leaf(*w_shape, gen=g)
    b = leaf(bias, gen=g) if bias else None
    out = fn(x, weight, b, **params)
    w = torch.rand(out.shape, generator=g)
    (out * w).sum().backward()
    extra = dict(bias=b, grad_bias=b.grad) if bias else {}
    cases[name] = case(x=x, weight=weight, w=w, out=out, grad_x=x.grad, grad_weight=weight.grad,
                       **{k: list(v) if isinstance(v, tuple) else v for k, v in params.items()}, **extra)


run("conv2d_basic", F.conv2d, (2, 3, 5, 5), (4, 3, 3, 3), 4, stride=1, padding=0, dilation=1, groups=1)
run("conv2d_stride2_pad1", F.conv2d, (1, 2, 6, 5), (3, 2, 3, 3), 3, stride=2, padding=1, dilation=1, groups=1)
run("conv2d_dilation2", F.conv2d, (1, 2, 7, 7), (2, 2, 3, 2), 0, stride=1, padding=2, dilation=2, groups=1)
run("conv2d_groups2", F.conv2d, (2, 4, 5, 4), (6, 2, 3, 3), 6, stride=(2, 1), padding=(1, 0), dilation=1, groups=2)
run("conv1d_groups2_stride2", F.conv1d, (2, 4, 9), (4, 2, 3), 4, stride=2, padding=1, dilation=1, groups=2)
run("conv1d_dilation", F.conv1d, (1, 2, 8), (3, 2, 2), 0, stride=1, padding=0, dilation=3, groups=1)
run("conv_transpose2d_basic", F.conv_transpose2d, (2, 3, 3, 3), (3, 2, 3, 3), 2, stride=1, padding=0,
    output_padding=0, groups=1, dilation=1)
run("conv_transpose2d_stride2", F.conv_transpose2d, (1, 2, 3, 4), (2, 3, 4, 4), 3, stride=2, padding=1,
    output_padding=0, groups=1, dilation=1)
run("conv_transpose2d_outpad_groups", F.conv_transpose2d, (1, 4, 3, 3), (4, 1, 3, 3), 2, stride=2, padding=1,
    output_padding=1, groups=2, dilation=1)
run("conv_transpose2d_dilation", F.conv_transpose2d, (1, 2, 3, 3), (2, 2, 2, 3), 0, stride=2, padding=0,
    output_padding=1, groups=1, dilation=2)

write("conv", __file__.split("/")[-1], cases)
