"""Joins JMH's CSV with bench.py's output into the comparison table and results/latest.csv."""
import csv
import sys

# JMH benchmark (class.method) → (benchmark name, PyTorch key prefix)
NAMES = {
    "MatmulBenchmark.seam": ("matmul", "matmul"),
    "MatmulBenchmark.javaSgemm": ("matmul_java_sgemm", "matmul"),
    "MatmulBenchmark.nd4jMmul": ("matmul_nd4j", "matmul"),
    "BatchedMatmulBenchmark.seam": ("matmul_batched", "matmul_batched"),
    "BatchedMatmulBenchmark.nd4jMmul": ("matmul_batched_nd4j", "matmul_batched"),
    "SoftmaxBenchmark.seam": ("softmax", "softmax"),
    "SoftmaxBenchmark.nd4j": ("softmax_nd4j", "softmax"),
    "LayerNormBenchmark.forward": ("layernorm_fwd", "layernorm_fwd"),
    "LayerNormBenchmark.forwardBackward": ("layernorm_fwd_bwd", "layernorm_fwd_bwd"),
    "Conv2dBenchmark.forward": ("conv2d_fwd", "conv2d_fwd"),
    "Conv2dBenchmark.forwardBackward": ("conv2d_fwd_bwd", "conv2d_fwd_bwd"),
    "Conv2dBenchmark.nd4jForward": ("conv2d_fwd_nd4j", "conv2d_fwd"),
    "Conv2dBenchmark.nd4jForwardBackward": ("conv2d_fwd_bwd_nd4j", "conv2d_fwd_bwd"),
    "ConvTranspose2dBenchmark.forwardBackward": ("conv_transpose2d_fwd_bwd", "conv_transpose2d_fwd_bwd"),
    "ConvTranspose2dBenchmark.nd4jForwardBackward": ("conv_transpose2d_fwd_bwd_nd4j", "conv_transpose2d_fwd_bwd"),
    "AttentionBenchmark.forward": ("attention_fwd_causal", "attention_fwd_causal"),
    "AttentionBenchmark.forwardBackward": ("attention_fwd_bwd_causal", "attention_fwd_bwd_causal"),
    "OpOverheadBenchmark.addBackward": ("op_overhead_add_backward", "op_overhead_add_backward"),
    "UnetBenchmark.forward": ("unet_forward", "unet_forward"),
    "UnetBenchmark.trainStep": ("unet_train_step", "unet_train_step"),
    "UnetBenchmark.ddim50": ("unet_ddim50", "unet_ddim50"),
    "UnetBenchmark.nd4jConvForward": ("unet_forward_nd4j_conv", "unet_forward"),
    "UnetBenchmark.nd4jConvTrainStep": ("unet_train_step_nd4j_conv", "unet_train_step"),
    "GptBenchmark.trainStep": ("gpt_baby_train_step", "gpt_baby_train_step"),
    "GptBenchmark.decodeKvCache": ("gpt_baby_decode_kv_cache", "gpt_baby_decode_kv_cache"),
    "GptBenchmark.decodeRecompute": ("gpt_baby_decode_recompute", "gpt_baby_decode_recompute"),
}

# Benchmarks without a shape parameter: the shape they always run (GPT: batch,tokens; decoding: new tokens).
FIXED_SHAPES = {"gpt_baby_train_step": "12,64", "gpt_baby_decode_kv_cache": "256", "gpt_baby_decode_recompute": "256"}


def main(jmh_csv, torch_csv, out_csv):
    torch = {}
    with open(torch_csv) as f:
        for line in f:
            key, ms, _setting = line.strip().rsplit(",", 2)
            torch[key] = float(ms)
    rows = []
    with open(jmh_csv) as f:
        for r in csv.DictReader(f):
            cls_method = ".".join(r["Benchmark"].split(".")[-2:])
            if cls_method not in NAMES:
                continue
            name, prefix = NAMES[cls_method]
            shape = r.get("Param: shape") or r.get("Param: n") or "16,16"
            if prefix == "op_overhead_add_backward":
                shape = "16,16"
            shape = FIXED_SHAPES.get(prefix, shape)
            score = float(r["Score"])
            unit = r["Unit"]
            ms = score * {"ms/op": 1.0, "us/op": 1e-3, "s/op": 1e3, "ns/op": 1e-6}[unit]
            py = torch.get(prefix + ":" + shape)
            rows.append((name, shape.replace(",", "x"), ms, py))
    with open(out_csv, "w") as f:
        f.write("benchmark,shape,latent4j_ms,pytorch_ms,ratio\n")
        for name, shape, ms, py in rows:
            ratio = f"{ms / py:.3f}" if py else ""
            f.write(f"{name},{shape},{ms:.4f},{'' if py is None else f'{py:.4f}'},{ratio}\n")
    print(f"{'benchmark':<26} {'shape':<16} {'latent4j ms':>12} {'pytorch ms':>12} {'ratio':>7}")
    for name, shape, ms, py in rows:
        extra = ""
        if name.startswith("matmul") and "batched" not in name:
            n = int(shape)
            extra = f"   ({2 * n ** 3 / (ms * 1e6):.0f} vs {2 * n ** 3 / (py * 1e6):.0f} GFLOPS)" if py else ""
        print(f"{name:<26} {shape:<16} {ms:>12.4f} {py if py is not None else float('nan'):>12.4f} "
              f"{(ms / py) if py else float('nan'):>7.3f}{extra}")
    print(f"wrote {out_csv}")


def pytorch_filter(jmh_regex):
    """The bench.py --only regex for the PyTorch keys of the JMH benchmarks that jmh_regex selects."""
    import re
    prefixes = sorted({prefix for jmh, (_, prefix) in NAMES.items() if re.search(jmh_regex, jmh)})
    return "^(" + "|".join(re.escape(p) for p in prefixes) + "):" if prefixes else "^$"


if __name__ == "__main__":
    if sys.argv[1] == "--pytorch-filter":
        print(pytorch_filter(sys.argv[2]))
    else:
        main(*sys.argv[1:4])
