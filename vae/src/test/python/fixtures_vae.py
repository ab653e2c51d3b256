"""Golden values of a VAE's ELBO terms, the importance-weighted bound and the ELBO's parameter gradients, for
VaeFixtureTest, computed in PyTorch (float64) with fixed weights and fixed noise. Each case holds the weights
(key "param:<name>", Latent4j's parameter names), the inputs, the outputs and d(loss)/d(parameter)
("grad:<name>"). Run: /usr/bin/python3 fixtures_vae.py"""
import math
import os
import sys

import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", "..", "core", "src",
                                "test", "python"))
import fixture_io  # noqa: E402  (core's writer; only the output folder changes)

fixture_io.FIXTURES = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "resources", "fixtures")
LOG2PI = math.log(2 * math.pi)


def params_mlp(gen, c, h, w, hidden, latent, classes, learned_var):
    d = c * h * w
    p = {}
    prev = d + classes
    for i, width in enumerate(hidden):
        p[f"encoder.body.{2 * i}.weight"] = rand(gen, width, prev)
        p[f"encoder.body.{2 * i}.bias"] = rand(gen, width)
        prev = width
    for head in ("mu", "logVar"):
        p[f"encoder.{head}.weight"] = rand(gen, latent, prev)
        p[f"encoder.{head}.bias"] = rand(gen, latent)
    prev = latent + classes
    for i, width in enumerate(reversed(hidden)):
        p[f"decoder.body.{2 * i}.weight"] = rand(gen, width, prev)
        p[f"decoder.body.{2 * i}.bias"] = rand(gen, width)
        prev = width
    p["decoder.out.weight"] = rand(gen, d, prev)
    p["decoder.out.bias"] = rand(gen, d)
    if learned_var:
        p["outputLogVar"] = rand(gen, c, h, w, lo=-1.0, hi=0.5)
    return p


def params_conv(gen, c, h, w, hidden, latent, classes):
    p = {}
    prev = c
    for i, ch in enumerate(hidden):
        p[f"encoder.body.{2 * i}.weight"] = rand(gen, ch, prev, 4, 4)
        p[f"encoder.body.{2 * i}.bias"] = rand(gen, ch)
        prev = ch
    s = len(hidden)
    feats = hidden[-1] * (h >> s) * (w >> s)
    for head in ("mu", "logVar"):
        p[f"encoder.{head}.weight"] = rand(gen, latent, feats + classes)
        p[f"encoder.{head}.bias"] = rand(gen, latent)
    p["decoder.project.weight"] = rand(gen, feats, latent + classes)
    p["decoder.project.bias"] = rand(gen, feats)
    rev = list(reversed(hidden))
    for i in range(s):
        out = rev[i + 1] if i + 1 < s else c
        p[f"decoder.body.{2 * i}.weight"] = rand(gen, rev[i], out, 4, 4)   # ReLUs sit at the odd indices
        p[f"decoder.body.{2 * i}.bias"] = rand(gen, out)
    return p


def rand(gen, *shape, lo=-0.5, hi=0.5):
    return (torch.rand(*shape, generator=gen) * (hi - lo) + lo).requires_grad_(True)


def encode(p, cfg, x, onehot):
    if cfg["arch"] == "mlp":
        f = x.reshape(x.shape[0], -1)
        if onehot is not None:
            f = torch.cat([f, onehot], 1)
        for i in range(len(cfg["hidden"])):
            f = F.relu(F.linear(f, p[f"encoder.body.{2 * i}.weight"], p[f"encoder.body.{2 * i}.bias"]))
    else:
        f = x
        for i in range(len(cfg["hidden"])):
            f = F.relu(F.conv2d(f, p[f"encoder.body.{2 * i}.weight"], p[f"encoder.body.{2 * i}.bias"], stride=2,
                                padding=1))
        f = f.reshape(x.shape[0], -1)
        if onehot is not None:
            f = torch.cat([f, onehot], 1)
    mu = F.linear(f, p["encoder.mu.weight"], p["encoder.mu.bias"])
    log_var = F.linear(f, p["encoder.logVar.weight"], p["encoder.logVar.bias"])
    return mu, log_var


def decode(p, cfg, z, onehot):
    c, h, w = cfg["image"]
    if onehot is not None:
        z = torch.cat([z, onehot], 1)
    if cfg["arch"] == "mlp":
        f = z
        for i in range(len(cfg["hidden"])):
            f = F.relu(F.linear(f, p[f"decoder.body.{2 * i}.weight"], p[f"decoder.body.{2 * i}.bias"]))
        return F.linear(f, p["decoder.out.weight"], p["decoder.out.bias"]).reshape(z.shape[0], c, h, w)
    s = len(cfg["hidden"])
    f = F.relu(F.linear(z, p["decoder.project.weight"], p["decoder.project.bias"]))
    f = f.reshape(z.shape[0], cfg["hidden"][-1], h >> s, w >> s)
    for i in range(s):
        if i > 0:
            f = F.relu(f)
        f = F.conv_transpose2d(f, p[f"decoder.body.{2 * i}.weight"], p[f"decoder.body.{2 * i}.bias"], stride=2,
                               padding=1)
    return f


