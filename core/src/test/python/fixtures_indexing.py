"""Golden values for gather, scatterAdd, indexSelect, indexAdd and embedding (forward and gradients)."""
import torch
import torch.nn.functional as F

from fixture_io import case, leaf, write

g = torch.Generator().manual_seed(2)
cases = {}


def idx(high, *shape):
    return torch.randint(0, high, shape, generator=g)


def record(name, inputs, out, **params):
    w = torch.rand(out.shape, generator=g)
    (out * w).sum().backward()
    items = dict(inputs)
    items.update({"grad_" + k: v.grad for k, v in inputs.items() if v.dtype == torch.float64})
    cases[name] = case(w=w, out=out, **items, **params)


x = leaf(3, 4, gen=g)
i = idx(4, 3, 2)
record("gather_axis1", dict(x=x), torch.gather(x, 1, i), index=i, axis=1)
x = leaf(3, 4, gen=g)
i = idx(3, 5, 4)
record("gather_axis0", dict(x=x), torch.gather(x, 0, i), index=i, axis=0)

x = leaf(4, 3, gen=g)
i = torch.tensor([2, 0, 2])
record("index_select_axis0", dict(x=x), torch.index_select(x, 0, i), index=i, axis=0)
x = leaf(2, 5, 2, gen=g)
i = torch.tensor([4, 1, 4])
record("index_select_axis1", dict(x=x), torch.index_select(x, 1, i), index=i, axis=1)

x = leaf(3, 4, gen=g)
src = leaf(3, 3, gen=g)
i = torch.tensor([[0, 2, 0], [3, 3, 1], [1, 0, 2]])
record("scatter_add", dict(x=x, src=src), torch.scatter_add(x, 1, i, src), index=i, axis=1)

x = leaf(4, 3, gen=g)
src = leaf(3, 3, gen=g)
i = torch.tensor([1, 3, 1])
record("index_add", dict(x=x, src=src), torch.index_add(x, 0, i, src), index=i, axis=0)

weight = leaf(5, 3, gen=g)
ids = torch.tensor([[0, 4, 4], [2, 0, 1]])
record("embedding", dict(weight=weight), F.embedding(ids, weight), ids=ids)

write("indexing", __file__.split("/")[-1], cases)
