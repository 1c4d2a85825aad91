using static Robotics.Torch.torch;

namespace Robotics.Torch.Modules;

/// <summary>2-D convolution over [N, C, H, W]. Initialised as PyTorch (kaiming_uniform a = √5, bias U(±1/√fan_in)).</summary>
public sealed class Conv2d : nn.Module<Tensor, Tensor>
{
    public Parameter weight;
    public Parameter? bias;

    public long in_channels { get; }
    public long out_channels { get; }
    public (long h, long w) kernel_size { get; }
    public (long h, long w) stride { get; }
    public (long h, long w) padding { get; }
    public (long h, long w) dilation { get; }
    public long groups { get; }

    public Conv2d(long in_channels, long out_channels, (long h, long w) kernel_size, (long h, long w)? stride = null, (long h, long w)? padding = null,
                  (long h, long w)? dilation = null, long groups = 1, bool bias = true, Device? device = null, ScalarType? dtype = null)
    {
        if (groups <= 0 || in_channels % groups != 0 || out_channels % groups != 0)
            throw new ArgumentException($"in_channels ({in_channels}) and out_channels ({out_channels}) must be divisible by groups ({groups})");
        this.in_channels = in_channels;
        this.out_channels = out_channels;
        this.kernel_size = kernel_size;
        this.stride = stride ?? (1, 1);
        this.padding = padding ?? (0, 0);
        this.dilation = dilation ?? (1, 1);
        this.groups = groups;
        using var scope = NewDisposeScope();
        weight = new Parameter(empty([out_channels, in_channels / groups, kernel_size.h, kernel_size.w], dtype, device));
        this.bias = bias ? new Parameter(empty([out_channels], dtype, device)) : null;
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

    public override Tensor forward(Tensor input) => nn.functional.conv2d(input, weight, bias, stride, padding, dilation, groups);
}
