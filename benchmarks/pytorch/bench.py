"""PyTorch side of ./benchmarks/compare: the same shapes as the JMH benchmarks, timed per call.

Run with /usr/bin/python3 (Debian's python3-torch 1.13). The parent process runs every benchmark in three
child processes: the machine's environment as it is; OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE unset (PyTorch's
OpenBLAS picks its AVX-512 kernels only without them); and the environment as it is with
torch.set_num_threads(2) (on this 2-vCPU machine PyTorch's own ops default to one intra-op thread, while its
OpenBLAS products already use both cores). It reports the best time of each benchmark. Output: CSV lines `key,milliseconds,setting` on stdout.

    /usr/bin/python3 benchmarks/pytorch/bench.py [--quick] [--only REGEX]
"""
import argparse
import json
import math
import os
import re
import subprocess
import sys
import time


def timed(fn, min_time):
    """Median over rounds of the mean time per call, in ms, after a warm-up; slow calls get fewer rounds."""
    fn()
    t0 = time.perf_counter()
    fn()
    one = max(time.perf_counter() - t0, 1e-6)
    n_rounds = 5 if one < min_time / 5 else 3
    per_round = max(1, int(min_time / n_rounds / one))
    rounds = []
    for _ in range(n_rounds):
        t0 = time.perf_counter()
        for _ in range(per_round):
            fn()
        rounds.append((time.perf_counter() - t0) / per_round * 1e3)
    rounds.sort()
    return rounds[len(rounds) // 2]


def benchmarks():
    import torch
    import torch.nn.functional as F
    torch.manual_seed(0)
    cases = {}

    for n in (256, 512, 1024, 2048):
        a, b, c = torch.rand(n, n), torch.rand(n, n), torch.empty(n, n)
        cases[f"matmul:{n}"] = lambda a=a, b=b, c=c: torch.mm(a, b, out=c)

    q, kt = torch.rand(4, 8, 512, 64), torch.rand(4, 8, 64, 512)
    s = torch.empty(4, 8, 512, 512)
    cases["matmul_batched:4,8,512,64"] = lambda: torch.matmul(q, kt, out=s)

    for shape in ((1, 8, 2048, 2048), (8, 8, 128, 128)):
        x = torch.rand(*shape) * 10 - 5
        cases["softmax:" + ",".join(map(str, shape))] = lambda x=x: torch.softmax(x, -1)

    x = torch.rand(8192, 512) * 4 - 2
    w = (torch.rand(512) + 0.5).requires_grad_()
    bias = (torch.rand(512) * 2 - 1).requires_grad_()
    xg = x.clone().requires_grad_()
    g = torch.rand(8192, 512) * 2 - 1

    def ln_fwd():
        with torch.no_grad():
            F.layer_norm(x, (512,), w, bias, 1e-5)

    def ln_fwd_bwd():
        F.layer_norm(xg, (512,), w, bias, 1e-5).backward(g)

    cases["layernorm_fwd:8192,512"] = ln_fwd
    cases["layernorm_fwd_bwd:8192,512"] = ln_fwd_bwd

    cx = torch.rand(16, 64, 32, 32) * 2 - 1
    cw = (torch.rand(64, 64, 3, 3) * 0.2 - 0.1)
    cb = (torch.rand(64) * 0.2 - 0.1)
    cxg, cwg, cbg = cx.clone().requires_grad_(), cw.clone().requires_grad_(), cb.clone().requires_grad_()
    cg = torch.rand(16, 64, 32, 32) * 2 - 1

    def conv_fwd():
        with torch.no_grad():
            F.conv2d(cx, cw, cb, padding=1)

    def conv_fwd_bwd():
        F.conv2d(cxg, cwg, cbg, padding=1).backward(cg)

    cases["conv2d_fwd:16,64,32,32,64"] = conv_fwd
    cases["conv2d_fwd_bwd:16,64,32,32,64"] = conv_fwd_bwd

    # a DCGAN generator's up-sampling layer (ConvTranspose2dBenchmark): 4x4, stride 2, padding 1, the whole
    # autograd step (x*r).sum().backward() with the gradients cleared first, as the JMH side does
    tx = (torch.rand(64, 128, 8, 8) * 2 - 1).requires_grad_()
    tw = (torch.rand(128, 64, 4, 4) * 0.2 - 0.1).requires_grad_()
    tb = (torch.rand(64) * 0.2 - 0.1).requires_grad_()
    tr = torch.rand(64, 64, 16, 16) * 2 - 1

    def conv_transpose_fwd_bwd():
        tx.grad = tw.grad = tb.grad = None
        (F.conv_transpose2d(tx, tw, tb, stride=2, padding=1) * tr).sum().backward()

    cases["conv_transpose2d_fwd_bwd:64,128,8,8,64"] = conv_transpose_fwd_bwd

    # (12,4,64,32): one layer of the baby GPT (batch 12, 4 heads, 64 tokens, head dim 32)
    for shape in ((12, 4, 64, 32), (8, 8, 128, 64), (4, 8, 512, 64), (1, 8, 2048, 64)):
        bq, bk, bv = (torch.rand(*shape) * 2 - 1 for _ in range(3))
        qg, kg, vg = bq.clone().requires_grad_(), bk.clone().requires_grad_(), bv.clone().requires_grad_()
        go = torch.rand(*shape) * 2 - 1
        t = shape[2]
        mask = torch.ones(t, t, dtype=torch.bool).triu(1)
        scale = 1.0 / math.sqrt(shape[3])

        def attn(q, k, v, mask=mask, scale=scale):
            sc = torch.matmul(q, k.transpose(-2, -1)) * scale
            sc = sc.masked_fill(mask, float("-inf"))
            return torch.matmul(torch.softmax(sc, -1), v)

        def fwd(q=bq, k=bk, v=bv, attn=attn):
            with torch.no_grad():
                attn(q, k, v)

        def fwd_bwd(q=qg, k=kg, v=vg, go=go, attn=attn):
            attn(q, k, v).backward(go)

        key = ",".join(map(str, shape))
        cases["attention_fwd_causal:" + key] = fwd
        cases["attention_fwd_bwd_causal:" + key] = fwd_bwd

    a16 = (torch.rand(16, 16) * 2 - 1).requires_grad_()
    b16 = (torch.rand(16, 16) * 2 - 1).requires_grad_()

    def op_overhead():
        a16.grad = None
        b16.grad = None
        (a16 + b16).sum().backward()

    cases["op_overhead_add_backward:16,16"] = op_overhead
    cases.update(unet_benchmarks())
    cases.update(gpt_cases())
    return cases


def unet_benchmarks():
    """UnetBenchmark's three: a no-grad forward, a training step (MSE, backward, AdamW) and DDIM-50 of 16 images."""
    import torch
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    import diffusion_twin
    torch.manual_seed(0)
    model = diffusion_twin.benchmark_unet()
    opt = torch.optim.AdamW(model.parameters(), lr=1e-4)
    x = torch.rand(16, 3, 32, 32) * 2 - 1
    t = torch.randint(0, 1000, (16,))

    forward, train_step, ddim50 = diffusion_twin.unet_steps(model, opt, x, t)

    key = "16,3,32,32"
    return {"unet_forward:" + key: forward, "unet_train_step:" + key: train_step, "unet_ddim50:" + key: ddim50}


def gpt_cases():
    """The baby GPT of gpt_twin.py: a training step on 12 x 64 tokens, and greedy decoding of 256 tokens with
    the KV cache and without it (every step recomputes the whole context)."""
    import torch
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    import gpt_twin
    torch.manual_seed(0)
    model = gpt_twin.Gpt(gpt_twin.Config(65))
    train_step = gpt_twin.train_step_fn(model, batch=12)
    decoder = gpt_twin.Gpt(gpt_twin.Config(65)).eval()
    return {"gpt_baby_train_step:12,64": train_step,
            "gpt_baby_decode_kv_cache:256": lambda: gpt_twin.decode(decoder, [1], 256, cached=True),
            "gpt_baby_decode_recompute:256": lambda: gpt_twin.decode(decoder, [1], 256, cached=False)}


def worker(quick, only, threads):
    import torch
    if threads:
        torch.set_num_threads(threads)
    cases = benchmarks()
    min_time = 0.3 if quick else 2.0
    out = {}
    for key, fn in cases.items():
        if only and not re.search(only, key):
            continue
        out[key] = timed(fn, min_time)
    print(json.dumps({"threads": torch.get_num_threads(), "results": out}))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--only", default="")
    ap.add_argument("--worker", action="store_true")
    ap.add_argument("--threads", type=int, default=0, help="worker only: torch.set_num_threads (0: PyTorch's default)")
    args = ap.parse_args()
    if args.worker:
        worker(args.quick, args.only, args.threads)
        return
    unset = dict(os.environ)
    unset.pop("OPENBLAS_CORETYPE", None)
    unset.pop("OPENBLAS_L2_SIZE", None)
    # name -> (environment, intra-op threads; 0 leaves PyTorch's default)
    settings = {"default": (dict(os.environ), 0), "openblas_unset": (unset, 0), "two_threads": (dict(os.environ), 2)}
    best = {}
    for name, (env, threads) in settings.items():
        cmd = [sys.executable, os.path.abspath(__file__), "--worker", "--threads", str(threads)]
        cmd += ["--quick"] if args.quick else []
        if args.only:
            cmd += ["--only", args.only]
        res = subprocess.run(cmd, env=env, capture_output=True, text=True, check=True)
        data = json.loads(res.stdout.strip().splitlines()[-1])
        print(f"# {name}: torch.get_num_threads() = {data['threads']}", file=sys.stderr)
        for key, ms in data["results"].items():
            print(f"# {name}: {key} {ms:.4f} ms", file=sys.stderr)
            if key not in best or ms < best[key][0]:
                best[key] = (ms, name)
    for key, (ms, name) in best.items():
        print(f"{key},{ms:.6f},{name}")


if __name__ == "__main__":
    main()
