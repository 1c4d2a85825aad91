using System.Diagnostics;
using System.Runtime;
using Robotics.Torch.Modules;
using static Robotics.Torch.torch;
using F = Robotics.Torch.torch.nn.functional;

namespace Robotics.Torch.Benchmarks;

/// <summary>
/// One SAC gradient step, line for line the step of /work/shared/bench/sac_update.cpp and
/// sac_update.py: twin critics with Polyak targets, a tanh-Gaussian actor, a learned temperature,
/// three Adam optimizers; obs 39, action 4, a 100k-row random replay. `./robo bench learner
/// --algo sac` reports <see cref="Run"/>; the memory test drives <see cref="Step"/> directly.
/// </summary>
public sealed class SacUpdateBenchmark : IDisposable
{
    public const int Obs = 39, Act = 4, Replay = 100_000;

    private readonly int batch;
    private readonly Sequential q1, q2, pi, t1, t2;
    private readonly Parameter logAlpha;
    private readonly Optimizers.Adam oq, op, oa;
    private readonly Tensor S, A, R;
    private readonly Tensor[] q1Params, q2Params, t1Params, t2Params;

    public SacUpdateBenchmark(int batch = 256, int hidden = 256, long seed = 0)
    {
        this.batch = batch;
        manual_seed(seed);
        Sequential Mlp(long i, long o) => nn.Sequential(nn.Linear(i, hidden), nn.ReLU(), nn.Linear(hidden, hidden), nn.ReLU(), nn.Linear(hidden, o));
        q1 = Mlp(Obs + Act, 1);
        q2 = Mlp(Obs + Act, 1);
        pi = Mlp(Obs, 2 * Act);
        t1 = Mlp(Obs + Act, 1);
        t2 = Mlp(Obs + Act, 1);
        t1.load_state_dict(q1.state_dict());
        t2.load_state_dict(q2.state_dict());
        using (var init = NewDisposeScope()) logAlpha = new Parameter(zeros(1));
        oq = optim.Adam(q1.parameters().Concat(q2.parameters()), 3e-4);
        op = optim.Adam(pi.parameters(), 3e-4);
        oa = optim.Adam([logAlpha], 3e-4);
        S = randn(Replay, Obs).DetachFromDisposeScope();
        A = (rand(Replay, Act) * 2 - 1).DetachFromDisposeScope();
        R = randn(Replay, 1).DetachFromDisposeScope();
        q1Params = q1.parameters().ToArray<Tensor>();
        q2Params = q2.parameters().ToArray<Tensor>();
        t1Params = t1.parameters().ToArray<Tensor>();
        t2Params = t2.parameters().ToArray<Tensor>();
    }

    /// <summary>
    /// Updates per second over <paramref name="updates"/> steps. Warm-up: the references' 20 steps,
    /// then on until the JIT has stopped compiling (tiered compilation recompiles hot code on a
    /// background thread for roughly the first second, taking the core BLAS's second thread
    /// wants); at most 500 steps. So the figure is steady-state throughput, as in a long training run.
    /// </summary>
    public static double Run(int batch = 256, int hidden = 256, int updates = 300, int threads = 1)
    {
        var previous = get_num_threads();
        set_num_threads(threads);
        try
        {
            using var bench = new SacUpdateBenchmark(batch, hidden);
            bench.WarmUp();
            var clock = Stopwatch.StartNew();
            for (int i = 0; i < updates; i++) bench.Step();
            return updates / clock.Elapsed.TotalSeconds;
        }
        finally
        {
            set_num_threads(previous);
        }
    }

    /// <summary>20 steps, then steps until 50 in a row and 0.3 s have passed without a method being JIT-compiled (at most 500).</summary>
    public void WarmUp()
    {
        for (int i = 0; i < 20; i++) Step();
        var quiet = Stopwatch.StartNew();
        long compiled = JitInfo.GetCompiledMethodCount();
        for (int i = 0, calm = 0; i < 480 && (calm < 50 || quiet.Elapsed.TotalSeconds < 0.3); i++)
        {
            Step();
            var now = JitInfo.GetCompiledMethodCount();
            if (now != compiled)
            {
                compiled = now;
                calm = 0;
                quiet.Restart();
            }
            else calm++;
        }
    }

    /// <summary>The policy network (for checks that compare trained weights).</summary>
    public Sequential Actor => pi;

    /// <summary>The learned log-temperature.</summary>
    public Parameter LogAlpha => logAlpha;

    private (Tensor action, Tensor logProb) ActorSample(Tensor s)
    {
        var outp = pi.call(s).chunk(2, -1);
        var (mu, ls) = (outp[0], outp[1].clamp(-5, 2));
        var std = ls.exp();
        var u = mu + std * randn_like(mu);
        var a = u.tanh();
        var lp = (-0.5 * ((u - mu) / std).pow(2) - ls - 0.5 * Math.Log(2 * Math.PI)).sum(-1, keepdim: true);
        lp = lp - (1 - a.pow(2) + 1e-6).log().sum(-1, keepdim: true);
        return (a, lp);
    }

    /// <summary>One full update; every temporary is freed before it returns.</summary>
    public void Step()
    {
        using var scope = NewDisposeScope();
        var idx = randint(0, Replay, [batch]);
        var (s, a, r) = (S.index_select(0, idx), A.index_select(0, idx), R.index_select(0, idx));
        var s2 = S.index_select(0, (idx + 1) % Replay);
        Tensor y;
        using (no_grad())
        {
            var (a2, lp2) = ActorSample(s2);
            var sa2 = cat([s2, a2], 1);
            y = r + 0.99 * (min(t1.call(sa2), t2.call(sa2)) - logAlpha.exp() * lp2);
        }
        var sa = cat([s, a], 1);
        var lq = F.mse_loss(q1.call(sa), y) + F.mse_loss(q2.call(sa), y);
        oq.zero_grad(); lq.backward(); oq.step();

        var (an, lp) = ActorSample(s);
        var san = cat([s, an], 1);
        var lpi = (logAlpha.exp().detach() * lp - min(q1.call(san), q2.call(san))).mean();
        op.zero_grad(); lpi.backward(); op.step();

        var la = -(logAlpha * (lp.detach() - Act)).mean();
        oa.zero_grad(); la.backward(); oa.step();

        using (no_grad())
        {
            _foreach_mul_(t1Params, 0.995); _foreach_add_(t1Params, q1Params, 0.005);
            _foreach_mul_(t2Params, 0.995); _foreach_add_(t2Params, q2Params, 0.005);
        }
    }

    public void Dispose()
    {
        foreach (var m in new nn.Module[] { q1, q2, pi, t1, t2 }) m.Dispose();
        foreach (var o in new optim.Optimizer[] { oq, op, oa }) o.Dispose();
        logAlpha.Dispose();
        S.Dispose();
        A.Dispose();
        R.Dispose();
    }
}
