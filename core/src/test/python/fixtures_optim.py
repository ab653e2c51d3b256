"""Golden values for core.optim: 10-step trajectories of SGD/Adam/AdamW on a tiny least-squares problem,
learning-rate schedules and gradient clipping (PyTorch 1.13, float64)."""
import math

import torch

from fixture_io import case, write

g = torch.Generator().manual_seed(3)
X = torch.rand(5, 4, generator=g) * 2 - 1
Y = torch.rand(5, 3, generator=g) * 2 - 1
W0 = torch.rand(3, 4, generator=g) * 2 - 1
B0 = torch.rand(3, generator=g) * 2 - 1


def loss_of(w, b):
    d = X @ w.T + b - Y
    return (d * d).mean()


def trajectory(make, lrs=None):
    w = W0.clone().requires_grad_(True)
    b = B0.clone().requires_grad_(True)
    opt = make(w, b)
    losses, ws, bs = [], [], []
    for step in range(10):
        if lrs is not None:
            for group in opt.param_groups:
                group["lr"] = lrs(step, group["initial_lr"])
        opt.zero_grad()
        loss = loss_of(w, b)
        loss.backward()
        opt.step()
        losses.append(loss.item())
        ws.append(w.detach().clone())
        bs.append(b.detach().clone())
    return dict(losses=torch.tensor(losses), w=torch.stack(ws), b=torch.stack(bs))


def with_initial_lr(opt):
    for group in opt.param_groups:
        group["initial_lr"] = group["lr"]
    return opt


def warmup_cosine(step, base, warmup=3, total=10, min_lr=0.005):
    if step < warmup:
        return base * (step + 1) / warmup
    progress = min(1.0, (step - warmup) / (total - warmup))
    return min_lr + (base - min_lr) * 0.5 * (1 + math.cos(math.pi * progress))


cases = {"problem": case(x=X, y=Y, w0=W0, b0=B0)}
runs = {
    "sgd": lambda w, b: torch.optim.SGD([w, b], lr=0.1),
    "sgd_momentum_dampening_decay": lambda w, b: torch.optim.SGD([w, b], lr=0.1, momentum=0.9, dampening=0.1,
                                                                 weight_decay=0.01),
    "sgd_nesterov_decay": lambda w, b: torch.optim.SGD([w, b], lr=0.1, momentum=0.9, nesterov=True,
                                                       weight_decay=0.01),
    "adam": lambda w, b: torch.optim.Adam([w, b], lr=0.05),
    "adam_l2_betas_eps": lambda w, b: torch.optim.Adam([w, b], lr=0.05, betas=(0.8, 0.99), eps=1e-6,
                                                       weight_decay=0.1),
    "adamw": lambda w, b: torch.optim.AdamW([w, b], lr=0.05, weight_decay=0.1),
    "adamw_groups": lambda w, b: torch.optim.AdamW([{"params": [w], "weight_decay": 0.1},
                                                    {"params": [b], "weight_decay": 0.0, "lr": 0.02}], lr=0.05),
}
for name, make in runs.items():
    cases[name] = case(**trajectory(make))
cases["adamw_warmup_cosine"] = case(**trajectory(
    lambda w, b: with_initial_lr(torch.optim.AdamW([w, b], lr=0.05, weight_decay=0.1)), warmup_cosine))

# schedules against PyTorch's own schedulers
def scheduled_lrs(make_scheduler, steps):
    opt = torch.optim.SGD([torch.zeros(1, requires_grad=True)], lr=0.5)
    scheduler = make_scheduler(opt)
    lrs = []
    for _ in range(steps):
        lrs.append(opt.param_groups[0]["lr"])
        opt.step()
        scheduler.step()
    return torch.tensor(lrs)


cos_lrs = scheduled_lrs(lambda o: torch.optim.lr_scheduler.CosineAnnealingLR(o, T_max=10, eta_min=0.01), 11)
step_lrs = scheduled_lrs(lambda o: torch.optim.lr_scheduler.StepLR(o, step_size=3, gamma=0.5), 10)
cases["schedules"] = case(cosine=cos_lrs, step=step_lrs)

# gradient clipping
for name, norm_type in [("clip_norm_l2", 2.0), ("clip_norm_inf", math.inf), ("clip_norm_l1", 1.0)]:
    a = torch.zeros(3, 4, requires_grad=True)
    b = torch.zeros(5, requires_grad=True)
    a.grad = torch.rand(3, 4, generator=g) * 2 - 1
    b.grad = torch.rand(5, generator=g) * 2 - 1
    ga, gb = a.grad.clone(), b.grad.clone()
    total = torch.nn.utils.clip_grad_norm_([a, b], max_norm=0.5, norm_type=norm_type)
    cases[name] = case(grad_a=ga, grad_b=gb, total=float(total), clipped_a=a.grad, clipped_b=b.grad)
a = torch.zeros(3, 4, requires_grad=True)
a.grad = torch.rand(3, 4, generator=g) * 2 - 1
ga = a.grad.clone()
torch.nn.utils.clip_grad_value_([a], 0.3)
cases["clip_value"] = case(grad_a=ga, clipped_a=a.grad)

write("optim", __file__.split("/")[-1], cases)
