"""Golden values for sin and cos (forward and gradients of a weighted sum, float64)."""
import torch

from fixture_io import case, write

g = torch.Generator().manual_seed(11)
cases = {}
for name, fn in [("sin", torch.sin), ("cos", torch.cos)]:
    x = (torch.rand(3, 5, generator=g) * 12 - 6).requires_grad_(True)
    out = fn(x)
    w = torch.rand(out.shape, generator=g)
    (out * w).sum().backward()
    cases[name] = case(x=x, w=w, out=out, grad_x=x.grad)

write("trigonometry", __file__.split("/")[-1], cases)
