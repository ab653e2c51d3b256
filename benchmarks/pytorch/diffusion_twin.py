"""PyTorch twins of Latent4j's diffusion models, parameter names matching the Java modules one for one.

    /usr/bin/python3 benchmarks/pytorch/diffusion_twin.py fixture          # U-Net test fixture (tiny config)
    /usr/bin/python3 benchmarks/pytorch/diffusion_twin.py fixture2d        # a few 2-D training steps (MLP)
    /usr/bin/python3 benchmarks/pytorch/diffusion_twin.py train2d [--data moons|ring8] [--steps N] [--seed S]
    /usr/bin/python3 benchmarks/pytorch/diffusion_twin.py score2d [--samples N] [--seed S] FILE.safetensors...
    /usr/bin/python3 benchmarks/pytorch/diffusion_twin.py summarise2d SCORES.jsonl   # what benchmarks/moons-seeds prints
    /usr/bin/python3 benchmarks/pytorch/diffusion_twin.py bench-unet        # forward / train step / DDIM-50 timings

`fixture` writes diffusion/src/test/resources/fixtures/unet_tiny/{model,io}.safetensors: the weights of a tiny
U-Net and one input/output pair, read by UNetTest. `train2d` trains the 2-D MLP denoiser with the budget of
DiffusionExample's defaults (AdamW, gradient clip 1, EMA 0.999 with warmup) and prints the energy distance of
2,000 DDPM and DDIM-50 samples to 2,000 fresh points (`--save FILE` keeps the sampled EMA weights).
`fixture2d` writes diffusion/src/test/resources/fixtures/mlp_train/: a few float64 training steps of the tiny
MLP from shared weights and batches, read by MlpDenoiserTrainingTest. `score2d` scores weight files (a
Latent4j run's checkpoint/model.safetensors or train2d's --save) with one shared evaluation: same samplers,
same starting noise, same fresh points, so the numbers differ only through the weights. `summarise2d` turns
score2d's output for pairs of runs (benchmarks/moons-seeds) into the per-seed table and the means.
"""
import argparse
import json
import math
import os
import sys
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))


# ---- shared pieces -------------------------------------------------------------------------------------

def timestep_embedding(t, dim):
    half = dim // 2
    freqs = torch.exp(-math.log(10000.0) * torch.arange(half, dtype=torch.float64) / half)
    angles = t.double()[:, None] * freqs[None, :]
    return torch.cat([torch.cos(angles), torch.sin(angles)], dim=1)


def class_embedding(emb, table, labels):
    if table is None:
        return emb
    ids = torch.where(labels < 0, torch.full_like(labels, table.shape[0] - 1), labels)
    return emb + table[ids]


# ---- 2-D MLP denoiser ----------------------------------------------------------------------------------

class Block(nn.Module):
    def __init__(self, width):
        super().__init__()
        self.fc1 = nn.Linear(width, width)
        self.fc2 = nn.Linear(width, width)

    def forward(self, h, emb):
        return h + self.fc2(F.silu(self.fc1(F.silu(h)) + emb))


class MlpDenoiser(nn.Module):
    def __init__(self, data_dim=2, hidden=64, blocks=2, time_dim=32, classes=0):
        super().__init__()
        self.time_dim = time_dim
        self.timeEmbed = nn.Sequential(nn.Linear(time_dim, hidden), nn.SiLU(), nn.Linear(hidden, hidden))
        self.labelEmbed = nn.Parameter(torch.randn(classes + 1, hidden)) if classes else None
        self.inputProj = nn.Linear(data_dim, hidden)
        self.blocks = nn.ModuleList([Block(hidden) for _ in range(blocks)])
        self.outputProj = nn.Linear(hidden, data_dim)

    def forward(self, x, t, labels=None):
        emb = self.timeEmbed(timestep_embedding(t, self.time_dim).to(x.dtype))
        emb = class_embedding(emb, self.labelEmbed, labels)
        h = self.inputProj(x)
        for b in self.blocks:
            h = b(h, emb)
        return self.outputProj(F.silu(h))


