# ../shared/bench/sac_update.py with its three forward passes under torch.autocast("cpu", torch.bfloat16) when a third
# argument is given: `/usr/bin/python3 sac_update_autocast.py THREADS UPDATES [bf16]` prints updates/s. The reference is
# read and patched rather than copied, so both measure the same step; a patch that no longer applies stops with a message.
import pathlib, sys
source = (pathlib.Path(__file__).resolve().parents[3] / "shared" / "bench" / "sac_update.py").read_text()
patches = [
    ("def step():\n", "AC = torch.autocast('cpu', dtype=torch.bfloat16, enabled=len(sys.argv) > 3)\ndef step():\n"),
    ("    with torch.no_grad():\n        a2, lp2", "    with torch.no_grad(), AC:\n        a2, lp2"),
    ("    sa = torch.cat([s, a], 1); lq = F.mse_loss(q1(sa), y) + F.mse_loss(q2(sa), y)",
     "    with AC:\n        sa = torch.cat([s, a], 1); lq = F.mse_loss(q1(sa).float(), y) + F.mse_loss(q2(sa).float(), y)"),
    ("    an, lp = act(s); san = torch.cat([s, an], 1)\n    lpi = (log_alpha.exp().detach() * lp - torch.min(q1(san), q2(san))).mean()",
     "    with AC:\n        an, lp = act(s); san = torch.cat([s, an], 1)\n"
     "        lpi = (log_alpha.exp().detach() * lp.float() - torch.min(q1(san), q2(san)).float()).mean()"),
]
for old, new in patches:
    if old not in source: sys.exit(f"sac_update.py changed: cannot find {old.strip()[:60]!r}")
    source = source.replace(old, new)
exec(compile(source, "sac_update_autocast", "exec"))
