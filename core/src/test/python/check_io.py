"""Checks, in PyTorch and NumPy, the files Latent4j wrote (run by hand after the writer changes):

- core/src/test/resources/io/latent4j.safetensors: SafeTensorsTest asserts that our writer produces exactly
  these bytes; here they are parsed by hand (the `safetensors` package is not installed) and compared with
  values computed independently: element i of the k-th tensor is (i - 2) * 0.5 + k for float dtypes,
  i + k for integers, i % 2 for bool, each of shape (2, 3), plus a float32 scalar 3.5.
- core/src/test/resources/io/latent4j.npy: NpyTest writes these bytes; numpy.load must read
  arange(6).reshape(2, 3) * 1.5 as float64.

Run: cd core/src/test/python && /usr/bin/python3 check_io.py
"""
import json
import os
import struct

import numpy as np
import torch

IO = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "resources", "io")
TORCH = {"F32": torch.float32, "F64": torch.float64, "F16": torch.float16, "BF16": torch.bfloat16,
         "I64": torch.int64, "I32": torch.int32, "U8": torch.uint8, "BOOL": torch.bool}


def load_safetensors(path):
    with open(path, "rb") as f:
        blob = f.read()
    (n,) = struct.unpack("<Q", blob[:8])
    header = json.loads(blob[8:8 + n])
    data = blob[8 + n:]
    meta = header.pop("__metadata__", {})
    out = {}
    end = 0
    for name, info in sorted(header.items(), key=lambda kv: kv[1]["data_offsets"][0]):
        b, e = info["data_offsets"]
        assert b == end, f"{name}: gap or overlap at {b}"
        end = e
        dtype = TORCH[info["dtype"]]
        buf = bytearray(data[b:e])
        flat = torch.frombuffer(buf, dtype=dtype) if e > b else torch.empty(0, dtype=dtype)
        out[name] = flat.reshape(info["shape"])
    assert end == len(data), "data not fully covered"
    assert (8 + n) % 8 == 0, "data is not 8-byte aligned"
    return out, meta


def main():
    tensors, meta = load_safetensors(os.path.join(IO, "latent4j.safetensors"))
    assert meta == {"writer": "latent4j"}, meta
    codes = ["F32", "F64", "F16", "BF16", "I64", "I32", "U8", "BOOL"]
    assert list(tensors) == ["t." + c.lower() for c in codes] + ["scalar"], list(tensors)
    i = torch.arange(6, dtype=torch.float64)
    for k, code in enumerate(codes):
        t = tensors["t." + code.lower()]
        dtype = TORCH[code]
        if dtype == torch.bool:
            want = (i % 2).bool()
        elif dtype.is_floating_point:
            want = ((i - 2) * 0.5 + k).to(dtype)
        else:
            want = (i + k).to(dtype)
        assert t.dtype == dtype and t.shape == (2, 3), (code, t.dtype, t.shape)
        assert torch.equal(t, want.reshape(2, 3)), (code, t, want)
    assert tensors["scalar"].shape == () and tensors["scalar"].item() == 3.5
    print("latent4j.safetensors: OK,", len(tensors), "tensors")

    a = np.load(os.path.join(IO, "latent4j.npy"))
    assert a.dtype == np.float64 and a.shape == (2, 3) and np.array_equal(a, np.arange(6.0).reshape(2, 3) * 1.5), a
    print("latent4j.npy: OK")


if __name__ == "__main__":
    main()
