using Robotics.Torch.Distributions;

namespace Robotics.Torch;

public static partial class torch
{
    /// <summary><c>torch.distributions</c> factories (classes in Robotics.Torch.Distributions).</summary>
    public static class distributions
    {
        public static Normal Normal(Tensor loc, Tensor scale) => new(loc, scale);

        public static TanhNormal TanhNormal(Tensor loc, Tensor scale) => new(loc, scale);

        /// <summary>From probabilities (<paramref name="probs"/>) or unnormalised log-probabilities (<paramref name="logits"/>): exactly one.</summary>
        public static Categorical Categorical(Tensor? probs = null, Tensor? logits = null) =>
            (probs, logits) switch
            {
                (not null, null) => Distributions.Categorical.FromProbs(probs),
                (null, not null) => Distributions.Categorical.FromLogits(logits),
                _ => throw new ArgumentException("Either `probs` or `logits` must be specified, but not both."),
            };

        public static Bernoulli Bernoulli(Tensor? probs = null, Tensor? logits = null) =>
            (probs, logits) switch
            {
                (not null, null) => Distributions.Bernoulli.FromProbs(probs),
                (null, not null) => Distributions.Bernoulli.FromLogits(logits),
                _ => throw new ArgumentException("Either `probs` or `logits` must be specified, but not both."),
            };
    }
}