def log_lik(p, cfg, x, out):
    if cfg["likelihood"] == "bernoulli":
        # BCE with logits summed per example, negated
        return -F.binary_cross_entropy_with_logits(out, x, reduction="none").flatten(1).sum(1)
    log_var = p["outputLogVar"] if "outputLogVar" in p else torch.tensor(2 * math.log(cfg["std"]))
    return (-0.5 * ((x - out) ** 2 * torch.exp(-log_var) + log_var + LOG2PI)).flatten(1).sum(1)


def std_normal(z):
    return (-0.5 * (z ** 2 + LOG2PI)).sum(-1)


def diag_normal(z, mu, log_var):
    return (-0.5 * ((z - mu) ** 2 * torch.exp(-log_var) + log_var + LOG2PI)).sum(-1)


def make_case(seed, cfg, batch=4, k=5):
    gen = torch.Generator().manual_seed(seed)
    c, h, w = cfg["image"]
    classes = cfg["classes"]
    if cfg["arch"] == "mlp":
        p = params_mlp(gen, c, h, w, cfg["hidden"], cfg["latent"], classes, cfg["likelihood"] == "learned")
    else:
        p = params_conv(gen, c, h, w, cfg["hidden"], cfg["latent"], classes)
    x = torch.rand(batch, c, h, w, generator=gen)
    labels = torch.randint(0, classes, (batch,), generator=gen) if classes else None
    onehot = F.one_hot(labels, classes).double() if classes else None
    eps = torch.randn(batch, cfg["latent"], generator=gen)
    eps_iw = torch.randn(k, batch, cfg["latent"], generator=gen)

    mu, log_var = encode(p, cfg, x, onehot)
    z = mu + eps * torch.exp(0.5 * log_var)
    rec = log_lik(p, cfg, x, decode(p, cfg, z, onehot))
    kl = -0.5 * (1 + log_var - mu ** 2 - log_var.exp()).sum(-1)
    elbo = rec - kl
    loss = (cfg["beta"] * kl - rec).mean()
    grads = torch.autograd.grad(loss, list(p.values()))

    with torch.no_grad():
        zk = mu + eps_iw * torch.exp(0.5 * log_var)                             # (K, B, L)
        flat = zk.reshape(k * batch, -1)
        oh = onehot.repeat(k, 1) if onehot is not None else None
        out = decode(p, cfg, flat, oh)
        lpx = log_lik(p, cfg, x.repeat(k, 1, 1, 1), out).reshape(k, batch)
        log_w = lpx + std_normal(zk) - diag_normal(zk, mu, log_var)
        iw = torch.logsumexp(log_w, 0) - math.log(k)

    items = {f"param:{n}": t for n, t in p.items()}
    items.update({f"grad:{n}": g for n, g in zip(p.keys(), grads)})
    items.update(x=x, eps=eps, eps_iw=eps_iw, mu=mu, log_var=log_var, reconstruction=rec, kl=kl, elbo=elbo, loss=loss,
                 iw=iw, image=list(cfg["image"]), hidden=list(cfg["hidden"]), latent=cfg["latent"], classes=classes,
                 beta=cfg["beta"], std=cfg.get("std", 0.1), arch=cfg["arch"], likelihood=cfg["likelihood"])
    if labels is not None:
        items["labels"] = labels
    return fixture_io.case(**items)


cases = {
    "mlp_bernoulli": make_case(1, dict(arch="mlp", image=(1, 3, 4), hidden=(8, 6), latent=3, classes=0,
                                       likelihood="bernoulli", beta=1.0)),
    "mlp_learned_gaussian_conditional": make_case(2, dict(arch="mlp", image=(2, 2, 3), hidden=(7,), latent=2,
                                                          classes=3, likelihood="learned", std=0.5, beta=2.5)),
    "mlp_fixed_gaussian": make_case(3, dict(arch="mlp", image=(1, 2, 5), hidden=(6,), latent=4, classes=0,
                                            likelihood="fixed", std=0.3, beta=1.0)),
    "conv_bernoulli_conditional": make_case(4, dict(arch="conv", image=(1, 8, 8), hidden=(3, 4), latent=3, classes=2,
                                                    likelihood="bernoulli", beta=1.0)),
}
fixture_io.write("vae", "vae/src/test/python/fixtures_vae.py", cases)
