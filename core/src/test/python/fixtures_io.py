"""Writes the io fixtures under core/src/test/resources/io/, read by SafeTensorsTest and NpyTest.

- torch.safetensors: PyTorch tensors of every supported dtype in the safetensors format, written by hand
  below (the `safetensors` package is not installed here; the format is an 8-byte little-endian header
  length, a JSON header, then the raw bytes), with the header keys NOT in data order.
- torch_expected.json: the same values as float64/int lists, for comparison.
- numpy_*.npy: arrays saved by numpy.save (format 1.0), one in format 2.0, one Fortran-ordered.

Run: cd core/src/test/python && /usr/bin/python3 fixtures_io.py
"""
import json
import os
import struct

import numpy as np
import torch

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "resources", "io")
DTYPES = {torch.float32: "F32", torch.float64: "F64", torch.float16: "F16", torch.bfloat16: "BF16",
          torch.int64: "I64", torch.int32: "I32", torch.uint8: "U8", torch.bool: "BOOL"}


def raw_bytes(t):
    t = t.contiguous()
    if t.dtype == torch.bfloat16:  # numpy has no bfloat16: reinterpret the bits as int16
        return t.view(torch.int16).numpy().astype("<i2").tobytes()
    return t.numpy().astype(t.numpy().dtype.newbyteorder("<")).tobytes()


def save_safetensors(path, tensors, metadata):
    header, blobs, offset = {}, [], 0
    for name, t in tensors.items():
        b = raw_bytes(t)
        header[name] = {"dtype": DTYPES[t.dtype], "shape": list(t.shape), "data_offsets": [offset, offset + len(b)]}
        blobs.append(b)
        offset += len(b)
    header = dict(reversed(list(header.items())))  # keys in reverse data order: readers must sort by offset
    header["__metadata__"] = metadata
    text = json.dumps(header, separators=(",", ":")).encode()
    text += b" " * (-len(text) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)))
        f.write(text)
        for b in blobs:
            f.write(b)


def values(t):
    if t.dtype.is_floating_point:
        return [float(v) for v in t.double().reshape(-1).tolist()]
    return [int(v) for v in t.long().reshape(-1).tolist()]


def main():
    os.makedirs(OUT, exist_ok=True)
    g = torch.Generator().manual_seed(3)
    tensors = {
        "layer.weight": torch.randn(2, 3, generator=g),
        "layer.bias": torch.randn(3, generator=g, dtype=torch.float64),
        "half": torch.randn(3, 2, generator=g).half(),
        "brain": torch.randn(2, 2, generator=g).bfloat16(),
        "steps": torch.tensor([0, -1, 2**40, -(2**62), 7], dtype=torch.int64),
        "ints": torch.tensor([[1, -2], [2**31 - 1, -(2**31)]], dtype=torch.int32),
        "bytes": torch.tensor([0, 127, 255], dtype=torch.uint8),
        "mask": torch.tensor([True, False, False, True]),
        "scalar": torch.tensor(2.5),
        "empty": torch.zeros(0, 3),
    }
    save_safetensors(os.path.join(OUT, "torch.safetensors"), tensors, {"format": "pt", "source": "fixtures_io.py"})
    expected = {name: {"dtype": DTYPES[t.dtype], "shape": list(t.shape), "data": values(t)} for name, t in tensors.items()}
    with open(os.path.join(OUT, "torch_expected.json"), "w") as f:
        json.dump({"generator": "fixtures_io.py", "torch": torch.__version__, "tensors": expected}, f, indent=1)

    rng = np.random.default_rng(5)
    arrays = {
        "numpy_f4": rng.standard_normal((2, 3)).astype(np.float32),
        "numpy_f8": rng.standard_normal(4),
        "numpy_i4": np.array([[1, -2, 3], [2**31 - 1, -(2**31), 0]], dtype=np.int32),
        "numpy_i8": np.array([2**40, -5, 0], dtype=np.int64),
        "numpy_u1": np.array([0, 1, 200, 255], dtype=np.uint8),
        "numpy_scalar": np.array(1.25, dtype=np.float64),
    }
    for name, a in arrays.items():
        np.save(os.path.join(OUT, name + ".npy"), a)
    with open(os.path.join(OUT, "numpy_v2.npy"), "wb") as f:
        np.lib.format.write_array(f, np.arange(6, dtype=np.float32).reshape(3, 2), version=(2, 0))
    np.save(os.path.join(OUT, "numpy_fortran.npy"), np.asfortranarray(np.arange(6.0).reshape(2, 3)))
    exp = {name: {"shape": list(a.shape), "data": a.reshape(-1).tolist()} for name, a in arrays.items()}
    with open(os.path.join(OUT, "numpy_expected.json"), "w") as f:
        json.dump({"generator": "fixtures_io.py", "numpy": np.__version__, "arrays": exp}, f, indent=1)
    print("wrote", os.path.normpath(OUT))


if __name__ == "__main__":
    main()
