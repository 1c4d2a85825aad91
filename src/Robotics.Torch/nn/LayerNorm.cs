using static Robotics.Torch.torch;

namespace Robotics.Torch.Modules;

/// <summary>Normalises the trailing <see cref="normalized_shape"/> dimensions, then scales and shifts (weight 1, bias 0 at init).</summary>
public sealed class LayerNorm : nn.Module<Tensor, Tensor>
{
    public Parameter? weight;
    public Parameter? bias;

    public long[] normalized_shape { get; }
    public double eps { get; }

    public LayerNorm(long[] normalized_shape, double eps = 1e-5, bool elementwise_affine = true, Device? device = null, ScalarType? dtype = null)
    {
        this.normalized_shape = normalized_shape.ToArray();
        this.eps = eps;
        if (!elementwise_affine) return;
        using var scope = NewDisposeScope();
        weight = new Parameter(ones(normalized_shape, dtype, device));
        bias = new Parameter(zeros(normalized_shape, dtype, device));
    }

    public override Tensor forward(Tensor input) => nn.functional.layer_norm(input, normalized_shape, weight, bias, eps);
}
