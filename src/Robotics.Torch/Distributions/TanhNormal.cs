using static Robotics.Torch.torch;

namespace Robotics.Torch.Distributions;

/// <summary>
/// tanh(u), u ~ Normal(loc, scale): SAC's squashed Gaussian policy. The change of variables uses
/// the stable form log(1 - tanh²u) = 2·(log 2 - u - softplus(-2u)) (PyTorch's TanhTransform),
/// exact where the usual log(1 - a² + 1e-6) is biased near the bounds.
/// </summary>
public sealed class TanhNormal(Tensor loc, Tensor scale) : Distribution
{
    private static readonly double Log2 = Math.Log(2);

    public Normal base_dist { get; } = new(loc, scale);

    /// <summary>tanh(loc): the deterministic (evaluation) action.</summary>
    public override Tensor mean => base_dist.loc.tanh();

    public override Tensor sample()
    {
        using var _ = no_grad();
        return rsample();
    }

    public override Tensor rsample()
    {
        using var scope = NewDisposeScope();
        return base_dist.rsample().tanh().MoveToOuterDisposeScope();
    }

    /// <summary>
    /// A reparameterised action and its elementwise log-probability, computed from the pre-tanh
    /// draw (no atanh round trip). Sum the log-probability over the action dimension for SAC.
    /// </summary>
    public (Tensor action, Tensor log_prob) rsample_with_log_prob()
    {
        using var scope = NewDisposeScope();
        var u = base_dist.rsample();
        var action = u.tanh();
        var lp = base_dist.log_prob(u) - LogAbsDetJacobian(u);
        return (action.MoveToOuterDisposeScope(), lp.MoveToOuterDisposeScope());
    }

    /// <summary>Log-density of an action in (-1, 1); values are clamped 1e-6 inside the bounds before atanh.</summary>
    public override Tensor log_prob(Tensor value)
    {
        using var scope = NewDisposeScope();
        var eps = value.dtype == ScalarType.Float64 ? 1e-12 : 1e-6;
        var u = value.clamp(-1 + eps, 1 - eps).atanh();
        return (base_dist.log_prob(u) - LogAbsDetJacobian(u)).MoveToOuterDisposeScope();
    }

    /// <summary>log |d tanh(u)/du| = log(1 - tanh²u), in the overflow-free softplus form.</summary>
    public static Tensor LogAbsDetJacobian(Tensor u)
    {
        using var scope = NewDisposeScope();
        return (2 * (Log2 - u - (-2 * u).softplus())).MoveToOuterDisposeScope();
    }
}
