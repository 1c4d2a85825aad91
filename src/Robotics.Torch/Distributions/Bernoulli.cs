using static Robotics.Torch.torch;
using F = Robotics.Torch.torch.nn.functional;

namespace Robotics.Torch.Distributions;

/// <summary>0/1 outcomes with success probability <see cref="probs"/> (or sigmoid of <see cref="logits"/>).</summary>
public sealed class Bernoulli : Distribution
{
    public Tensor logits { get; }
    public Tensor probs { get; }

    private Bernoulli(Tensor logits, Tensor probs)
    {
        this.logits = logits;
        this.probs = probs;
    }

    public static Bernoulli FromLogits(Tensor logits) => new(logits, logits.sigmoid());

    /// <summary>From probabilities; logits are log(p) - log(1-p), with p clamped 1e-7 inside (0, 1) as PyTorch's probs_to_logits.</summary>
    public static Bernoulli FromProbs(Tensor probs)
    {
        using var scope = NewDisposeScope();
        var eps = probs.dtype == ScalarType.Float64 ? 1e-15 : 1e-7;
        var p = probs.clamp(eps, 1 - eps);
        var l = p.log() - (1 - p).log();
        return new Bernoulli(l.MoveToOuterDisposeScope(), probs);
    }

    public override Tensor mean => probs;

    public override Tensor sample()
    {
        using var _ = no_grad();
        return bernoulli(probs);
    }

    public override Tensor log_prob(Tensor value)
    {
        using var scope = NewDisposeScope();
        return (-F.binary_cross_entropy_with_logits(logits, value.to(logits.dtype), reduction: Reduction.None)).MoveToOuterDisposeScope();
    }

    public override Tensor entropy() => F.binary_cross_entropy_with_logits(logits, probs, reduction: Reduction.None);
}
