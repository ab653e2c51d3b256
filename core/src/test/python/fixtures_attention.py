"""Golden values for scaled dot-product attention with causal and padding masks (PyTorch 1.13 has no fused
SDPA, so it is composed here as softmax(q kᵀ · scale + mask) v with masked entries filled with -inf)."""
import math

import torch

from fixture_io import case, leaf, write

g = torch.Generator().manual_seed(5)
cases = {}


def attention(q, k, v, causal, padding, scale):
    s = q @ k.transpose(-1, -2) * scale  # (B, H, Tq, Tk)
    tq, tk = s.shape[-2], s.shape[-1]
    masked = torch.zeros(s.shape, dtype=torch.bool)
    if causal:
        masked = masked | torch.ones(tq, tk, dtype=torch.bool).triu(1 + tk - tq)
    if padding is not None:
        masked = masked | ~padding.bool()[:, None, None, :]
    s = s.masked_fill(masked, float("-inf"))
    return torch.softmax(s, -1) @ v


for name, b, h, tq, tk, d, dv, causal, padded, scale in [
    ("plain", 2, 2, 3, 4, 5, 3, False, False, None),
    ("causal", 1, 2, 4, 4, 3, 3, True, False, None),
    ("padding", 2, 1, 3, 4, 4, 2, False, True, None),
    ("causal_padding_scale", 2, 2, 4, 4, 3, 2, True, True, 0.7),
]:
    q = leaf(b, h, tq, d, gen=g)
    k = leaf(b, h, tk, d, gen=g)
    v = leaf(b, h, tk, dv, gen=g)
    padding = None
    if padded:
        padding = torch.ones(b, tk)
        padding[0, -1] = 0
        padding[-1, -2:] = 0
    out = attention(q, k, v, causal, padding, scale if scale is not None else 1 / math.sqrt(d))
    w = torch.rand(out.shape, generator=g)
    (out * w).sum().backward()
    extra = {"padding": padding} if padded else {}
    cases[name] = case(q=q, k=k, v=v, w=w, out=out, grad_q=q.grad, grad_k=k.grad, grad_v=v.grad,
                       causal=int(causal), scale=scale if scale is not None else 0.0, **extra)

# Self-attention on a packed projection as nanoGPT writes it: qkv (B, T, 3E) split into q, k, v, each viewed as
# (B, T, H, D) and transposed to (B, H, T, D), attended, and the heads joined back to (B, T, E).
for name, b, t, h, d, causal, padded in [
    ("packed_causal", 2, 5, 2, 3, True, False),
    ("packed_padding", 2, 4, 3, 2, False, True),
]:
    qkv = leaf(b, t, 3 * h * d, gen=g)
    q, k, v = (p.view(b, t, h, d).transpose(1, 2) for p in qkv.split(h * d, dim=2))
    padding = None
    if padded:
        padding = torch.ones(b, t)
        padding[0, -1] = 0
    out = attention(q, k, v, causal, padding, 1 / math.sqrt(d)).transpose(1, 2).reshape(b, t, h * d)
    w = torch.rand(out.shape, generator=g)
    (out * w).sum().backward()
    extra = {"padding": padding} if padded else {}
    cases[name] = case(qkv=qkv, w=w, out=out, grad_qkv=qkv.grad, heads=h, causal=int(causal), **extra)

write("attention", __file__.split("/")[-1], cases)
