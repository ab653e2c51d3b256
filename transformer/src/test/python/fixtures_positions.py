"""Golden values for SinusoidalPositions and RotaryEmbedding (read by PositionsTest.java).
Run: cd transformer/src/test/python && /usr/bin/python3 fixtures_positions.py
"""
import math
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "..", "..", "core", "src", "test", "python"))
import fixture_io  # noqa: E402
from fixture_io import case, leaf, write  # noqa: E402
import torch  # noqa: E402

fixture_io.FIXTURES = os.path.join(HERE, "..", "resources", "fixtures")


def sinusoidal(start, length, dim):
    pos = torch.arange(start, start + length, dtype=torch.float64)[:, None]
    div = torch.pow(10000.0, torch.arange(0, dim, 2, dtype=torch.float64) / dim)
    pe = torch.zeros(length, dim)
    pe[:, 0::2] = torch.sin(pos / div)
    pe[:, 1::2] = torch.cos(pos / div)
    return pe


def rope(x, start, base=10000.0):
    t, d = x.shape[-2], x.shape[-1]
    inv = base ** (-torch.arange(0, d, 2, dtype=torch.float64) / d)
    angles = torch.arange(start, start + t, dtype=torch.float64)[:, None] * inv[None, :]
    emb = torch.cat([angles, angles], dim=-1)
    x1, x2 = x[..., : d // 2], x[..., d // 2:]
    return x * emb.cos() + torch.cat([-x2, x1], dim=-1) * emb.sin()


def main():
    gen = torch.Generator().manual_seed(5)
    x = leaf(2, 3, 4, 6, gen=gen)
    y = rope(x, 3)
    gy = torch.rand(y.shape, generator=gen)
    y.backward(gy)
    write("transformer_positions", "transformer/src/test/python/fixtures_positions.py", {
        "sinusoidal": case(table=sinusoidal(5, 4, 8), start=5),
        "rope": case(x=x, y=y, gy=gy, gx=x.grad, start=3),
    })


if __name__ == "__main__":
    main()
