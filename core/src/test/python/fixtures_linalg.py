"""Golden values for outer, slogdet, solve, inverse, triu/tril and matmul with rank-1 operands."""
import torch

from fixture_io import case, leaf, write

g = torch.Generator().manual_seed(3)
cases = {}


def record(name, inputs, out, **params):
    w = torch.rand(out.shape, generator=g)
    (out * w).sum().backward()
    items = dict(inputs)
    items.update({"grad_" + k: v.grad for k, v in inputs.items()})
    cases[name] = case(w=w, out=out, **items, **params)


def well_conditioned(*shape):
    n = shape[-1]
    return (torch.rand(*shape, generator=g) - 0.5 + 2 * torch.eye(n)).requires_grad_(True)


a, b = leaf(3, gen=g), leaf(4, gen=g)
record("outer", dict(a=a, b=b), torch.outer(a, b))

x = leaf(2, 3, 3, gen=g)
with torch.no_grad():
    x[1] = well_conditioned(3, 3)
    x[1, 0] = -x[1, 0]  # a negative determinant
sign, logabsdet = torch.linalg.slogdet(x)
record("slogdet", dict(x=x), logabsdet, sign=sign)

for name, sa, sb in [("solve", (3, 3), (3, 2)), ("solve_batched_broadcast", (2, 3, 3), (3, 1)),
                     ("solve_vector", (3, 3), (3,)), ("solve_batch_of_vectors", (2, 3, 3), (2, 3))]:
    a = well_conditioned(*sa)
    b = leaf(*sb, gen=g)
    record(name, dict(a=a, b=b), torch.linalg.solve(a, b))

x = well_conditioned(2, 3, 3)
record("inverse", dict(x=x), torch.linalg.inv(x))

x = leaf(3, 4, gen=g)
record("triu", dict(x=x), torch.triu(x, 1), diagonal=1)
x = leaf(2, 3, 4, gen=g)
record("tril", dict(x=x), torch.tril(x, -1), diagonal=-1)

for name, sa, sb in [("matmul_vec_vec", (4,), (4,)), ("matmul_vec_batched", (4,), (2, 4, 3)),
                     ("matmul_batched_vec", (2, 3, 4), (4,))]:
    a = leaf(*sa, gen=g)
    b = leaf(*sb, gen=g)
    record(name, dict(a=a, b=b), torch.matmul(a, b))

write("linalg", __file__.split("/")[-1], cases)
