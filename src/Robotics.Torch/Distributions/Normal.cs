using static Robotics.Torch.torch;

namespace Robotics.Torch.Distributions;

/// <summary>Gaussian with elementwise <see cref="loc"/> and <see cref="scale"/> (broadcast together).</summary>
public sealed class Normal(Tensor loc, Tensor scale) : Distribution
{
    private static readonly double HalfLog2Pi = 0.5 * Math.Log(2 * Math.PI);

    public Tensor loc { get; } = loc;
    public Tensor scale { get; } = scale;

    public override Tensor mean => loc;
    public Tensor stddev => scale;
    public Tensor variance => scale.pow(2);

    public override Tensor sample()
    {
        using var _ = no_grad();
        return rsample();
    }

    /// <summary>loc + scale · ε, ε ~ N(0, 1) of the broadcast shape.</summary>
    public override Tensor rsample()
    {
        using var scope = NewDisposeScope();
        var eps = randn(broadcast_shapes(loc.shape, scale.shape), loc.dtype, loc.device);
        return (loc + scale * eps).MoveToOuterDisposeScope();
    }

    public override Tensor log_prob(Tensor value)
    {
        using var scope = NewDisposeScope();
        var z = (value - loc) / scale;
        return (-0.5 * z.pow(2) - scale.log() - HalfLog2Pi).MoveToOuterDisposeScope();
    }

    /// <summary>½ + ½·log 2π + log σ.</summary>
    public override Tensor entropy()
    {
        using var scope = NewDisposeScope();
        return (scale.log() + (0.5 + HalfLog2Pi)).MoveToOuterDisposeScope();
    }
}
