"""Golden values for FlowFixtureTest: the log-probability of a Glow-style chain (ActNorm -> invertible 1x1
convolution with the LU parameterization -> affine coupling with a convolutional conditioner and a channel
mask) under a standard normal base, and the gradients of its sum with respect to every parameter and the
input, written from the papers' equations in PyTorch (float64) on fixed random weights.
Run: /usr/bin/python3 fixtures_flow_chain.py"""
import math
import os
import sys

import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", "..", "core", "src",
                                "test", "python"))
import fixture_io  # noqa: E402  (core's writer; we only change where the file goes)

fixture_io.FIXTURES = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "resources", "fixtures")

B, C, H, W = 2, 4, 3, 3
HIDDEN = 6
CLAMP = 2.0


def build(gen):
    def rnd(*shape, std=0.5):
        return (torch.randn(*shape, generator=gen) * std).requires_grad_(True)

    p = {}
    # ActNorm
    p["bijector.0.bias"] = rnd(C)
    p["bijector.0.logScale"] = rnd(C, std=0.3)
    # invertible 1x1 convolution, W = P L (U + diag(sign * exp(logS)))
    perm = torch.randperm(C, generator=gen)
    p["bijector.1.lower"] = rnd(C, C)
    p["bijector.1.upper"] = rnd(C, C)
    p["bijector.1.logS"] = rnd(C, std=0.3)
    buffers = {
        "bijector.0.initialized": torch.tensor(1.0),
        "bijector.1.permutation": torch.eye(C)[perm],
        "bijector.1.signS": torch.tensor([1.0, -1.0, -1.0, 1.0]),
        "bijector.2.mask": torch.cat([torch.ones(C // 2, H, W), torch.zeros(C - C // 2, H, W)]),
    }
    # coupling conditioner: conv3x3 (C -> HIDDEN), relu, conv1x1, relu, conv3x3 (HIDDEN -> 2C)
    p["bijector.2.net.0.weight"] = rnd(HIDDEN, C, 3, 3, std=0.3)
    p["bijector.2.net.0.bias"] = rnd(HIDDEN, std=0.1)
    p["bijector.2.net.2.weight"] = rnd(HIDDEN, HIDDEN, 1, 1, std=0.3)
    p["bijector.2.net.2.bias"] = rnd(HIDDEN, std=0.1)
    p["bijector.2.net.4.weight"] = rnd(2 * C, HIDDEN, 3, 3, std=0.3)
    p["bijector.2.net.4.bias"] = rnd(2 * C, std=0.1)
    return p, buffers


def log_prob(x, p, b):
    # ActNorm: z = (x + bias) * exp(logScale), log|det| = H W sum(logScale)
    h = (x + p["bijector.0.bias"].view(1, C, 1, 1)) * torch.exp(p["bijector.0.logScale"].view(1, C, 1, 1))
    logdet = H * W * p["bijector.0.logScale"].sum() * torch.ones(B)
    # 1x1 convolution
    eye = torch.eye(C)
    lower = torch.tril(p["bijector.1.lower"], -1) + eye
    upper = torch.triu(p["bijector.1.upper"], 1) + torch.diag(b["bijector.1.signS"] * torch.exp(p["bijector.1.logS"]))
    weight = b["bijector.1.permutation"] @ lower @ upper
    h = F.conv2d(h, weight.view(C, C, 1, 1))
    logdet = logdet + H * W * p["bijector.1.logS"].sum()
    # affine coupling
    mask = b["bijector.2.mask"]
    keep = 1 - mask
    g = F.conv2d(h * mask, p["bijector.2.net.0.weight"], p["bijector.2.net.0.bias"], padding=1).relu()
    g = F.conv2d(g, p["bijector.2.net.2.weight"], p["bijector.2.net.2.bias"]).relu()
    g = F.conv2d(g, p["bijector.2.net.4.weight"], p["bijector.2.net.4.bias"], padding=1)
    t, raw = g.chunk(2, 1)
    s = CLAMP * torch.tanh(raw / CLAMP) * keep
    z = h * torch.exp(s) + t * keep
    logdet = logdet + s.sum((1, 2, 3))
    base = -0.5 * (z ** 2).sum((1, 2, 3)) - 0.5 * C * H * W * math.log(2 * math.pi)
    return base + logdet


def main():
    gen = torch.Generator().manual_seed(2024)
    p, b = build(gen)
    x = torch.randn(B, C, H, W, generator=gen).requires_grad_(True)
    lp = log_prob(x, p, b)
    names = list(p.keys())
    grads = torch.autograd.grad(lp.sum(), [p[n] for n in names] + [x])
    items = {"x": x, "logProb": lp, "grad.x": grads[-1]}
    for n, g in zip(names, grads[:-1]):
        items[n] = p[n]
        items["grad." + n] = g
    for n, v in b.items():
        items[n] = v
    items["names"] = names + list(b.keys())
    fixture_io.write("flow_chain", "fixtures_flow_chain.py", {"glow_step": fixture_io.case(**items)})


if __name__ == "__main__":
    main()
