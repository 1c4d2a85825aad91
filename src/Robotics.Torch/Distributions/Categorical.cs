using static Robotics.Torch.torch;

namespace Robotics.Torch.Distributions;

/// <summary>
/// A distribution over K categories along the last dimension, from unnormalised <c>logits</c> or
/// from <c>probs</c> (normalised here). Samples and values are int64 category indices.
/// </summary>
public sealed class Categorical : Distribution
{
    /// <summary>Normalised log-probabilities (logsumexp = 0 along the last dimension).</summary>
    public Tensor logits { get; }
    public Tensor probs { get; }

    private Categorical(Tensor logits, Tensor probs)
    {
        this.logits = logits;
        this.probs = probs;
    }

    public static Categorical FromLogits(Tensor logits)
    {
        using var scope = NewDisposeScope();
        var normalised = logits - logits.logsumexp(-1, keepdim: true);
        var p = normalised.softmax(-1);
        return new Categorical(normalised.MoveToOuterDisposeScope(), p.MoveToOuterDisposeScope());
    }

    public static Categorical FromProbs(Tensor probs)
    {
        using var scope = NewDisposeScope();
        var p = probs / probs.sum(-1, keepdim: true);
        var l = p.log();
        return new Categorical(l.MoveToOuterDisposeScope(), p.MoveToOuterDisposeScope());
    }

    /// <summary>The most likely category (not PyTorch's NaN mean: the useful deterministic action).</summary>
    public override Tensor mean => probs.argmax(-1);

    public override Tensor sample()
    {
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var flat = probs.reshape(-1, probs.size(-1));
        var batchShape = probs.shape[..^1];
        return multinomial(flat, 1, replacement: true).reshape(batchShape).MoveToOuterDisposeScope();
    }

    public override Tensor log_prob(Tensor value)
    {
        using var scope = NewDisposeScope();
        var index = value.@long().unsqueeze(-1);
        // Values [...] and logits [..., K] broadcast over the batch dimensions before the gather.
        var batch = broadcast_shapes(logits.shape[..^1], value.shape);
        var l = logits.expand([.. batch, logits.size(-1)]);
        return l.gather(-1, index.expand([.. batch, 1])).squeeze(-1).MoveToOuterDisposeScope();
    }

    /// <summary>-Σ p log p, with -inf logits (impossible categories) contributing 0.</summary>
    public override Tensor entropy()
    {
        using var scope = NewDisposeScope();
        var finite = logits.clamp_min(logits.dtype == ScalarType.Float64 ? double.MinValue : float.MinValue);
        return (-(finite * probs).sum(-1)).MoveToOuterDisposeScope();
    }
}
