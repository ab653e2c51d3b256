"""Golden values for the gan module's tests (GanLossTest, GradientPenaltyTest, DcganTest), computed in PyTorch
float64: the adversarial losses and their gradients in the logits; the WGAN-GP and R1 penalties of fixed MLP and
DCGAN discriminators with their gradients in every parameter (a double backward, create_graph=True); and a DCGAN
generator's output and parameter gradients in training mode (batch norm on batch statistics).
Run: /usr/bin/python3 fixtures_gan.py"""
import os
import sys

import torch
import torch.nn as nn
import torch.nn.functional as F

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", "..", "core", "src",
                                "test", "python"))
import fixture_io  # noqa: E402  (core's writer; only the destination changes)
from fixture_io import case, leaf  # noqa: E402

fixture_io.FIXTURES = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "resources", "fixtures")
gen = torch.Generator().manual_seed(7)


def params(module):
    return {"param." + n: p for n, p in module.named_parameters()}


def grads(module, loss):
    # the last layer's bias does not change D's gradient in x, so a penalty leaves it without a gradient (zero)
    gs = torch.autograd.grad(loss, list(module.parameters()), allow_unused=True)
    return {"grad." + n: (g if g is not None else torch.zeros_like(p))
            for (n, p), g in zip(module.named_parameters(), gs)}


def mlp_d(data_dim=2, hidden=5, layers=2, slope=0.2):
    widths = [data_dim] + [hidden] * layers + [1]
    mods = []
    for i in range(len(widths) - 1):
        if i > 0:
            mods.append(nn.LeakyReLU(slope))
        mods.append(nn.Linear(widths[i], widths[i + 1]))
    d = nn.Module()
    d.net = nn.Sequential(*mods)
    with torch.no_grad():
        for p in d.parameters():
            p.copy_(torch.rand(p.shape, generator=gen) * 1.6 - 0.8)
    d.forward = lambda x: d.net(x).reshape(x.shape[0])
    return d


def dcgan_d(channels=1, width=2, ups=2, base=2):
    mods = []
    cin = channels
    w = width
    for _ in range(ups):
        mods += [nn.Conv2d(cin, w, 4, 2, 1), nn.LeakyReLU(0.2)]
        cin, w = w, w * 2
    mods.append(nn.Conv2d(cin, 1, base, 1, 0))
    d = nn.Module()
    d.main = nn.Sequential(*mods)
    with torch.no_grad():
        for p in d.parameters():
            p.copy_(torch.rand(p.shape, generator=gen) * 0.8 - 0.4)
    d.forward = lambda x: d.main(x).reshape(x.shape[0])
    return d


def dcgan_g(latent=3, channels=1, width=2, ups=2, base=2):
    w = width * 2 ** (ups - 1)
    mods = [nn.ConvTranspose2d(latent, w, base, 1, 0, bias=False), nn.BatchNorm2d(w), nn.ReLU()]
    for _ in range(1, ups):
        mods += [nn.ConvTranspose2d(w, w // 2, 4, 2, 1, bias=False), nn.BatchNorm2d(w // 2), nn.ReLU()]
        w //= 2
    mods += [nn.ConvTranspose2d(w, channels, 4, 2, 1, bias=False), nn.Tanh()]
    g = nn.Module()
    g.main = nn.Sequential(*mods)
    with torch.no_grad():
        for p in g.parameters():
            p.copy_(torch.rand(p.shape, generator=gen) - 0.5)
    return g


def wgan_gp(d, real, fake, eps):
    x = (fake + eps * (real - fake)).detach().requires_grad_(True)
    g, = torch.autograd.grad(d.forward(x).sum(), x, create_graph=True)
    return ((g.reshape(x.shape[0], -1).norm(dim=1) - 1) ** 2).mean()


def r1(d, real):
    x = real.detach().requires_grad_(True)
    g, = torch.autograd.grad(d.forward(x).sum(), x, create_graph=True)
    return g.reshape(x.shape[0], -1).pow(2).sum(1).mean()


cases = {}

# losses: values and gradients in both logit vectors
real = leaf(6, lo=-3, hi=3, gen=gen)
fake = leaf(6, lo=-3, hi=3, gen=gen)
d_bce = F.softplus(-real).mean() + F.softplus(fake).mean()
d_hinge = F.relu(1 - real).mean() + F.relu(1 + fake).mean()
d_w = fake.mean() - real.mean()
g_mm = -F.softplus(fake).mean()       # E[log(1 - D(G(z)))]
g_ns = F.softplus(-fake).mean()       # -E[log D(G(z))]
g_lin = -fake.mean()
# the BCE form checked against PyTorch's own binary_cross_entropy_with_logits
assert torch.allclose(d_bce, F.binary_cross_entropy_with_logits(real, torch.ones(6))
                      + F.binary_cross_entropy_with_logits(fake, torch.zeros(6)))
assert torch.allclose(g_ns, F.binary_cross_entropy_with_logits(fake, torch.ones(6)))
c = {"real": real, "fake": fake}
for name, v in [("d_bce", d_bce), ("d_hinge", d_hinge), ("d_wasserstein", d_w), ("g_minimax", g_mm),
                ("g_ns", g_ns), ("g_linear", g_lin)]:
    gr = torch.autograd.grad(v, [real, fake], allow_unused=True)
    c[name] = v
    c[name + ".dreal"] = gr[0] if gr[0] is not None else torch.zeros(6)
    c[name + ".dfake"] = gr[1] if gr[1] is not None else torch.zeros(6)
cases["losses"] = case(**c)

# MLP discriminator penalties
d = mlp_d()
real = torch.rand(5, 2, generator=gen) * 4 - 2
fake = torch.rand(5, 2, generator=gen) * 4 - 2
eps = torch.rand(5, 1, generator=gen)
gp = wgan_gp(d, real, fake, eps)
cases["mlp_wgan_gp"] = case(real=real, fake=fake, eps=eps, penalty=gp, **params(d), **grads(d, gp))
rp = r1(d, real)
cases["mlp_r1"] = case(real=real, **params(d), penalty=rp, **grads(d, rp))

# DCGAN discriminator (8x8, one channel) penalties: double backward through strided convolutions
d = dcgan_d()
real = torch.rand(3, 1, 8, 8, generator=gen) * 2 - 1
fake = torch.rand(3, 1, 8, 8, generator=gen) * 2 - 1
eps = torch.rand(3, 1, 1, 1, generator=gen)
gp = wgan_gp(d, real, fake, eps)
cases["dcgan_wgan_gp"] = case(real=real, fake=fake, eps=eps, logits=d.forward(real), penalty=gp, **params(d),
                              **grads(d, gp))
rp = r1(d, real)
cases["dcgan_r1"] = case(real=real, **params(d), penalty=rp, **grads(d, rp))

# DCGAN generator in training mode: output and parameter gradients of sum(w * out)
g = dcgan_g()
z = torch.randn(4, 3, generator=gen)
out = g.main(z.reshape(4, 3, 1, 1))
w = torch.rand(out.shape, generator=gen)
cases["dcgan_generator"] = case(z=z, weights=w, out=out, **params(g), **grads(g, (out * w).sum()),
                                running_mean=g.main[1].running_mean, running_var=g.main[1].running_var)

fixture_io.write("gan", "gan/src/test/python/fixtures_gan.py", cases)
