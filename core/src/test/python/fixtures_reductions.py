"""Golden values for var, max, min, logsumexp, argmax, cumsum and cumprod (forward and gradients, float64)."""
import torch

from fixture_io import case, leaf, write

g = torch.Generator().manual_seed(3)
cases = {}


def run(name, fn, x, **params):
    out = fn(x)
    w = torch.rand(out.shape, generator=g)
    (out * w).sum().backward()
    cases[name] = case(x=x, w=w, out=out, grad_x=x.grad, **params)


run("var_axes_keepdims", lambda x: torch.var(x, dim=(0, 2), keepdim=True, unbiased=True), leaf(2, 3, 2, gen=g),
    axes=[0, 2], keep=1, correction=1)
run("var_all_population", lambda x: torch.var(x, unbiased=False), leaf(3, 4, gen=g), axes=[], keep=0,
    correction=0)
run("max_axis", lambda x: torch.max(x, dim=1).values, leaf(2, 4, 3, gen=g), axis=1, keep=0)
run("min_axis_keepdims", lambda x: torch.min(x, dim=-1, keepdim=True).values, leaf(3, 4, gen=g), axis=-1, keep=1)
run("logsumexp_axis", lambda x: torch.logsumexp(x * 30, dim=1), leaf(2, 5, gen=g), axes=[1], keep=0, scale=30)
run("logsumexp_all_keepdims", lambda x: torch.logsumexp(x, dim=(0, 1), keepdim=True), leaf(2, 3, gen=g),
    axes=[0, 1], keep=1, scale=1)
run("cumsum", lambda x: torch.cumsum(x, dim=1), leaf(2, 4, 3, gen=g), axis=1)
run("cumprod", lambda x: torch.cumprod(x, dim=-1), leaf(2, 4, lo=0.5, hi=1.5, gen=g), axis=-1)
run("cumprod_zeros", lambda x: torch.cumprod(x, dim=0),
    torch.tensor([[1.5, 0.0], [0.0, 2.0], [3.0, 0.5], [0.7, 0.0]], requires_grad=True), axis=0)
x = torch.rand(3, 4, generator=g)
cases["argmax"] = case(x=x, out=torch.argmax(x, dim=1), out_keep=torch.argmax(x, dim=0, keepdim=True))

write("reductions", __file__.split("/")[-1], cases)
