using Robotics.Torch;
using static Robotics.Torch.torch;

namespace Robotics.Rewards.Preferences.Transfer;

/// <summary>
/// Entropic Gromov–Wasserstein solver settings. ε is relative: both distance matrices are divided by their largest
/// entry first. ε starts at <see cref="EpsilonStart"/> and shrinks by <see cref="Annealing"/> each outer iteration
/// down to <see cref="Epsilon"/> (annealing the blur keeps the non-convex problem out of poor local optima).
/// </summary>
public sealed record GromovWassersteinConfig
{
    public double Epsilon { get; init; } = 1e-3;
    public double EpsilonStart { get; init; } = 0.1;
    public double Annealing { get; init; } = 0.9;
    public int OuterIterations { get; init; } = 200;
    public int SinkhornIterations { get; init; } = 100;
    /// <summary>Stop when the plan moves less than this (max absolute change) between outer iterations, once ε is final.</summary>
    public double Tolerance { get; init; } = 1e-9;

    public void Validate()
    {
        if (!(Epsilon > 0) || !(EpsilonStart >= Epsilon)) throw new ArgumentException($"GW: need 0 < ε ({Epsilon}) <= ε_start ({EpsilonStart})");
        if (Annealing is <= 0 or > 1 || double.IsNaN(Annealing)) throw new ArgumentException($"GW: annealing factor must be in (0, 1], got {Annealing}");
        if (OuterIterations < 1 || SinkhornIterations < 1) throw new ArgumentException("GW: iteration counts must be positive");
    }
}

/// <summary>
/// Entropic Gromov–Wasserstein optimal transport (Peyré, Cuturi &amp; Solomon 2016, "Gromov-Wasserstein averaging of
/// kernel and distance matrices", Prop. 2 and Alg. 1; POT's entropic_gromov_wasserstein): a coupling T between two
/// point sets that only knows each set's own distances, minimising Σ (C1[i,k] − C2[j,l])² T[i,j] T[k,l] − ε H(T).
/// With the square loss, the linearised cost at T is constC − 2·C1·T·C2ᵀ with constC = (C1²p)1ᵀ + 1(C2²q)ᵀ; each
/// outer iteration projects its Gibbs kernel onto the marginals p, q by log-domain Sinkhorn.
/// </summary>
public static class GromovWasserstein
{
    /// <summary>The coupling [n, m] between the spaces with distances <paramref name="c1"/> [n, n] and <paramref name="c2"/> [m, m] (uniform weights unless given).</summary>
    public static double[,] Solve(double[,] c1, double[,] c2, double[]? p = null, double[]? q = null, GromovWassersteinConfig? config = null)
    {
        config ??= new GromovWassersteinConfig();
        config.Validate();
        int n = c1.GetLength(0), m = c2.GetLength(0);
        if (c1.GetLength(1) != n || c2.GetLength(1) != m) throw new ArgumentException("distance matrices must be square");
        p ??= Enumerable.Repeat(1.0 / n, n).ToArray();
        q ??= Enumerable.Repeat(1.0 / m, m).ToArray();
        if (p.Length != n || q.Length != m) throw new ArgumentException($"weights have {p.Length} and {q.Length} entries for {n} and {m} points");

        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var C1 = Normalised(c1);
        var C2 = Normalised(c2);
        var P = tensor<double>(p, [n, 1]);
        var Q = tensor<double>(q, [1, m]);
        var constC = C1.square().matmul(P) + Q.matmul(C2.square().t()); // [n,1] + [1,m] → [n, m]
        var logP = P.log();
        var logQ = Q.log();
        var plan = P.matmul(Q);
        double epsilon = config.EpsilonStart;
        for (int it = 0; it < config.OuterIterations; it++)
        {
            // Each iteration's temporaries are freed with it; only the new plan lives on.
            using var step = NewDisposeScope();
            var cost = constC - 2 * C1.matmul(plan).matmul(C2.t());
            var next = Sinkhorn(cost, logP, logQ, epsilon, config.SinkhornIterations);
            double change = (next - plan).abs().max().item<double>();
            next.MoveToOuterDisposeScope();
            plan.Dispose();
            plan = next;
            bool final = epsilon <= config.Epsilon;
            epsilon = Math.Max(config.Epsilon, epsilon * config.Annealing);
            if (final && change < config.Tolerance) break;
        }
        var flat = plan.contiguous().ToArray<double>();
        var result = new double[n, m];
        Buffer.BlockCopy(flat, 0, result, 0, flat.Length * sizeof(double));
        return result;
    }

    /// <summary>Σ (C1[i,k] − C2[j,l])² T[i,j] T[k,l] of a plan (on the normalised matrices): what the solver minimises, without the entropy.</summary>
    public static double Objective(double[,] c1, double[,] c2, double[,] plan)
    {
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var C1 = Normalised(c1);
        var C2 = Normalised(c2);
        var T = FromMatrix(plan);
        var p = T.sum(1, keepdim: true);
        var q = T.sum(0, keepdim: true);
        var constC = C1.square().matmul(p) + q.matmul(C2.square().t());
        return ((constC - 2 * C1.matmul(T).matmul(C2.t())) * T).sum().item<double>();
    }

    /// <summary>The entropic projection of exp(−cost/ε) onto marginals p (rows) and q (columns), in the log domain.</summary>
    private static Tensor Sinkhorn(Tensor cost, Tensor logP, Tensor logQ, double epsilon, int iterations)
    {
        using var scope = NewDisposeScope();
        var k = -cost / epsilon;
        var f = zeros_like(logP);
        var g = zeros_like(logQ);
        for (int i = 0; i < iterations; i++)
        {
            using var step = NewDisposeScope();
            var nextF = (logP - (k + g).logsumexp(1, keepdim: true)).MoveToOuterDisposeScope();
            var nextG = (logQ - (k + nextF).logsumexp(0, keepdim: true)).MoveToOuterDisposeScope();
            f.Dispose();
            g.Dispose();
            (f, g) = (nextF, nextG);
        }
        return (k + f + g).exp().MoveToOuterDisposeScope();
    }

    private static Tensor Normalised(double[,] c)
    {
        var t = FromMatrix(c);
        double max = t.abs().max().item<double>();
        return max > 0 ? t / max : t;
    }

    private static Tensor FromMatrix(double[,] c)
    {
        var flat = new double[c.Length];
        Buffer.BlockCopy(c, 0, flat, 0, flat.Length * sizeof(double));
        return tensor<double>(flat, [c.GetLength(0), c.GetLength(1)]);
    }
}
