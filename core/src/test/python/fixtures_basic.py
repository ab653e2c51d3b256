"""Golden values for the basic elementwise ops, reductions and matmul (forward and gradients)."""
import torch

from fixture_io import case, leaf, write

g = torch.Generator().manual_seed(0)
cases = {}

for name, fn, sa, sb in [
    ("add_broadcast", torch.add, (2, 3), (3,)),
    ("sub_broadcast", torch.sub, (4, 1, 3), (2, 1)),
    ("mul_broadcast", torch.mul, (2, 3), (2, 1)),
    ("div_broadcast", torch.div, (3, 4), (4,)),
]:
    a = leaf(*sa, gen=g)
    b = leaf(*sb, lo=0.5, hi=2.0, gen=g)
    out = fn(a, b)
    w = torch.rand(out.shape, generator=g)
    (out * w).sum().backward()
    cases[name] = case(a=a, b=b, w=w, out=out, grad_a=a.grad, grad_b=b.grad)

for name, sa, sb in [("matmul_2d", (3, 4), (4, 5)), ("matmul_batched_broadcast", (2, 1, 3, 4), (3, 4, 2)),
                     ("matmul_vec", (4,), (4, 3))]:
    a = leaf(*sa, gen=g)
    b = leaf(*sb, gen=g)
    out = torch.matmul(a, b)
    w = torch.rand(out.shape, generator=g)
    (out * w).sum().backward()
    cases[name] = case(a=a, b=b, w=w, out=out, grad_a=a.grad, grad_b=b.grad)

x = leaf(2, 3, 4, gen=g)
out = x.sum(dim=(0, 2), keepdim=True)
w = torch.rand(out.shape, generator=g)
(out * w).sum().backward()
cases["sum_axes_keepdims"] = case(x=x, w=w, out=out, grad_x=x.grad, axes=[0, 2])

x = leaf(2, 3, 4, gen=g)
out = x.mean(dim=1)
w = torch.rand(out.shape, generator=g)
(out * w).sum().backward()
cases["mean_axis"] = case(x=x, w=w, out=out, grad_x=x.grad, axes=[1])

write("basic", __file__.split("/")[-1], cases)
