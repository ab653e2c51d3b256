"""Golden values for the activations (forward and gradients, float64), inputs kept away from 0."""
import torch
import torch.nn.functional as F

from fixture_io import case, write

g = torch.Generator().manual_seed(2)
cases = {}


def away_from_zero(*shape):
    x = torch.rand(*shape, generator=g) * 2.8 + 0.2
    sign = torch.where(torch.rand(*shape, generator=g) > 0.5, 1.0, -1.0)
    return (x * sign).requires_grad_(True)


for name, fn in [
    ("relu", F.relu),
    ("leaky_relu", lambda x: F.leaky_relu(x, 0.1)),
    ("gelu", lambda x: F.gelu(x, approximate="none")),
    ("gelu_tanh", lambda x: F.gelu(x, approximate="tanh")),
    ("silu", F.silu),
    ("sigmoid", torch.sigmoid),
    ("tanh", torch.tanh),
    ("softplus", F.softplus),
    ("elu", lambda x: F.elu(x, 0.8)),
]:
    x = away_from_zero(3, 4)
    out = fn(x)
    w = torch.rand(out.shape, generator=g)
    (out * w).sum().backward()
    cases[name] = case(x=x, w=w, out=out, grad_x=x.grad)

x = torch.tensor([-800.0, -40.0, 0.0, 40.0, 800.0], requires_grad=True)
out = F.softplus(x)
out.sum().backward()
cases["softplus_extremes"] = case(x=x, out=out, grad_x=x.grad)

write("activations", __file__.split("/")[-1], cases)
