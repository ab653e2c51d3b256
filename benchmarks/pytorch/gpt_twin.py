"""The PyTorch twin of Latent4j's GPT: same model, same names, same training recipe, same evaluation.

Used to check that the Java GPT trains as well as PyTorch (docs/transformer.md records both numbers) and as
the PyTorch side of the GPT benchmarks. Model: pre-LN GPT-2 blocks (GELU in its tanh form), learned positions,
lm_head tied to the token embedding, normal(0, 0.02) init with 0.02/sqrt(2*layers) on the residual
projections, parameters named as org.latent4j.transformer.Gpt names them (wte, wpe, blocks.N.ln1,
blocks.N.attn.qkv, blocks.N.attn.proj, blocks.N.ln2, blocks.N.mlp.fc, blocks.N.mlp.proj, ln_f).

Recipe of the "baby" preset (nanoGPT's CPU recipe): 4 layers, 4 heads, 128 wide, block 64, batch 12, dropout 0,
AdamW(lr 1e-3, betas (0.9, 0.99), weight decay 0.1 on >=2-D parameters only), linear warmup 100 steps then
cosine to 1e-4 at the last step, gradient clipping at norm 1.0. Character-level tokens (the sorted set of the
corpus's characters); the validation split is the last 10% of the text; val_loss is the mean per-token
cross-entropy over the whole validation split in consecutive non-overlapping windows of the block size.

  /usr/bin/python3 benchmarks/pytorch/gpt_twin.py train --corpus FILE --steps 2000 --seed 1 --out DIR
  /usr/bin/python3 benchmarks/pytorch/gpt_twin.py bench [--new-tokens 256]     # prints JSON lines
Without --corpus, the text is Debian's fortunes read as Latent4j's TextCorpus.fortunes() reads them: the fortunes of
every file in /usr/share/games/fortunes without an extension, in name order, joined by blank lines.
"""
import argparse
import json
import math
import os
import statistics
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

FORTUNES = "/usr/share/games/fortunes"


class Config:
    def __init__(self, vocab_size, block_size=64, layers=4, heads=4, embed=128, dropout=0.0):
        self.vocab_size, self.block_size, self.layers, self.heads, self.embed, self.dropout = (
            vocab_size, block_size, layers, heads, embed, dropout)


