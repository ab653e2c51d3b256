"""Golden values for core.nn: layer forwards and gradients given PyTorch's own weights (loaded through the
state dict), and PyTorch's default-initialization statistics (PyTorch 1.13, float64)."""
import torch
import torch.nn as nn

from fixture_io import case, write

torch.manual_seed(0)
g = torch.Generator().manual_seed(1)
cases = {}


def layer_case(module, x, **extra):
    """Forward with a fixed output weighting; gradients w.r.t. the input and every parameter by name."""
    x = x.clone().requires_grad_(x.dtype.is_floating_point)
    out = module(x)
    w = torch.rand(out.shape, generator=g)
    (out * w).sum().backward()
    items = dict(x=x, out=out, w=w, **extra)
    if x.requires_grad:
        items["grad_x"] = x.grad
    for name, p in module.named_parameters():
        items["param." + name] = p
        items["grad." + name] = p.grad
    for name, b in module.named_buffers():
        items["buffer." + name] = b
    return case(**items)


cases["linear"] = layer_case(nn.Linear(4, 3), torch.rand(2, 5, 4, generator=g) * 2 - 1)
cases["linear_no_bias"] = layer_case(nn.Linear(4, 3, bias=False), torch.rand(6, 4, generator=g) * 2 - 1)
cases["sequential"] = layer_case(nn.Sequential(nn.Linear(3, 5), nn.Identity(), nn.Linear(5, 2)),
                                 torch.rand(4, 3, generator=g) * 2 - 1)

# Default initialization: the bounds and spread PyTorch draws from, measured on large layers.
lin = nn.Linear(256, 128)
conv = nn.Conv2d(16, 32, 3)
emb = nn.Embedding(1000, 64)
t = torch.empty(256, 128)
stats = dict(
    linear_weight_max=lin.weight.abs().max().item(), linear_weight_std=lin.weight.std().item(),
    linear_bias_max=lin.bias.abs().max().item(),
    conv_weight_max=conv.weight.abs().max().item(), conv_weight_std=conv.weight.std().item(),
    conv_bias_max=conv.bias.abs().max().item(),
    embedding_std=emb.weight.std().item(), embedding_mean=emb.weight.mean().item(),
    xavier_uniform_max=nn.init.xavier_uniform_(t, gain=2.0).abs().max().item(),
    xavier_normal_std=nn.init.xavier_normal_(t).std().item(),
    kaiming_normal_fan_out_relu_std=nn.init.kaiming_normal_(t, mode="fan_out", nonlinearity="relu").std().item(),
    kaiming_uniform_relu_max=nn.init.kaiming_uniform_(t, nonlinearity="relu").abs().max().item(),
)
cases["init_stats"] = case(**stats)

write("nn", __file__.split("/")[-1], cases)
