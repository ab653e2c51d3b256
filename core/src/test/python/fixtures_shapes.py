"""Golden values for the shape ops (forward and gradients): squeeze ... repeat, flatten, permute, expand."""
import torch
import torch.nn.functional as F

from fixture_io import case, leaf, write

g = torch.Generator().manual_seed(1)
cases = {}


def unary(name, shape, fn, **params):
    x = leaf(*shape, gen=g)
    out = fn(x)
    w = torch.rand(out.shape, generator=g)
    (out * w).sum().backward()
    cases[name] = case(x=x, w=w, out=out, grad_x=x.grad, **params)


unary("squeeze", (2, 1, 3), lambda x: x.squeeze(1), axis=1)
unary("unsqueeze", (2, 3), lambda x: x.unsqueeze(-1), axis=-1)
unary("slice_step", (3, 7), lambda x: x[:, 1:6:2], axis=1, start=1, end=6, step=2)
unary("slice_negative", (4, 3), lambda x: x[-3:-1], axis=0, start=-3, end=-1, step=1)
unary("pad", (2, 3, 4), lambda x: F.pad(x, (1, 2, 0, 1), value=0.5), padding=[1, 2, 0, 1], value=0.5)
unary("pad_crop", (2, 3), lambda x: F.pad(x, (-1, 1)), padding=[-1, 1], value=0.0)
unary("flip", (2, 3, 4), lambda x: x.flip(0, 2), axes=[0, 2])
unary("repeat", (2, 3), lambda x: x.repeat(2, 1, 3), repeats=[2, 1, 3])
unary("flatten", (2, 3, 4), lambda x: x.flatten(1, 2), start=1, end=2)
unary("permute", (2, 3, 4), lambda x: x.permute(2, 0, 1), perm=[2, 0, 1])
unary("expand", (3, 1), lambda x: x.expand(2, 3, 4), target=[2, 3, 4])

for name, sa, sb, fn, axis in [("concat", (2, 3), (2, 1), torch.cat, 1),
                               ("stack", (2, 3), (2, 3), torch.stack, 1)]:
    a = leaf(*sa, gen=g)
    b = leaf(*sb, gen=g)
    out = fn([a, b], axis)
    w = torch.rand(out.shape, generator=g)
    (out * w).sum().backward()
    cases[name] = case(a=a, b=b, w=w, out=out, grad_a=a.grad, grad_b=b.grad, axis=axis)

for name, shape, fn, params in [("split", (2, 5), lambda x: x.split([2, 3], 1), dict(sizes=[2, 3], axis=1)),
                                ("chunk", (7, 2), lambda x: x.chunk(3, 0), dict(n=3, axis=0))]:
    x = leaf(*shape, gen=g)
    pieces = fn(x)
    items = dict(x=x)
    loss = 0
    for i, p in enumerate(pieces):
        w = torch.rand(p.shape, generator=g)
        loss = loss + (p * w).sum()
        items["w%d" % i] = w
        items["out%d" % i] = p
    loss.backward()
    cases[name] = case(grad_x=x.grad, count=len(pieces), **items, **params)

write("shapes", __file__.split("/")[-1], cases)
