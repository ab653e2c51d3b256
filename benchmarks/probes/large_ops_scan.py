"""PyTorch twin of LargeOpScan.java: the same op steps on a (64,64,16,16) float32 tensor, best of 5 rounds of 3.

    /usr/bin/python3 benchmarks/probes/large_ops_scan.py THREADS [REGEX]
"""
import torch, time, sys, re
import torch.nn.functional as F
torch.set_num_threads(int(sys.argv[1]) if len(sys.argv) > 1 else 2)
only = sys.argv[2] if len(sys.argv) > 2 else ".*"
x = (torch.rand(64,64,16,16) - 0.5).requires_grad_()
pos = (torch.rand(64,64,16,16) + 0.1).requires_grad_()
y = torch.rand(64,64,16,16)
bias = torch.rand(1,64,1,1).requires_grad_()
w64, b64 = torch.rand(64).requires_grad_(), torch.rand(64).requires_grad_()
w16, b16 = torch.rand(16).requires_grad_(), torch.rand(16).requires_grad_()
rm, rv = torch.zeros(64), torch.ones(64)
logits2 = torch.rand(16384, 256).requires_grad_()
targets = torch.tensor([(i * 37) % 256 for i in range(16384)])
ops = {
 "add_bias": lambda: (x + bias).sum().backward(),
 "mul": lambda: (x * y).sum().backward(),
 "div": lambda: (y / pos).sum().backward(),
 "exp": lambda: x.exp().sum().backward(),
 "log": lambda: pos.log().sum().backward(),
 "sqrt": lambda: pos.sqrt().sum().backward(),
 "pow": lambda: pos.pow(1.5).sum().backward(),
 "relu": lambda: F.relu(x).sum().backward(),
 "leaky_relu": lambda: F.leaky_relu(x, 0.2).sum().backward(),
 "gelu": lambda: F.gelu(x).sum().backward(),
 "silu": lambda: F.silu(x).sum().backward(),
 "sigmoid": lambda: torch.sigmoid(x).sum().backward(),
 "tanh": lambda: torch.tanh(x).sum().backward(),
 "softplus": lambda: F.softplus(x).sum().backward(),
 "elu": lambda: F.elu(x, 1.0).sum().backward(),
 "sum_023": lambda: (x.sum((0, 2, 3)) * w64).sum().backward(),
 "mean_last": lambda: x.mean(3).sum().backward(),
 "var_23": lambda: x.var((2, 3)).sum().backward(),
 "max_last": lambda: x.max(3).values.sum().backward(),
 "logsumexp_last": lambda: torch.logsumexp(x, 3).sum().backward(),
 "cumsum_last": lambda: (x.cumsum(3) * y).sum().backward(),
 "softmax_last": lambda: (torch.softmax(x, -1) * y).sum().backward(),
 "layer_norm_last": lambda: (F.layer_norm(x, (16,), w16, b16, 1e-5) * y).sum().backward(),
 "group_norm_8": lambda: (F.group_norm(x, 8, w64, b64, 1e-5) * y).sum().backward(),
 "batch_norm_train": lambda: (F.batch_norm(x, rm, rv, w64, b64, True, 0.1, 1e-5) * y).sum().backward(),
 "permute_contig": lambda: x.permute(0, 2, 3, 1).contiguous().sum().backward(),
 "slice_step2": lambda: x[..., 0:16:2].sum().backward(),
 "concat_axis1": lambda: torch.cat([x, x], 1).sum().backward(),
 "pad_1": lambda: F.pad(x, (1, 1, 1, 1)).sum().backward(),
 "flip_last": lambda: (x.flip(3) * y).sum().backward(),
 "avg_pool2": lambda: F.avg_pool2d(x, 2).sum().backward(),
 "max_pool2": lambda: F.max_pool2d(x, 2).sum().backward(),
 "mse": lambda: F.mse_loss(x, y).backward(),
 "bce_logits": lambda: F.binary_cross_entropy_with_logits(x, y).backward(),
 "cross_entropy": lambda: F.cross_entropy(logits2, targets).backward(),
}
def run(f):
    for t in (x, pos, bias, logits2, w64, b64, w16, b16): t.grad = None
    f()
for k, f in ops.items():
    if not re.fullmatch(only, k): continue
    for _ in range(3): run(f)
    best = 1e9
    for _ in range(5):
        t = time.perf_counter()
        for _ in range(3): run(f)
        best = min(best, (time.perf_counter() - t) / 3)
    print(f"{k},{best*1e3:.3f}")