class SelfAttention(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.heads = c.heads
        self.qkv = nn.Linear(c.embed, 3 * c.embed)
        self.proj = nn.Linear(c.embed, c.embed)
        self.dropout = c.dropout

    def forward(self, x, cache=None):
        b, t, e = x.shape
        h, d = self.heads, e // self.heads
        q, k, v = self.qkv(x).split(e, dim=2)
        q, k, v = (z.view(b, t, h, d).transpose(1, 2) for z in (q, k, v))  # (B, H, T, D)
        if cache is not None:
            if cache.get("k") is not None:
                k = torch.cat([cache["k"], k], dim=2)
                v = torch.cat([cache["v"], v], dim=2)
            cache["k"], cache["v"] = k, v
        tk = k.shape[2]
        att = q @ k.transpose(-2, -1) / math.sqrt(d)  # (B, H, T, Tk)
        # Query i sits at absolute position tk - t + i and sees keys up to there.
        mask = torch.ones(t, tk, dtype=torch.bool).tril(diagonal=tk - t)
        att = att.masked_fill(~mask, float("-inf")).softmax(-1)
        att = F.dropout(att, self.dropout, self.training)
        y = (att @ v).transpose(1, 2).reshape(b, t, e)
        return F.dropout(self.proj(y), self.dropout, self.training)


class Mlp(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.fc = nn.Linear(c.embed, 4 * c.embed)
        self.proj = nn.Linear(4 * c.embed, c.embed)
        self.dropout = c.dropout

    def forward(self, x):
        return F.dropout(self.proj(F.gelu(self.fc(x), approximate="tanh")), self.dropout, self.training)


class Block(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.ln1 = nn.LayerNorm(c.embed)
        self.attn = SelfAttention(c)
        self.ln2 = nn.LayerNorm(c.embed)
        self.mlp = Mlp(c)

    def forward(self, x, cache=None):
        x = x + self.attn(self.ln1(x), cache)
        return x + self.mlp(self.ln2(x))


class Gpt(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.c = c
        self.wte = nn.Embedding(c.vocab_size, c.embed)
        self.wpe = nn.Embedding(c.block_size, c.embed)
        self.blocks = nn.ModuleList(Block(c) for _ in range(c.layers))
        self.ln_f = nn.LayerNorm(c.embed)
        for name, p in self.named_parameters():
            if p.dim() >= 2:
                std = 0.02 / math.sqrt(2 * c.layers) if name.endswith("proj.weight") else 0.02
                nn.init.normal_(p, 0.0, std)
            elif name.endswith(".bias"):
                nn.init.zeros_(p)

    def forward(self, ids, caches=None, start=0):
        t = ids.shape[1]
        x = self.wte(ids) + self.wpe(torch.arange(start, start + t))
        x = F.dropout(x, self.c.dropout, self.training)
        for i, block in enumerate(self.blocks):
            x = block(x, None if caches is None else caches[i])
        return self.ln_f(x) @ self.wte.weight.T  # (B, T, V), tied


def lr_at(step, steps, lr=1e-3, min_lr=1e-4, warmup=100):
    if step < warmup:
        return lr * (step + 1) / warmup
    # As Latent4j's LrSchedule.warmupCosine(warmup, steps, min_lr).
    progress = (step - warmup) / max(1, steps - warmup)
    return min_lr + 0.5 * (lr - min_lr) * (1 + math.cos(math.pi * min(1.0, progress)))


def optimizer(model, lr=1e-3, weight_decay=0.1):
    decay = [p for p in model.parameters() if p.dim() >= 2]
    rest = [p for p in model.parameters() if p.dim() < 2]
    return torch.optim.AdamW([{"params": decay, "weight_decay": weight_decay}, {"params": rest, "weight_decay": 0.0}],
                             lr=lr, betas=(0.9, 0.99), eps=1e-8)


def read_corpus(path):
    if path:
        with open(path, encoding="utf-8", errors="replace") as f:
            return f.read()
    # As Latent4j's TextCorpus.fortunes(): the fortunes of each extension-less file in name order, split at
    # lines holding only "%", stripped, joined by blank lines.
    fortunes = []
    for name in sorted(os.listdir(FORTUNES)):
        full = os.path.join(FORTUNES, name)
        if "." in name or not os.path.isfile(full) or os.path.islink(full):
            continue
        with open(full, encoding="utf-8", errors="replace") as f:
            current = []
            for line in f.read().split("\n"):
                if line.strip() == "%":
                    fortunes.append("".join(current).strip())
                    current = []
                else:
                    current.append(line + "\n")
            fortunes.append("".join(current).strip())
    return "\n\n".join(x for x in fortunes if x) + "\n"


def val_loss(model, val, block):
    model.eval()
    total, count = 0.0, 0
    with torch.no_grad():
        windows = (len(val) - 1) // block
        for i in range(0, windows, 64):
            rows = range(i, min(windows, i + 64))
            x = torch.stack([val[j * block:(j + 1) * block] for j in rows])
            y = torch.stack([val[j * block + 1:(j + 1) * block + 1] for j in rows])
            logits = model(x)
            total += F.cross_entropy(logits.reshape(-1, logits.shape[-1]), y.reshape(-1), reduction="sum").item()
            count += y.numel()
    model.train()
    return total / count


def train(args):
    torch.manual_seed(args.seed)
    torch.set_num_threads(args.threads)
    text = read_corpus(args.corpus)
    chars = sorted(set(text))
    index = {ch: i for i, ch in enumerate(chars)}
    data = torch.tensor([index[ch] for ch in text], dtype=torch.long)
    split = int(len(data) * 0.9)
    train_data, val_data = data[:split], data[split:]
    c = Config(len(chars))
    model = Gpt(c)
    opt = optimizer(model)
    gen = torch.Generator().manual_seed(args.seed)
    start, losses = time.time(), []
    for step in range(args.steps):
        for g in opt.param_groups:
            g["lr"] = lr_at(step, args.steps)
        ix = torch.randint(len(train_data) - c.block_size - 1, (args.batch,), generator=gen)
        x = torch.stack([train_data[i:i + c.block_size] for i in ix])
        y = torch.stack([train_data[i + 1:i + 1 + c.block_size] for i in ix])
        logits = model(x)
        loss = F.cross_entropy(logits.reshape(-1, c.vocab_size), y.reshape(-1))
        opt.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        losses.append(loss.item())
        if step % 100 == 0 or step == args.steps - 1:
            print("step %d loss %.4f" % (step, loss.item()), flush=True)
    seconds = time.time() - start
    metrics = {"train_loss": statistics.mean(losses[-50:]), "val_loss": val_loss(model, val_data, c.block_size),
               "tokens_per_second": args.steps * args.batch * c.block_size / seconds,
               "parameters": sum(p.numel() for p in model.parameters()), "steps": args.steps,
               "seconds": seconds, "torch": torch.__version__}
    print(json.dumps(metrics))
    if args.out:
        os.makedirs(args.out, exist_ok=True)
        with open(os.path.join(args.out, "metrics.json"), "w") as f:
            json.dump(metrics, f, indent=2)


def decode(model, prompt, new_tokens, cached):
    """Greedy decoding; contexts longer than the block keep their last half (the cache is refilled then)."""
    block = model.c.block_size
    ids = list(prompt)
    with torch.no_grad():
        if not cached:
            for _ in range(new_tokens):
                logits = model(torch.tensor([ids[-block:]]))
                ids.append(int(logits[0, -1].argmax()))
            return ids
        caches, pos, pending = None, 0, ids
        for _ in range(new_tokens):
            if caches is None or pos + len(pending) > block:
                pending = ids[-(block // 2):] if len(ids) > block // 2 else ids
                caches, pos = [{} for _ in model.blocks], 0
            logits = model(torch.tensor([pending]), caches, pos)
            pos += len(pending)
            nxt = int(logits[0, -1].argmax())
            ids.append(nxt)
            pending = [nxt]
    return ids


def train_step_fn(model, batch=12):
    """One recipe training step (forward, backward, clip 1.0, AdamW) on a fixed random batch, as a closure."""
    c = model.c
    opt = optimizer(model)
    x = torch.randint(0, c.vocab_size, (batch, c.block_size))
    y = torch.randint(0, c.vocab_size, (batch, c.block_size))

    def step():
        loss = F.cross_entropy(model(x).reshape(-1, c.vocab_size), y.reshape(-1))
        opt.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
    return step


def bench(args):
    torch.manual_seed(0)
    torch.set_num_threads(args.threads)
    c = Config(65)
    model = Gpt(c)
    step = train_step_fn(model)

    for _ in range(5):
        step()
    times = []
    for _ in range(args.repeats):
        t0 = time.perf_counter()
        step()
        times.append(time.perf_counter() - t0)
    print(json.dumps({"benchmark": "gptBabyTrainStep", "batch": 12, "tokens": c.block_size,
                      "ms_median": 1000 * statistics.median(times)}))
    model.eval()
    for cached in (True, False):
        decode(model, [1], 16, cached)
        t0 = time.perf_counter()
        decode(model, [1], args.new_tokens, cached)
        seconds = time.perf_counter() - t0
        print(json.dumps({"benchmark": "gptBabyDecode" + ("KvCache" if cached else "NoCache"),
                          "new_tokens": args.new_tokens, "tokens_per_second": args.new_tokens / seconds}))


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="cmd", required=True)
    t = sub.add_parser("train")
    t.add_argument("--corpus")
    t.add_argument("--steps", type=int, default=2000)
    t.add_argument("--batch", type=int, default=12)
    t.add_argument("--seed", type=int, default=1)
    t.add_argument("--threads", type=int, default=2)
    t.add_argument("--out")
    b = sub.add_parser("bench")
    b.add_argument("--new-tokens", type=int, default=256)
    b.add_argument("--repeats", type=int, default=30)
    b.add_argument("--threads", type=int, default=2)
    args = ap.parse_args()
    train(args) if args.cmd == "train" else bench(args)


if __name__ == "__main__":
    main()
