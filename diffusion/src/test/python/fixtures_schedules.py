"""Golden values of the noise schedules for NoiseScheduleTest, computed in PyTorch (float64) the way
Ho et al.'s and Nichol & Dhariwal's reference code does. Run: /usr/bin/python3 fixtures_schedules.py"""
import math
import os
import sys

import torch

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", "..", "core", "src",
                                "test", "python"))
import fixture_io  # noqa: E402  (core's writer; we only change where the file goes)

fixture_io.FIXTURES = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "resources", "fixtures")


def linear(steps, start=1e-4, end=0.02):
    return torch.linspace(start, end, steps, dtype=torch.float64)


def cosine(steps, s=0.008, max_beta=0.999):
    f = lambda t: math.cos((t / steps + s) / (1 + s) * math.pi / 2) ** 2
    return torch.tensor([min(1 - f(t + 1) / f(t), max_beta) for t in range(steps)], dtype=torch.float64)


def derived(betas):
    alphas = 1 - betas
    ac = torch.cumprod(alphas, 0)
    ac_prev = torch.cat([torch.ones(1, dtype=torch.float64), ac[:-1]])
    post_var = betas * (1 - ac_prev) / (1 - ac)
    post_log = torch.log(torch.cat([post_var[1:2], post_var[1:]]))
    coef1 = betas * torch.sqrt(ac_prev) / (1 - ac)
    coef2 = (1 - ac_prev) * torch.sqrt(alphas) / (1 - ac)
    return dict(betas=betas, alphas=alphas, alphas_cumprod=ac, alphas_cumprod_prev=ac_prev,
                posterior_variance=post_var, posterior_log_variance_clipped=post_log,
                posterior_mean_coef1=coef1, posterior_mean_coef2=coef2)


def qsample_case(betas):
    g = torch.Generator().manual_seed(5)
    ac = torch.cumprod(1 - betas, 0)
    x0 = torch.randn(4, 3, generator=g)
    noise = torch.randn(4, 3, generator=g)
    t = torch.tensor([0, 3, 7, len(betas) - 1])
    a = ac[t].sqrt()[:, None]
    s = (1 - ac[t]).sqrt()[:, None]
    xt = a * x0 + s * noise
    v = a * noise - s * x0
    return fixture_io.case(x0=x0, noise=noise, t=t, xt=xt, v=v)


cases = {}
for steps in (20, 1000):
    for name, fn in (("linear", linear), ("cosine", cosine)):
        d = derived(fn(steps))
        if steps == 1000:  # keep the file small: every 37th step and the last
            idx = torch.tensor(list(range(0, 1000, 37)) + [999])
            d = {k: v[idx] for k, v in d.items()}
            d["index"] = idx
        cases[f"{name}_{steps}"] = fixture_io.case(**d)
cases["qsample_linear_20"] = qsample_case(linear(20))
fixture_io.write("diffusion_schedules", "diffusion/src/test/python/fixtures_schedules.py", cases)