# ---- U-Net ---------------------------------------------------------------------------------------------

class ResBlock(nn.Module):
    def __init__(self, cin, cout, emb, groups):
        super().__init__()
        self.norm1 = nn.GroupNorm(groups, cin)
        self.conv1 = nn.Conv2d(cin, cout, 3, padding=1)
        self.embProj = nn.Linear(emb, cout)
        self.norm2 = nn.GroupNorm(groups, cout)
        self.conv2 = nn.Conv2d(cout, cout, 3, padding=1)
        self.skip = nn.Conv2d(cin, cout, 1) if cin != cout else None

    def forward(self, x, emb):
        h = self.conv1(F.silu(self.norm1(x)))
        h = h + self.embProj(F.silu(emb))[:, :, None, None]
        h = self.conv2(F.silu(self.norm2(h)))
        return (x if self.skip is None else self.skip(x)) + h


class SpatialAttention(nn.Module):
    def __init__(self, ch, heads, groups, context_dim=0):
        super().__init__()
        self.heads = heads
        self.cross = context_dim > 0
        self.norm = nn.GroupNorm(groups, ch)
        if self.cross:
            self.q = nn.Linear(ch, ch)
            self.kv = nn.Linear(context_dim, 2 * ch)
        else:
            self.qkv = nn.Linear(ch, 3 * ch)
        self.proj = nn.Linear(ch, ch)

    def forward(self, x, context=None):
        b, c, h, w = x.shape
        tokens = self.norm(x).reshape(b, c, h * w).transpose(1, 2)
        if self.cross:
            q = self.q(tokens)
            k, v = self.kv(context).split(c, dim=2)
        else:
            q, k, v = self.qkv(tokens).split(c, dim=2)
        split = lambda z: z.reshape(b, z.shape[1], self.heads, c // self.heads).permute(0, 2, 1, 3)
        q, k, v = split(q), split(k), split(v)
        a = torch.softmax(q @ k.transpose(-1, -2) / math.sqrt(c // self.heads), dim=-1) @ v
        out = self.proj(a.permute(0, 2, 1, 3).reshape(b, h * w, c)).transpose(1, 2).reshape(b, c, h, w)
        return x + out


class UBlock(nn.Module):
    def __init__(self, res, attn, cross):
        super().__init__()
        self.res = res
        self.attn = attn
        self.crossAttn = cross

    def forward(self, x, emb, context):
        h = self.res(x, emb)
        if self.attn is not None:
            h = self.attn(h)
        if self.crossAttn is not None:
            h = self.crossAttn(h, context)
        return h


class Level(nn.Module):
    def __init__(self, blocks, resample):
        super().__init__()
        self.blocks = nn.ModuleList(blocks)
        self.resample = resample


class UNet(nn.Module):
    def __init__(self, image_size, in_ch, base, mults, num_res, attn_res, cross_res, context_dim, heads, groups,
                 classes):
        super().__init__()
        emb = 4 * base
        self.base = base
        self.timeEmbed = nn.Sequential(nn.Linear(base, emb), nn.SiLU(), nn.Linear(emb, emb))
        self.labelEmbed = nn.Parameter(torch.randn(classes + 1, emb)) if classes else None
        self.convIn = nn.Conv2d(in_ch, base, 3, padding=1)

        def block(cin, cout, res):
            return UBlock(ResBlock(cin, cout, emb, groups),
                          SpatialAttention(cout, heads, groups) if res in attn_res else None,
                          SpatialAttention(cout, heads, groups, context_dim) if res in cross_res else None)

        skips, ch, res = [base], base, image_size
        self.down = nn.ModuleList()
        for level, m in enumerate(mults):
            blocks = []
            for _ in range(num_res):
                blocks.append(block(ch, base * m, res))
                ch = base * m
                skips.append(ch)
            resample = None
            if level < len(mults) - 1:
                resample = nn.Conv2d(ch, ch, 3, stride=2, padding=1)
                skips.append(ch)
                res //= 2
            self.down.append(Level(blocks, resample))
        self.mid1 = UBlock(ResBlock(ch, ch, emb, groups), None, None)
        self.midAttn = SpatialAttention(ch, heads, groups) if attn_res else None
        self.midCrossAttn = SpatialAttention(ch, heads, groups, context_dim) if cross_res else None
        self.mid2 = ResBlock(ch, ch, emb, groups)
        self.up = nn.ModuleList()
        for level in reversed(range(len(mults))):
            blocks = []
            for _ in range(num_res + 1):
                blocks.append(block(ch + skips.pop(), base * mults[level], res))
                ch = base * mults[level]
            resample = None
            if level > 0:
                resample = nn.Conv2d(ch, ch, 3, padding=1)
                res *= 2
            self.up.append(Level(blocks, resample))
        self.normOut = nn.GroupNorm(groups, ch)
        self.convOut = nn.Conv2d(ch, in_ch, 3, padding=1)

    def forward(self, x, t, labels=None, context=None):
        emb = self.timeEmbed(timestep_embedding(t, self.base).to(x.dtype))
        emb = class_embedding(emb, self.labelEmbed, labels)
        h = self.convIn(x)
        skips = [h]
        for level in self.down:
            for b in level.blocks:
                h = b(h, emb, context)
                skips.append(h)
            if level.resample is not None:
                h = level.resample(h)
                skips.append(h)
        h = self.mid1(h, emb, context)
        if self.midAttn is not None:
            h = self.midAttn(h)
        if self.midCrossAttn is not None:
            h = self.midCrossAttn(h, context)
        h = self.mid2(h, emb)
        for level in self.up:
            for b in level.blocks:
                h = b(torch.cat([h, skips.pop()], dim=1), emb, context)
            if level.resample is not None:
                h = level.resample(F.interpolate(h, scale_factor=2, mode="nearest"))
        return self.convOut(F.silu(self.normOut(h)))


def tiny_unet(classes=3):
    # UNetConfig.tiny().withNumClasses(3)
    return UNet(8, 1, 8, (1, 2), 1, (4,), (4,), 8, 2, 4, classes)


def benchmark_unet():
    # UNetConfig.benchmark()
    return UNet(32, 3, 64, (1, 2, 2), 2, (8,), (), 0, 4, 32, 0)


# ---- schedule and samplers (the twin of NoiseSchedule, DdpmSampler, DdimSampler) -------------------------

def linear_alphas_cumprod(steps):
    return torch.cumprod(1 - torch.linspace(1e-4, 0.02, steps, dtype=torch.float64), 0)


def ddpm_sample(model, n, steps, gen):
    ac = linear_alphas_cumprod(steps)
    betas = 1 - ac / torch.cat([torch.ones(1, dtype=torch.float64), ac[:-1]])
    ac_prev = torch.cat([torch.ones(1, dtype=torch.float64), ac[:-1]])
    post_var = betas * (1 - ac_prev) / (1 - ac)
    log_var = torch.log(torch.cat([post_var[1:2], post_var[1:]]))
    c1 = betas * ac_prev.sqrt() / (1 - ac)
    c2 = (1 - ac_prev) * (1 - betas).sqrt() / (1 - ac)
    x = torch.randn(n, 2, generator=gen)
    with torch.no_grad():
        for t in reversed(range(steps)):
            tt = torch.full((n,), t, dtype=torch.long)
            eps = model(x, tt)
            x0 = (x - (1 - ac[t]).sqrt() * eps) / ac[t].sqrt()
            mean = c1[t] * x0 + c2[t] * x
            x = (mean + (0.5 * log_var[t]).exp() * torch.randn(x.shape, generator=gen) if t > 0 else mean).float()
    return x


def ddim_sample(model, n, steps, count, gen, shape=None, eta=0.0):
    ac = linear_alphas_cumprod(steps)
    seq = [round(i * (steps - 1) / (count - 1)) for i in range(count)] if count > 1 else [steps - 1]
    x = torch.randn(*(shape or (n, 2)), generator=gen)
    with torch.no_grad():
        for i in reversed(range(len(seq))):
            t, prev = seq[i], (seq[i - 1] if i > 0 else -1)
            ab, ab_prev = ac[t], (ac[prev] if prev >= 0 else torch.tensor(1.0, dtype=torch.float64))
            eps = model(x, torch.full((x.shape[0],), t, dtype=torch.long))
            x0 = (x - (1 - ab).sqrt() * eps) / ab.sqrt()
            sigma = eta * ((1 - ab_prev) / (1 - ab)).sqrt() * (1 - ab / ab_prev).sqrt()
            x = (ab_prev.sqrt() * x0 + (1 - ab_prev - sigma ** 2).clamp(min=0).sqrt() * eps).float()
            if sigma > 0 and prev >= 0:
                x = x + float(sigma) * torch.randn(x.shape, generator=gen)
    return x


def energy_distance(a, b):
    a, b = a.double(), b.double()
    n, m = len(a), len(b)
    xy = torch.cdist(a, b).mean()
    xx = torch.cdist(a, a).sum() / (n * (n - 1))
    yy = torch.cdist(b, b).sum() / (m * (m - 1))
    return float(2 * xy - xx - yy)


def moons(n, noise, gen):
    t = math.pi * torch.rand(n, generator=gen, dtype=torch.float64)
    moon = torch.randint(0, 2, (n,), generator=gen)
    x = torch.where(moon == 0, torch.cos(t), 1 - torch.cos(t))
    y = torch.where(moon == 0, torch.sin(t), 0.5 - torch.sin(t))
    return (torch.stack([x, y], 1) + noise * torch.randn(n, 2, generator=gen, dtype=torch.float64)).float()


def ring8(n, std, gen):
    k = torch.randint(0, 8, (n,), generator=gen).double()
    centres = torch.stack([2 * torch.cos(2 * math.pi * k / 8), 2 * torch.sin(2 * math.pi * k / 8)], 1)
    return (centres + std * torch.randn(n, 2, generator=gen, dtype=torch.float64)).float()


# ---- commands --------------------------------------------------------------------------------------------

def save(tensors, path):
    """A safetensors file: 8-byte little-endian header length, JSON header, then the raw little-endian data."""
    codes = {torch.float64: "F64", torch.float32: "F32", torch.int64: "I64"}
    header, blobs, offset = {}, [], 0
    for name, t in tensors.items():
        raw = t.contiguous().numpy().tobytes()
        header[name] = {"dtype": codes[t.dtype], "shape": list(t.shape), "data_offsets": [offset, offset + len(raw)]}
        blobs.append(raw)
        offset += len(raw)
    head = json.dumps(header, separators=(",", ":")).encode()
    head += b" " * (-len(head) % 8)
    with open(path, "wb") as f:
        f.write(len(head).to_bytes(8, "little"))
        f.write(head)
        for b in blobs:
            f.write(b)


def load(path):
    """The tensors of a safetensors file (F32, F64 or I64), by name."""
    dtypes = {"F32": torch.float32, "F64": torch.float64, "I64": torch.int64}
    with open(path, "rb") as f:
        head = json.loads(f.read(int.from_bytes(f.read(8), "little")))
        raw = f.read()
    out = {}
    for name, h in head.items():
        if name != "__metadata__":
            a, b = h["data_offsets"]
            out[name] = torch.frombuffer(bytearray(raw[a:b]), dtype=dtypes[h["dtype"]]).reshape(h["shape"]).clone()
    return out


def write_fixture():
    torch.manual_seed(0)
    model = tiny_unet().double()
    with torch.no_grad():  # make the norms' affine parameters non-trivial
        for name, p in model.named_parameters():
            if "norm" in name:
                p.add_(0.1 * torch.randn_like(p))
    g = torch.Generator().manual_seed(1)
    x = torch.randn(2, 1, 8, 8, generator=g, dtype=torch.float64)
    t = torch.tensor([3, 742])
    labels = torch.tensor([2, -1])
    context = torch.randn(2, 3, 8, generator=g, dtype=torch.float64)
    out = model(x, t, labels, context)
    d = os.path.join(ROOT, "diffusion", "src", "test", "resources", "fixtures", "unet_tiny")
    os.makedirs(d, exist_ok=True)
    save({k: v.detach() for k, v in model.state_dict().items()}, os.path.join(d, "model.safetensors"))
    save({"x": x, "t": t, "labels": labels, "context": context, "out": out.detach()},
         os.path.join(d, "io.safetensors"))
    print("wrote", d, sum(p.numel() for p in model.parameters()), "parameters")


def write_fixture2d(steps=8, batch=64):
    """A few training steps of the tiny 2-D denoiser in float64 from shared weights and batches: the loss of each
    step, the gradients of the first (before clipping), the weights and their EMA after the last. Read by
    MlpDenoiserTrainingTest; the recipe is train2d's."""
    torch.manual_seed(0)
    model = MlpDenoiser(hidden=64, blocks=2, time_dim=32).double()
    init = {k: v.detach().clone() for k, v in model.state_dict().items()}
    g = torch.Generator().manual_seed(1)
    data = moons(8192, 0.05, g).double()
    x0 = data[torch.randint(0, len(data), (steps, batch), generator=g)]
    t = torch.randint(0, 1000, (steps, batch), generator=g)
    noise = torch.randn(steps, batch, 2, generator=g, dtype=torch.float64)
    ac = linear_alphas_cumprod(1000)
    opt = torch.optim.AdamW(model.parameters(), lr=2e-3, weight_decay=0)
    shadow = [p.detach().clone() for p in model.parameters()]
    losses, grads = [], {}
    for i in range(steps):
        xt = ac[t[i]].sqrt()[:, None] * x0[i] + (1 - ac[t[i]]).sqrt()[:, None] * noise[i]
        loss = F.mse_loss(model(xt, t[i]), noise[i])
        opt.zero_grad()
        loss.backward()
        if i == 0:
            grads = {"grad." + k: p.grad.detach().clone() for k, p in model.named_parameters()}
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        d = min(0.999, 1 - (1 + i) ** (-2 / 3))
        with torch.no_grad():
            for s, p in zip(shadow, model.parameters()):
                s.mul_(d).add_(p, alpha=1 - d)
        losses.append(loss.item())
    d = os.path.join(ROOT, "diffusion", "src", "test", "resources", "fixtures", "mlp_train")
    os.makedirs(d, exist_ok=True)
    save(init, os.path.join(d, "init.safetensors"))
    out = {"x0": x0, "t": t, "noise": noise, "loss": torch.tensor(losses, dtype=torch.float64)}
    out.update(grads)
    out.update({"param." + k: v.detach() for k, v in model.named_parameters()})
    out.update({"ema." + k: s for (k, _), s in zip(model.named_parameters(), shadow)})
    save(out, os.path.join(d, "steps.safetensors"))
    print("wrote", d, "losses", losses)


def train2d(args):
    torch.set_num_threads(args.threads)
    gen = torch.Generator().manual_seed(args.seed)
    torch.manual_seed(args.seed)
    sample = (lambda n: moons(n, 0.05, gen)) if args.data == "moons" else (lambda n: ring8(n, 0.02, gen))
    data = sample(8192)
    steps = args.timesteps
    ac = linear_alphas_cumprod(steps).float()
    model = MlpDenoiser(hidden=args.hidden, blocks=args.blocks, time_dim=args.time_dim)
    opt = torch.optim.AdamW(model.parameters(), lr=args.lr, weight_decay=0)
    # the recipe of DiffusionExample: gradient-norm clip, then an EMA of the weights with the warmup of
    # core's Ema (decay min(ema, 1 - (1 + n)^(-2/3)) at update n), whose weights are sampled
    shadow = [p.detach().clone() for p in model.parameters()]
    start = time.time()
    for i in range(args.steps):
        x0 = data[torch.randint(0, len(data), (args.batch,), generator=gen)]
        t = torch.randint(0, steps, (args.batch,), generator=gen)
        noise = torch.randn(x0.shape, generator=gen)
        xt = ac[t].sqrt()[:, None] * x0 + (1 - ac[t]).sqrt()[:, None] * noise
        loss = F.mse_loss(model(xt, t), noise)
        opt.zero_grad()
        loss.backward()
        if args.clip > 0:
            torch.nn.utils.clip_grad_norm_(model.parameters(), args.clip)
        opt.step()
        if args.ema > 0:
            d = min(args.ema, 1 - (1 + i) ** (-2 / 3))
            with torch.no_grad():
                for s, p in zip(shadow, model.parameters()):
                    s.mul_(d).add_(p, alpha=1 - d)
    train_s = time.time() - start
    if args.ema > 0:
        with torch.no_grad():
            for s, p in zip(shadow, model.parameters()):
                p.copy_(s)
    if args.save:
        save({k: v.detach().contiguous() for k, v in model.state_dict().items()}, args.save)
    n = args.samples
    fresh = sample(n)
    start = time.time()
    ddpm = ddpm_sample(model, n, steps, gen)
    ddpm_s = time.time() - start
    ddim = ddim_sample(model, n, steps, 50, gen)
    print(json.dumps({"data": args.data, "steps": args.steps, "ema": args.ema, "samples": n,
                      "train_seconds": round(train_s, 2), "ddpm_seconds": round(ddpm_s, 2),
                      "energy_distance_ddpm": energy_distance(ddpm, fresh),
                      "energy_distance_ddim50": energy_distance(ddim, fresh),
                      "energy_distance_gaussian": energy_distance(torch.randn(n, 2, generator=gen), fresh)}))


def score2d(args):
    """Scores 2-D denoisers' weights (a Latent4j checkpoint's model.safetensors or train2d --save) with one
    evaluation: the same DDPM/DDIM-50 samplers, the same starting noise and the same fresh moons for every file, so
    differences between files come from the weights alone."""
    torch.set_num_threads(args.threads)
    for path in args.files:
        state = {k[len("model."):] if k.startswith("model.") else k: v.float() for k, v in load(path).items()}
        # the architecture is read off the weights: width, time-embedding size, number of blocks
        blocks = len({k.split(".")[1] for k in state if k.startswith("blocks.")})
        model = MlpDenoiser(hidden=state["inputProj.weight"].shape[0], blocks=blocks,
                            time_dim=state["timeEmbed.0.weight"].shape[1])
        model.load_state_dict(state)
        gen = torch.Generator().manual_seed(args.seed)
        fresh = moons(args.samples, 0.05, gen)
        ddpm = ddpm_sample(model, args.samples, args.timesteps, gen)
        ddim = ddim_sample(model, args.samples, args.timesteps, 50, gen)
        print(json.dumps({"file": path, "samples": args.samples, "energy_distance_ddpm": energy_distance(ddpm, fresh),
                          "energy_distance_ddim50": energy_distance(ddim, fresh)}), flush=True)


def summarise2d(args):
    """Reads score2d's lines for pairs of runs named as benchmarks/moons-seeds names them (DIR/mS/... for
    Latent4j, DIR/tS.safetensors for the twin) and prints the per-seed table, the means and medians, and the
    difference of the means with its standard error."""
    import re
    import statistics as st
    runs = {}
    for path in args.files:
        for line in open(path):
            if not line.startswith("{"):
                continue
            d = json.loads(line)
            m = re.search(r"(?:^|/)([mt])(\d+)(?:/|\.safetensors)", d["file"])
            if m:
                side = "latent4j" if m.group(1) == "m" else "twin"
                runs.setdefault(int(m.group(2)), {})[side] = (d["energy_distance_ddpm"], d["energy_distance_ddim50"])
    seeds = sorted(s for s, r in runs.items() if len(r) == 2)
    if len(seeds) < 2:
        raise SystemExit("summarise2d: need at least two seeds scored on both sides")
    print("| seed | Latent4j DDPM-1000 | Latent4j DDIM-50 | twin DDPM-1000 | twin DDIM-50 |")
    print("|---|---|---|---|---|")
    for s in seeds:
        ours, twin = runs[s]["latent4j"], runs[s]["twin"]
        print(f"| {s} | {ours[0]:.5f} | {ours[1]:.5f} | {twin[0]:.5f} | {twin[1]:.5f} |")
    for k, name in ((0, "DDPM-1000"), (1, "DDIM-50")):
        ours = [runs[s]["latent4j"][k] for s in seeds]
        twin = [runs[s]["twin"][k] for s in seeds]
        mo, mt = st.mean(ours), st.mean(twin)
        se = math.sqrt(st.variance(ours) / len(ours) + st.variance(twin) / len(twin))
        print(f"{name}, {len(seeds)} seeds: Latent4j mean {mo:.5f} (median {st.median(ours):.5f}, sd {st.stdev(ours):.5f}); "
              f"twin mean {mt:.5f} (median {st.median(twin):.5f}, sd {st.stdev(twin):.5f}); Latent4j / twin {mo / mt:.3f} "
              f"({100 * (mo - mt) / mt:+.1f}% +- {100 * se / mt:.1f}% s.e.); Latent4j better on "
              f"{sum(a < b for a, b in zip(ours, twin))} of {len(seeds)} seeds")


def bench_unet(args):
    torch.set_num_threads(2)
    torch.manual_seed(0)
    model = benchmark_unet()
    opt = torch.optim.AdamW(model.parameters(), lr=1e-4)
    x = torch.randn(16, 3, 32, 32)
    t = torch.randint(0, 1000, (16,))

    def timed(fn, reps):
        fn()
        times = []
        for _ in range(reps):
            s = time.perf_counter()
            fn()
            times.append(time.perf_counter() - s)
        return sorted(times)[len(times) // 2] * 1000

    forward, train_step, ddim50 = unet_steps(model, opt, x, t)
    print(json.dumps({"unet_forward_ms": timed(forward, args.reps), "unet_train_step_ms": timed(train_step, args.reps),
                      "unet_ddim50_ms": timed(ddim50, 1)}))


def unet_steps(model, opt, x, t):
    """The three timed U-Net calls (bench-unet here, bench.py's unet rows): a no-grad forward, a training step
    (MSE to x, backward, optimizer step) and DDIM-50 sampling of a batch of x's shape."""
    def forward():
        with torch.no_grad():
            model(x, t)

    def train_step():
        loss = F.mse_loss(model(x, t), x)
        opt.zero_grad()
        loss.backward()
        opt.step()

    def ddim50():
        ddim_sample(model, x.shape[0], 1000, 50, torch.Generator().manual_seed(0), shape=tuple(x.shape))

    return forward, train_step, ddim50


if __name__ == "__main__":
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    p = argparse.ArgumentParser()
    p.add_argument("command", choices=["fixture", "fixture2d", "train2d", "score2d", "summarise2d", "bench-unet"])
    p.add_argument("--data", default="moons", choices=["moons", "ring8"])
    p.add_argument("--steps", type=int, default=3000)
    p.add_argument("--timesteps", type=int, default=1000)
    p.add_argument("--batch", type=int, default=256)
    p.add_argument("--lr", type=float, default=2e-3)
    p.add_argument("--hidden", type=int, default=128)
    p.add_argument("--blocks", type=int, default=3)
    p.add_argument("--time-dim", dest="time_dim", type=int, default=64)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--samples", type=int, default=2000)
    p.add_argument("--threads", type=int, default=2, help="torch threads (1 on a crowded machine)")
    p.add_argument("--ema", type=float, default=0.999, help="EMA decay of the sampled weights, 0 for none")
    p.add_argument("--clip", type=float, default=1.0, help="gradient-norm clip, 0 for none")
    p.add_argument("--reps", type=int, default=5)
    p.add_argument("--save", help="train2d: write the sampled (EMA) weights to this safetensors file")
    p.add_argument("files", nargs="*", help="score2d: weight files to score; summarise2d: score2d's output files")
    a = p.parse_intermixed_args()
    {"fixture": lambda: write_fixture(), "fixture2d": lambda: write_fixture2d(), "train2d": lambda: train2d(a),
     "score2d": lambda: score2d(a), "summarise2d": lambda: summarise2d(a), "bench-unet": lambda: bench_unet(a)}[a.command]()
