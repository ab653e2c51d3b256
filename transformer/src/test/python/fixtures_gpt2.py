"""A tiny random GPT-2 in plain PyTorch, saved the way Hugging Face saves GPT-2 (read by Gpt2CheckpointTest.java).

The model is written out here (no transformers package): parameter names and layouts are those of
transformers' GPT2Model state_dict as found in the hub's model.safetensors (no "transformer." prefix, Conv1D
weights stored (in, out) and applied as x @ W + b, the causal-mask buffers "h.N.attn.bias", lm_head tied to
wte and not stored), GELU in its tanh form ("gelu_new"), layer-norm eps 1e-5.

Writes into ../resources/fixtures/gpt2_tiny/:
  model.safetensors   float32 weights (the safetensors format written by hand below)
  grads.safetensors   float64 gradients of the loss, by the same names and layouts
  gpt2_tiny.json      (one level up) input ids, float64 logits computed from the float32 weights, the loss
Run: cd transformer/src/test/python && /usr/bin/python3 fixtures_gpt2.py
"""
import json
import math
import os
import struct
import sys

import torch

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "..", "..", "core", "src", "test", "python"))
import fixture_io  # noqa: E402  (core's writer for the JSON fixtures)
from fixture_io import case, write  # noqa: E402

fixture_io.FIXTURES = os.path.join(HERE, "..", "resources", "fixtures")

OUT = os.path.join(HERE, "..", "resources", "fixtures", "gpt2_tiny")
VOCAB, POSITIONS, EMBED, LAYERS, HEADS = 50, 16, 16, 2, 2


def save_safetensors(path, tensors):
    """The safetensors layout: u64 little-endian header length, a JSON header, then the raw little-endian data."""
    codes = {torch.float32: "F32", torch.float64: "F64", torch.uint8: "U8", torch.bool: "BOOL"}
    header, blobs, offset = {"__metadata__": {"format": "pt"}}, [], 0
    for name, t in tensors.items():
        t = t.detach().contiguous()
        data = t.numpy().tobytes()
        header[name] = {"dtype": codes[t.dtype], "shape": list(t.shape), "data_offsets": [offset, offset + len(data)]}
        blobs.append(data)
        offset += len(data)
    text = json.dumps(header, separators=(",", ":")).encode("utf-8")
    text += b" " * (-len(text) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)))
        f.write(text)
        for b in blobs:
            f.write(b)


def gelu_new(x):
    return 0.5 * x * (1.0 + torch.tanh(math.sqrt(2.0 / math.pi) * (x + 0.044715 * torch.pow(x, 3.0))))


def layer_norm(x, p, name):
    return torch.nn.functional.layer_norm(x, (EMBED,), p[name + ".weight"], p[name + ".bias"], 1e-5)


def conv1d(x, p, name):
    return x @ p[name + ".weight"] + p[name + ".bias"]


def forward(p, ids):
    b, t = ids.shape
    x = p["wte.weight"][ids] + p["wpe.weight"][torch.arange(t)]
    d = EMBED // HEADS
    for i in range(LAYERS):
        pre = "h.%d." % i
        h = layer_norm(x, p, pre + "ln_1")
        q, k, v = conv1d(h, p, pre + "attn.c_attn").split(EMBED, dim=2)
        q, k, v = (z.view(b, t, HEADS, d).transpose(1, 2) for z in (q, k, v))  # (B, H, T, D)
        att = q @ k.transpose(-2, -1) / math.sqrt(d)  # (B, H, T, T)
        att = att.masked_fill(p[pre + "attn.bias"][:, :, :t, :t] == 0, float("-inf")).softmax(-1)
        y = (att @ v).transpose(1, 2).reshape(b, t, EMBED)
        x = x + conv1d(y, p, pre + "attn.c_proj")
        h = gelu_new(conv1d(layer_norm(x, p, pre + "ln_2"), p, pre + "mlp.c_fc"))
        x = x + conv1d(h, p, pre + "mlp.c_proj")
    x = layer_norm(x, p, "ln_f")
    return x @ p["wte.weight"].T  # (B, T, V), lm_head tied to wte


def main():
    gen = torch.Generator().manual_seed(2024)

    def rnd(*shape, std=0.2):
        return torch.randn(*shape, generator=gen, dtype=torch.float32) * std

    p = {"wte.weight": rnd(VOCAB, EMBED, std=0.5), "wpe.weight": rnd(POSITIONS, EMBED, std=0.3)}
    for i in range(LAYERS):
        pre = "h.%d." % i
        p[pre + "ln_1.weight"] = 1 + rnd(EMBED, std=0.1)
        p[pre + "ln_1.bias"] = rnd(EMBED, std=0.1)
        p[pre + "attn.bias"] = torch.tril(torch.ones(POSITIONS, POSITIONS, dtype=torch.uint8)).view(
            1, 1, POSITIONS, POSITIONS)
        p[pre + "attn.c_attn.weight"] = rnd(EMBED, 3 * EMBED, std=0.4)
        p[pre + "attn.c_attn.bias"] = rnd(3 * EMBED, std=0.1)
        p[pre + "attn.c_proj.weight"] = rnd(EMBED, EMBED)
        p[pre + "attn.c_proj.bias"] = rnd(EMBED, std=0.1)
        p[pre + "ln_2.weight"] = 1 + rnd(EMBED, std=0.1)
        p[pre + "ln_2.bias"] = rnd(EMBED, std=0.1)
        p[pre + "mlp.c_fc.weight"] = rnd(EMBED, 4 * EMBED, std=0.3)
        p[pre + "mlp.c_fc.bias"] = rnd(4 * EMBED, std=0.1)
        p[pre + "mlp.c_proj.weight"] = rnd(4 * EMBED, EMBED)
        p[pre + "mlp.c_proj.bias"] = rnd(EMBED, std=0.1)
    p["ln_f.weight"] = 1 + rnd(EMBED, std=0.1)
    p["ln_f.bias"] = rnd(EMBED, std=0.1)
    os.makedirs(OUT, exist_ok=True)
    save_safetensors(os.path.join(OUT, "model.safetensors"), p)

    # Reference values in float64 from the float32 weights.
    p64 = {k: (v.double().requires_grad_(True) if v.dtype == torch.float32 else v) for k, v in p.items()}
    ids = torch.randint(0, VOCAB, (2, 7), generator=gen)
    logits = forward(p64, ids)
    loss = torch.nn.functional.cross_entropy(logits[:, :-1].reshape(-1, VOCAB), ids[:, 1:].reshape(-1))
    loss.backward()
    grads = {k: v.grad for k, v in p64.items() if v.dtype == torch.float64}
    save_safetensors(os.path.join(OUT, "grads.safetensors"), grads)
    write("gpt2_tiny", "transformer/src/test/python/fixtures_gpt2.py", {
        "forward": case(ids=ids, logits=logits, loss=loss.item(), vocab=VOCAB, positions=POSITIONS, embed=EMBED,
                        layers=LAYERS, heads=HEADS)})


if __name__ == "__main__":
    main()
