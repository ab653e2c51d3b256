"""Shared writer for the PyTorch golden-value fixtures read by core's Fixtures.java.

Each fixture file is JSON: {"generator": script, "torch": version, "cases": {name: {key: array-or-number}}},
an array being {"shape": [...], "data": [...]} in row-major order, float64 (or integers for indices).
"""
import json
import os

import torch

torch.set_default_dtype(torch.float64)
FIXTURES = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "resources", "fixtures")


def arr(t):
    t = t.detach()
    if t.dtype in (torch.int64, torch.int32, torch.bool, torch.uint8):
        data = [int(v) for v in t.reshape(-1).tolist()]
    else:
        data = [float(v) for v in t.double().reshape(-1).tolist()]
    return {"shape": list(t.shape), "data": data}


def case(**items):
    out = {}
    for k, v in items.items():
        out[k] = arr(v) if isinstance(v, torch.Tensor) else v
    return out


def write(name, generator, cases):
    os.makedirs(FIXTURES, exist_ok=True)
    path = os.path.join(FIXTURES, name + ".json")
    with open(path, "w") as f:
        json.dump({"generator": generator, "torch": torch.__version__, "cases": cases}, f)
    print("wrote", os.path.normpath(path), len(cases), "cases")


def leaf(*shape, lo=-1.0, hi=1.0, gen=None):
    """A float64 leaf requiring grad, uniform in [lo, hi)."""
    return (torch.rand(*shape, generator=gen) * (hi - lo) + lo).requires_grad_(True)
