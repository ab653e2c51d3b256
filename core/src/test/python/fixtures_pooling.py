"""Golden values for avg/max pooling and nearest/bilinear up-sampling, forward and gradients."""
import torch
import torch.nn.functional as F

from fixture_io import case, leaf, write

g = torch.Generator().manual_seed(4)
cases = {}


def run(name, fn, shape, **params):
    x = leaf(*shape, gen=g)
    out = fn(x)
    w = torch.rand(out.shape, generator=g)
    (out * w).sum().backward()
    cases[name] = case(x=x, w=w, out=out, grad_x=x.grad, **params)


run("max_pool_k2", lambda x: F.max_pool2d(x, 2, 2, 0), (2, 2, 4, 4), kernel=2, stride=2, padding=0)
run("max_pool_k3_s2_p1", lambda x: F.max_pool2d(x, 3, 2, 1), (1, 2, 5, 6), kernel=3, stride=2, padding=1)
run("avg_pool_k2", lambda x: F.avg_pool2d(x, 2, 2, 0), (2, 2, 4, 4), kernel=2, stride=2, padding=0)
run("avg_pool_k3_s2_p1", lambda x: F.avg_pool2d(x, 3, 2, 1), (1, 2, 5, 6), kernel=3, stride=2, padding=1)
run("upsample_nearest_2", lambda x: F.interpolate(x, scale_factor=2, mode="nearest"), (1, 2, 2, 3), scale=2)
run("upsample_bilinear_2", lambda x: F.interpolate(x, scale_factor=2, mode="bilinear", align_corners=False),
    (1, 2, 3, 4), scale=2)
run("upsample_bilinear_3_align", lambda x: F.interpolate(x, scale_factor=3, mode="bilinear", align_corners=True),
    (2, 1, 3, 2), scale=3)

write("pooling", __file__.split("/")[-1], cases)
