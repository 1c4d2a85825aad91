using System.Diagnostics;
using System.Globalization;
using NUnit.Framework;
using Robotics.Torch.Benchmarks;
using static Robotics.Torch.torch;

namespace Robotics.Torch.Tests;

public class BenchmarkTests
{
    [Test]
    public void RunReportsAPositiveRateAndRestoresThreads()
    {
        var threads = get_num_threads();
        var rate = SacUpdateBenchmark.Run(batch: 32, hidden: 32, updates: 50, threads: 1);
        Assert.That(rate, Is.GreaterThan(0));
        Assert.That(get_num_threads(), Is.EqualTo(threads));
    }

    /// <summary>
    /// "The same step" checked numerically: the same libtorch, seed and order of random draws
    /// make eager PyTorch (the reference script's step, at a small size) and this binding agree
    /// after three full updates, up to float32 rounding.
    /// </summary>
    [Test]
    public void StepMatchesTheEagerPyTorchReference()
    {
        const string python = "/usr/bin/python3";
        if (!File.Exists(python)) Assert.Ignore("python3 is not installed");
        const string script = """
            import math, sys, torch, torch.nn as nn, torch.nn.functional as F
            torch.set_num_threads(1)
            OBS, ACT, H, B = 39, 4, 16, 8
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
            def step():
                idx = torch.randint(0, 100_000, (B,)); s, a, r, s2 = S[idx], A[idx], R[idx], S[(idx + 1) % 100_000]
                with torch.no_grad():
                    a2, lp2 = act(s2); sa2 = torch.cat([s2, a2], 1)
                    y = r + 0.99 * (torch.min(t1(sa2), t2(sa2)) - log_alpha.exp() * lp2)
                sa = torch.cat([s, a], 1); lq = F.mse_loss(q1(sa), y) + F.mse_loss(q2(sa), y)
                oq.zero_grad(); lq.backward(); oq.step()
                an, lp = act(s); san = torch.cat([s, an], 1)
                lpi = (log_alpha.exp().detach() * lp - torch.min(q1(san), q2(san))).mean()
                op.zero_grad(); lpi.backward(); op.step()
                la = -(log_alpha * (lp.detach() - ACT)).mean(); oa.zero_grad(); la.backward(); oa.step()
                with torch.no_grad():
                    for t, q in ((t1, q1), (t2, q2)):
                        for pt, pq in zip(t.parameters(), q.parameters()): pt.mul_(0.995).add_(pq, alpha=0.005)
            for _ in range(3): step()
            print(" ".join(repr(float(x)) for x in torch.cat([p.flatten() for p in pi.parameters()])[:64]))
            print(repr(float(log_alpha)))
            """;
        var psi = new ProcessStartInfo(python, ["-c", script]) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var proc = Process.Start(psi)!;
        var stdout = proc.StandardOutput.ReadToEnd();
        var stderr = proc.StandardError.ReadToEnd();
        proc.WaitForExit();
        if (proc.ExitCode != 0 && stderr.Contains("No module named 'torch'")) Assert.Ignore("python3 has no torch");
        Assert.That(proc.ExitCode, Is.EqualTo(0), stderr);
        var lines = stdout.Trim().Split('\n');
        var expected = lines[0].Split(' ').Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray();

        using var scope = NewDisposeScope();
        using var sac = new SacUpdateBenchmark(batch: 8, hidden: 16, seed: 0);
        for (int i = 0; i < 3; i++) sac.Step();
        var ours = cat(sac.Actor.parameters().Select(p => p.flatten()).ToArray()).narrow(0, 0, 64).to(float64).ToArray<double>();
        Assert.That(ours, Is.EqualTo(expected).Within(1e-5));
        Assert.That(sac.LogAlpha.item<double>(), Is.EqualTo(double.Parse(lines[1], CultureInfo.InvariantCulture)).Within(1e-6));
    }
}
