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
    module.zero_grad()
    x = x.clone().requires_grad_(x.dtype.is_floating_point)
    before = {name: b.clone() for name, b in module.named_buffers()}
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
        items["buffer." + name] = before[name]
        items["buffer_after." + name] = b
    return case(**items)


def randomized(module):
    """Replaces every parameter (e.g. a norm's ones and zeros) with values in [-1, 1) so the test sees them."""
    with torch.no_grad():
        for p in module.parameters():
            p.copy_(torch.rand(p.shape, generator=g) * 2 - 1)
    return module


cases["linear"] = layer_case(nn.Linear(4, 3), torch.rand(2, 5, 4, generator=g) * 2 - 1)
cases["linear_no_bias"] = layer_case(nn.Linear(4, 3, bias=False), torch.rand(6, 4, generator=g) * 2 - 1)
cases["sequential"] = layer_case(nn.Sequential(nn.Linear(3, 5), nn.Identity(), nn.Linear(5, 2)),
                                 torch.rand(4, 3, generator=g) * 2 - 1)
cases["mlp_gelu"] = layer_case(nn.Sequential(nn.Linear(3, 4), nn.GELU(), nn.Linear(4, 2)),
                               torch.rand(5, 3, generator=g) * 2 - 1)
cases["layer_norm"] = layer_case(randomized(nn.LayerNorm(6)), torch.rand(2, 3, 6, generator=g) * 2 - 1)
cases["layer_norm_2d_shape"] = layer_case(randomized(nn.LayerNorm([3, 4])), torch.rand(2, 3, 4, generator=g) * 2 - 1)
cases["group_norm"] = layer_case(randomized(nn.GroupNorm(2, 4)), torch.rand(2, 4, 3, 3, generator=g) * 2 - 1)
bn1 = randomized(nn.BatchNorm1d(3))
bn1.running_mean.copy_(torch.rand(3, generator=g))
bn1.running_var.copy_(torch.rand(3, generator=g) + 0.5)
cases["batch_norm1d_train"] = layer_case(bn1, torch.rand(4, 3, 5, generator=g) * 2 - 1)
cases["batch_norm1d_eval"] = layer_case(bn1.eval(), torch.rand(4, 3, generator=g) * 2 - 1)
cases["batch_norm2d_train"] = layer_case(randomized(nn.BatchNorm2d(3, momentum=0.2, eps=1e-3)),
                                         torch.rand(2, 3, 2, 2, generator=g) * 2 - 1)
cases["conv1d"] = layer_case(nn.Conv1d(3, 4, 3, stride=2, padding=1), torch.rand(2, 3, 7, generator=g) * 2 - 1)
cases["conv2d_groups"] = layer_case(nn.Conv2d(2, 4, 3, padding=1, groups=2), torch.rand(2, 2, 4, 4, generator=g) * 2 - 1)
cases["conv_transpose2d"] = layer_case(nn.ConvTranspose2d(4, 2, 3, stride=2, padding=1, output_padding=1),
                                       torch.rand(1, 4, 3, 3, generator=g) * 2 - 1)
cases["embedding"] = layer_case(nn.Embedding(7, 3), torch.tensor([[0, 3, 6], [3, 3, 1]]))
cases["upsample_nearest"] = layer_case(nn.Upsample(scale_factor=2, mode="nearest"),
                                       torch.rand(1, 2, 2, 3, generator=g) * 2 - 1)
cases["upsample_bilinear"] = layer_case(nn.Upsample(scale_factor=2, mode="bilinear", align_corners=False),
                                        torch.rand(1, 2, 2, 3, generator=g) * 2 - 1)

# Default initialization: the bounds and spread PyTorch draws from, measured on large layers.
lin = nn.Linear(256, 128)
conv = nn.Conv2d(16, 32, 3)
deconv = nn.ConvTranspose2d(32, 16, 3)
emb = nn.Embedding(1000, 64)
t = torch.empty(256, 128)
stats = dict(
    linear_weight_max=lin.weight.abs().max().item(), linear_weight_std=lin.weight.std().item(),
    linear_bias_max=lin.bias.abs().max().item(),
    conv_weight_max=conv.weight.abs().max().item(), conv_weight_std=conv.weight.std().item(),
    conv_bias_max=conv.bias.abs().max().item(),
    conv_transpose_weight_max=deconv.weight.abs().max().item(), conv_transpose_bias_max=deconv.bias.abs().max().item(),
    embedding_std=emb.weight.std().item(), embedding_mean=emb.weight.mean().item(),
    xavier_uniform_max=nn.init.xavier_uniform_(t, gain=2.0).abs().max().item(),
    xavier_normal_std=nn.init.xavier_normal_(t).std().item(),
    kaiming_normal_fan_out_relu_std=nn.init.kaiming_normal_(t, mode="fan_out", nonlinearity="relu").std().item(),
    kaiming_uniform_relu_max=nn.init.kaiming_uniform_(t, nonlinearity="relu").abs().max().item(),
)
cases["init_stats"] = case(**stats)

write("nn", __file__.split("/")[-1], cases)
