namespace Robotics.Torch.Distributions;

/// <summary>
/// torch.distributions' interface. A distribution holds references to its parameter tensors
/// (the caller keeps owning them); tensors it computes belong to the current dispose scope.
/// <see cref="log_prob"/> is elementwise, as in PyTorch: sum over event dimensions yourself.
/// </summary>
public abstract class Distribution
{
    /// <summary>A draw without gradient.</summary>
    public abstract Tensor sample();

    /// <summary>A reparameterised draw: differentiable with respect to the parameters.</summary>
    public virtual Tensor rsample() => throw new NotSupportedException($"{GetType().Name} has no reparameterised sampler; use sample()");

    public abstract Tensor log_prob(Tensor value);

    /// <summary>Differential/Shannon entropy, elementwise. PyTorch also has none for distributions without a closed form.</summary>
    public virtual Tensor entropy() => throw new NotSupportedException($"{GetType().Name} has no closed-form entropy; estimate it as -log_prob of samples");

    public abstract Tensor mean { get; }
}
