using NUnit.Framework;
using static Robotics.Torch.torch;

namespace Robotics.Torch.Tests;

/// <summary>
/// Autograd against float64 central finite differences: for a random weighting w of the output,
/// d(Σ w·f(x))/dx from backward must match (L(x + h) - L(x - h)) / 2h element by element.
/// </summary>
internal static class GradCheck
{
    public static void Check(Func<Tensor[], Tensor> f, Tensor[] inputs, double h = 1e-6, double atol = 1e-6, double rtol = 1e-4, int maxElements = 24)
    {
        using var scope = NewDisposeScope();
        foreach (var x in inputs)
        {
            Assert.That(x.dtype, Is.EqualTo(ScalarType.Float64), "gradcheck needs float64 inputs");
            x.requires_grad_();
        }
        var output = f(inputs);
        var weight = randn_like(output);
        var analytic = autograd.grad([(output * weight).sum()], inputs, allow_unused: true);

        double Loss()
        {
            using var inner = NewDisposeScope();
            using var _ = no_grad();
            return (f(inputs) * weight).sum().item<double>();
        }

        var rng = new Random(1234);
        for (int i = 0; i < inputs.Length; i++)
        {
            var data = inputs[i].data<double>();
            var grad = analytic[i] is null ? new double[data.Length] : analytic[i]!.contiguous().ToArray<double>();
            var picks = Enumerable.Range(0, data.Length).OrderBy(_ => rng.Next()).Take(maxElements);
            foreach (var j in picks)
            {
                var saved = data[j];
                data[j] = saved + h;
                var plus = Loss();
                data = inputs[i].data<double>();
                data[j] = saved - h;
                var minus = Loss();
                data = inputs[i].data<double>();
                data[j] = saved;
                var numeric = (plus - minus) / (2 * h);
                Assert.That(grad[j], Is.EqualTo(numeric).Within(atol + rtol * Math.Abs(numeric)),
                            $"input {i}, element {j}: autograd {grad[j]} vs finite difference {numeric}");
            }
        }
    }

    /// <summary>A float64 leaf with values in [lo, hi), made from libtorch's seeded generator.</summary>
    public static Tensor Uniform(double lo, double hi, params long[] shape) =>
        rand(shape, float64) * (hi - lo) + lo;

    /// <summary>A float64 standard-normal leaf.</summary>
    public static Tensor Normal(params long[] shape) => randn(shape, float64);
}
