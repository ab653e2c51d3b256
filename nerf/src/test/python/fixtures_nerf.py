"""Golden values for NeRF's volume rendering and positional encoding, computed in PyTorch (float64) the way the
paper's equations read: alpha = 1 - exp(-sigma*delta), T_i = prod_{j<i}(1 - alpha_j) (as a cumprod here, which
the Java side computes differently, through an exclusive cumsum), weights, colour, depth, opacity, and the
gradients of a weighted sum of the outputs. Run: /usr/bin/python3 fixtures_nerf.py"""
import math
import os
import sys

import torch

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", "..", "core", "src",
                                "test", "python"))
import fixture_io  # noqa: E402  (core's writer; we only change where the file goes)

fixture_io.FIXTURES = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "resources", "fixtures")

g = torch.Generator().manual_seed(7)


def render_case(n, s, background, far=6.0, near=2.0):
    sigma = (torch.rand(n, s, generator=g) * 3.0).requires_grad_(True)
    rgb = torch.rand(n, s, 3, generator=g).requires_grad_(True)
    t, _ = torch.sort(near + torch.rand(n, s, generator=g) * (far - near), dim=1)
    delta = torch.cat([t[:, 1:] - t[:, :-1], far - t[:, -1:]], dim=1)
    alpha = 1 - torch.exp(-sigma * delta)
    trans = torch.cumprod(torch.cat([torch.ones(n, 1), 1 - alpha[:, :-1]], dim=1), dim=1)
    weights = trans * alpha
    colour = (weights[..., None] * rgb).sum(1)
    acc = weights.sum(1)
    depth = (weights * t).sum(1)
    colour = colour + (1 - acc[:, None]) * background
    w_rgb = torch.rand(colour.shape, generator=g)
    w_depth = torch.rand(depth.shape, generator=g)
    w_acc = torch.rand(acc.shape, generator=g)
    ((colour * w_rgb).sum() + (depth * w_depth).sum() + (acc * w_acc).sum()).backward()
    return fixture_io.case(sigma=sigma, rgb=rgb, t=t, delta=delta, background=background, out_rgb=colour,
                           out_depth=depth, out_acc=acc, weights=weights, w_rgb=w_rgb, w_depth=w_depth, w_acc=w_acc,
                           grad_sigma=sigma.grad, grad_rgb=rgb.grad)


def encoding_case(l, include):
    x = (torch.rand(4, 3, generator=g) * 2 - 1).requires_grad_(True)
    parts = [x] if include else []
    for k in range(l):
        f = math.pi * 2.0 ** k
        parts += [torch.sin(f * x), torch.cos(f * x)]
    out = torch.cat(parts, dim=-1)
    w = torch.rand(out.shape, generator=g)
    (out * w).sum().backward()
    return fixture_io.case(x=x, out=out, w=w, grad_x=x.grad, frequencies=l, include_input=int(include))


cases = {
    "render_white": render_case(4, 6, 1.0),
    "render_black": render_case(3, 8, 0.0),
    "encoding_l4_input": encoding_case(4, True),
    "encoding_l3_no_input": encoding_case(3, False),
}
fixture_io.write("nerf", __file__.split("/")[-1], cases)
