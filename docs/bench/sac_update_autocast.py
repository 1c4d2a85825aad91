# ../shared/bench/sac_update.py with its three forward passes under torch.autocast("cpu", torch.bfloat16) when a
# third argument is given: `/usr/bin/python3 sac_update_autocast.py THREADS UPDATES [bf16]` prints updates/s.
import sys, time, math, torch, torch.nn as nn, torch.nn.functional as F
torch.set_num_threads(int(sys.argv[1]) if len(sys.argv) > 1 else 1)
OBS, ACT, H, B, N = 39, 4, 256, 256, int(sys.argv[2]) if len(sys.argv) > 2 else 300
torch.manual_seed(0)
def mlp(i, o): return nn.Sequential(nn.Linear(i, H), nn.ReLU(), nn.Linear(H, H), nn.ReLU(), nn.Linear(H, o))
q1, q2, pi = mlp(OBS + ACT, 1), mlp(OBS + ACT, 1), mlp(OBS, 2 * ACT)
t1, t2 = mlp(OBS + ACT, 1), mlp(OBS + ACT, 1)
t1.load_state_dict(q1.state_dict()); t2.load_state_dict(q2.state_dict())
log_alpha = torch.zeros(1, requires_grad=True)
oq = torch.optim.Adam(list(q1.parameters()) + list(q2.parameters()), 3e-4)
op = torch.optim.Adam(pi.parameters(), 3e-4); oa = torch.optim.Adam([log_alpha], 3e-4)
def act(s):
    mu, ls = pi(s).chunk(2, -1); ls = ls.clamp(-5, 2); std = ls.exp()
    u = mu + std * torch.randn_like(mu); a = torch.tanh(u)
    lp = (-0.5 * ((u - mu) / std) ** 2 - ls - 0.5 * math.log(2 * math.pi)).sum(-1, keepdim=True)
    lp = lp - torch.log(1 - a.pow(2) + 1e-6).sum(-1, keepdim=True)
    return a, lp
S = torch.randn(100_000, OBS); A = torch.rand(100_000, ACT) * 2 - 1; R = torch.randn(100_000, 1)
AC=torch.autocast('cpu',dtype=torch.bfloat16, enabled=len(sys.argv)>3)
def step():
    idx = torch.randint(0, 100_000, (B,)); s, a, r, s2 = S[idx], A[idx], R[idx], S[(idx + 1) % 100_000]
    with torch.no_grad(), AC:
        a2, lp2 = act(s2); sa2 = torch.cat([s2, a2], 1)
        y = r + 0.99 * (torch.min(t1(sa2), t2(sa2)) - log_alpha.exp() * lp2)
    with AC:
        sa = torch.cat([s, a], 1); lq = F.mse_loss(q1(sa).float(), y) + F.mse_loss(q2(sa).float(), y)
    oq.zero_grad(); lq.backward(); oq.step()
    with AC:
        an, lp = act(s); san = torch.cat([s, an], 1)
        lpi = (log_alpha.exp().detach() * lp.float() - torch.min(q1(san), q2(san)).float()).mean()
    op.zero_grad(); lpi.backward(); op.step()
    la = -(log_alpha * (lp.detach() - ACT)).mean(); oa.zero_grad(); la.backward(); oa.step()
    with torch.no_grad():
        for t, q in ((t1, q1), (t2, q2)):
            for pt, pq in zip(t.parameters(), q.parameters()): pt.mul_(0.995).add_(pq, alpha=0.005)
for _ in range(20): step()
t0 = time.perf_counter()
for _ in range(N): step()
print(f"{N / (time.perf_counter() - t0):.1f}")
