"""Golden values for the unary and selection elementwise ops (forward and gradients, float64)."""
import torch

from fixture_io import case, leaf, write

g = torch.Generator().manual_seed(1)
cases = {}


def run(name, fn, *inputs, **params):
    out = fn(*inputs)
    w = torch.rand(out.shape, generator=g)
    (out * w).sum().backward()
    named = {k: v for k, v in zip(("x", "y"), inputs)}
    grads = {"grad_" + k: v.grad for k, v in named.items() if v.grad is not None}
    cases[name] = case(**named, w=w, out=out, **grads, **params)


pos = lambda *s: leaf(*s, lo=0.5, hi=2.0, gen=g)  # noqa: E731
mixed = lambda *s: leaf(*s, lo=-2.0, hi=2.0, gen=g)  # noqa: E731
run("exp", torch.exp, mixed(2, 3))
run("log", torch.log, pos(2, 3))
run("sqrt", torch.sqrt, pos(2, 3))
run("rsqrt", torch.rsqrt, pos(2, 3))
run("abs", torch.abs, mixed(2, 3))
run("square", torch.square, mixed(2, 3))
run("reciprocal", torch.reciprocal, pos(2, 3))
run("pow_scalar", lambda x: torch.pow(x, 2.5), pos(2, 3), c=2.5)
run("pow_tensor", torch.pow, pos(2, 2), leaf(2, lo=-1.5, hi=1.5, gen=g))
run("clamp", lambda x: torch.clamp(x, -0.5, 0.7), mixed(3, 4), min=-0.5, max=0.7)
run("maximum", torch.maximum, mixed(2, 2), mixed(2))
run("minimum", torch.minimum, mixed(2, 1, 2), mixed(2, 2))
cond = torch.tensor([[True], [False]])
run("where", lambda a, b: torch.where(cond, a, b), mixed(2, 3), mixed(3), cond=cond)
mask = torch.tensor([True, False, True])
run("masked_fill", lambda x: x.masked_fill(mask, -3.0), mixed(2, 3), mask=mask, value=-3.0)

write("elementwise", __file__.split("/")[-1], cases)
