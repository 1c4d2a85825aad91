using static Robotics.Torch.torch;

namespace Robotics.Torch.Modules;

/// <summary><c>y = x Wᵀ + b</c>. Initialised as PyTorch: W ~ kaiming_uniform(a = √5), b ~ U(±1/√fan_in).</summary>
public sealed class Linear : nn.Module<Tensor, Tensor>
{
    public Parameter weight;
    public Parameter? bias;

    public long in_features { get; }
    public long out_features { get; }

    public Linear(long in_features, long out_features, bool bias = true, Device? device = null, ScalarType? dtype = null)
    {
        this.in_features = in_features;
        this.out_features = out_features;
        using var scope = NewDisposeScope();
        weight = new Parameter(empty([out_features, in_features], dtype, device));
        this.bias = bias ? new Parameter(empty([out_features], dtype, device)) : null;
        reset_parameters();
    }

    public void reset_parameters()
    {
        nn.init.kaiming_uniform_(weight, a: Math.Sqrt(5));
        if (bias is null) return;
        var (fanIn, _) = nn.init.calculate_fan_in_and_fan_out(weight);
        var bound = fanIn > 0 ? 1 / Math.Sqrt(fanIn) : 0;
        nn.init.uniform_(bias, -bound, bound);
    }

    public override Tensor forward(Tensor input) => nn.functional.linear(input, weight, bias);

    public override string ToString() => $"Linear(in_features={in_features}, out_features={out_features}, bias={bias is not null})";
}
