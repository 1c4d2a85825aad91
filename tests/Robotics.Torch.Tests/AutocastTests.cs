using NUnit.Framework;
using static Robotics.Torch.torch;

namespace Robotics.Torch.Tests;

public class AutocastTests
{
    [Test]
    public void LinearRunsInBfloat16InsideTheRegionAndFloat32Outside()
    {
        using var scope = NewDisposeScope();
        manual_seed(1);
        var linear = nn.Linear(16, 8);
        var x = randn(4, 16);
        var full = linear.call(x);
        Tensor mixed;
        using (autocast())
        {
            Assert.That(is_autocast_enabled(), Is.True);
            mixed = linear.call(x);
        }
        Assert.That(is_autocast_enabled(), Is.False, "leaving the region restores the thread's setting");
        Assert.That(full.dtype, Is.EqualTo(ScalarType.Float32));
        Assert.That(mixed.dtype, Is.EqualTo(ScalarType.BFloat16));
        Assert.That(linear.weight.dtype, Is.EqualTo(ScalarType.Float32), "weights stay float32");
        // bfloat16 keeps 8 bits of mantissa: the product agrees to about 1%.
        var difference = (mixed.@float() - full).abs().max().item<double>();
        Assert.That(difference, Is.LessThan(0.02 * full.abs().max().item<double>() + 1e-3));
        Assert.That(difference, Is.GreaterThan(0), "the region did change the arithmetic");
    }

    [Test]
    public void GradientsReachFloat32WeightsAsFloat32()
    {
        using var scope = NewDisposeScope();
        manual_seed(2);
        var linear = nn.Linear(16, 1);
        var x = randn(32, 16);
        Tensor loss;
        using (autocast()) loss = linear.call(x).@float().pow(2).mean();
        loss.backward();
        Assert.That(linear.weight.grad!.dtype, Is.EqualTo(ScalarType.Float32));

        var reference = nn.Linear(16, 1);
        reference.load_state_dict(linear.state_dict());
        reference.call(x).pow(2).mean().backward();
        var g = linear.weight.grad!.ToArray<float>();
        var r = reference.weight.grad!.ToArray<float>();
        for (int i = 0; i < g.Length; i++) Assert.That(g[i], Is.EqualTo(r[i]).Within(0.03 * Math.Abs(r[i]) + 1e-3), $"gradient {i}");
    }

    [Test]
    public void NestedRegionsRestoreTheOuterSettingAndDefaultRestoresNothing()
    {
        using (autocast())
        {
            using (autocast(enabled: false)) Assert.That(is_autocast_enabled(), Is.False);
            Assert.That(is_autocast_enabled(), Is.True);
            using (default(AutocastGuard)) Assert.That(is_autocast_enabled(), Is.True);
        }
        Assert.That(is_autocast_enabled(), Is.False);
        Assert.Throws<ArgumentException>(() => autocast(dtype: ScalarType.Float64));
    }
}
