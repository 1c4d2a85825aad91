using static Robotics.Torch.torch;

namespace Robotics.Torch.Modules;

/// <summary>Zeroes elements with probability <see cref="p"/> (rescaling the rest) in training mode; the identity in eval mode.</summary>
public sealed class Dropout : nn.Module<Tensor, Tensor>
{
    public double p { get; }

    public Dropout(double p = 0.5)
    {
        if (p < 0 || p > 1) throw new ArgumentOutOfRangeException(nameof(p), p, "dropout probability has to be between 0 and 1");
        this.p = p;
    }

    public override Tensor forward(Tensor input) => nn.functional.dropout(input, p, training);
}
