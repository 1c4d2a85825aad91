using NUnit.Framework;
using static Robotics.Torch.torch;
using F = Robotics.Torch.torch.nn.functional;

namespace Robotics.Torch.Tests;

public class MathTests
{
    private static Tensor T(params float[] v) => tensor(v);

    [Test]
    public void OperatorsWithScalarsOnBothSides()
    {
        using var scope = NewDisposeScope();
        var x = T(1, 2, 4);
        Assert.That((x + 1).ToArray<float>(), Is.EqualTo(new[] { 2f, 3, 5 }));
        Assert.That((1 + x).ToArray<float>(), Is.EqualTo(new[] { 2f, 3, 5 }));
        Assert.That((x - 1).ToArray<float>(), Is.EqualTo(new[] { 0f, 1, 3 }));
        Assert.That((10 - x).ToArray<float>(), Is.EqualTo(new[] { 9f, 8, 6 }));
        Assert.That((x * 2).ToArray<float>(), Is.EqualTo(new[] { 2f, 4, 8 }));
        Assert.That((0.5 * x).ToArray<float>(), Is.EqualTo(new[] { 0.5f, 1, 2 }));
        Assert.That((x / 2).ToArray<float>(), Is.EqualTo(new[] { 0.5f, 1, 2 }));
        Assert.That((4 / x).ToArray<float>(), Is.EqualTo(new[] { 4f, 2, 1 }));
        Assert.That((-x).ToArray<float>(), Is.EqualTo(new[] { -1f, -2, -4 }));
        Assert.That((x % 3).ToArray<float>(), Is.EqualTo(new[] { 1f, 2, 1 }));
        Assert.That((x + x * x).ToArray<float>(), Is.EqualTo(new[] { 2f, 6, 20 }));
    }

    [Test]
    public void IntegerTensorsStayIntegerWithIntegerScalars()
    {
        using var scope = NewDisposeScope();
        var i = arange(4);
        Assert.That((i * 2).dtype, Is.EqualTo(ScalarType.Int64));
        Assert.That((i * 2.5).dtype, Is.EqualTo(ScalarType.Float32), "a float scalar promotes to the default dtype");
        Assert.That(((i + 1) % 4).ToArray<long>(), Is.EqualTo(new long[] { 1, 2, 3, 0 }));
        Assert.That((i / 2).dtype, Is.EqualTo(ScalarType.Float32), "true division, as Python 3");
    }

    [Test]
    public void BroadcastingFollowsNumPyRules()
    {
        using var scope = NewDisposeScope();
        var col = arange(3).reshape(3, 1);
        var row = arange(4).reshape(1, 4);
        var sum = col * 10 + row;
        Assert.That(sum.shape, Is.EqualTo(new long[] { 3, 4 }));
        Assert.That(sum.ToArray<long>(), Is.EqualTo(new long[] { 0, 1, 2, 3, 10, 11, 12, 13, 20, 21, 22, 23 }));
        var batch = ones(2, 3, 4) * tensor(new float[] { 1, 2, 3, 4 });
        Assert.That(batch.sum([0, 1]).ToArray<float>(), Is.EqualTo(new float[] { 6, 12, 18, 24 }));
        Assert.Throws<TorchException>(() => _ = ones(2, 3) + ones(4));
    }

    [Test]
    public void ComparisonsReturnBoolTensors()
    {
        using var scope = NewDisposeScope();
        var x = T(1, 2, 3);
        var y = T(3, 2, 1);
        Assert.That((x < y).dtype, Is.EqualTo(ScalarType.Bool));
        Assert.That((x < y).ToArray<bool>(), Is.EqualTo(new[] { true, false, false }));
        Assert.That((x >= 2).ToArray<bool>(), Is.EqualTo(new[] { false, true, true }));
        Assert.That((2 > x).ToArray<bool>(), Is.EqualTo(new[] { true, false, false }));
        Assert.That(x.eq(y).ToArray<bool>(), Is.EqualTo(new[] { false, true, false }));
        Assert.That(x.ne(2).ToArray<bool>(), Is.EqualTo(new[] { true, false, true }));
        Assert.That(((x > 1) & (y > 1)).ToArray<bool>(), Is.EqualTo(new[] { false, true, false }));
        Assert.That(((x > 2) | (y > 2)).ToArray<bool>(), Is.EqualTo(new[] { true, false, true }));
        Assert.That((~(x > 1)).ToArray<bool>(), Is.EqualTo(new[] { true, false, false }));
        Assert.That(x.allclose(x + 1e-7f));
        Assert.That(x.equal(y), Is.False);
    }

    [Test]
    public void ElementwiseFunctionsMatchMath()
    {
        using var scope = NewDisposeScope();
        var v = new[] { -1.5, -0.2, 0.3, 2.0 };
        var x = tensor(v);
        void Same(Tensor t, Func<double, double> f, string what) =>
            Assert.That(t.ToArray<double>(), Is.EqualTo(v.Select(f).ToArray()).Within(1e-12), what);
        Same(x.exp(), Math.Exp, "exp");
        Same(x.abs().log(), a => Math.Log(Math.Abs(a)), "log");
        Same(x.tanh(), Math.Tanh, "tanh");
        Same(x.sigmoid(), a => 1 / (1 + Math.Exp(-a)), "sigmoid");
        Same(x.relu(), a => Math.Max(0, a), "relu");
        Same(x.softplus(), a => Math.Log(1 + Math.Exp(a)), "softplus");
        Same(x.clamp(-1, 1), a => Math.Clamp(a, -1, 1), "clamp");
        Same(x.clamp_min(0), a => Math.Max(0, a), "clamp_min");
        Same(x.pow(2), a => a * a, "pow");
        Same(x.abs().sqrt(), a => Math.Sqrt(Math.Abs(a)), "sqrt");
        Same(x.abs(), Math.Abs, "abs");
        Same(x.erf(), Erf, "erf");
        Same(minimum(x, zeros_like(x)), a => Math.Min(a, 0), "minimum");
        Same(maximum(x, zeros_like(x)), a => Math.Max(a, 0), "maximum");
        Same(x.silu(), a => a / (1 + Math.Exp(-a)), "silu");
        Same(x.gelu(), a => 0.5 * a * (1 + Erf(a / Math.Sqrt(2))), "gelu");
        Same(x.sign(), a => Math.Sign(a), "sign");
        Same(where(x > 0, x, -x), Math.Abs, "where");
    }

    /// <summary>erf by its Taylor series (converges fast for |x| ≤ 3).</summary>
    private static double Erf(double x)
    {
        double sum = 0, term = x;
        for (int n = 0; n < 60; n++)
        {
            sum += term / (2 * n + 1);
            term *= -x * x / (n + 1);
        }
        return 2 / Math.Sqrt(Math.PI) * sum;
    }

    [Test]
    public void ReductionsAndTheirDimVariants()
    {
        using var scope = NewDisposeScope();
        var x = tensor(new double[,] { { 1, 5, 3 }, { 4, 2, 6 } });
        Assert.That(x.sum().item<double>(), Is.EqualTo(21));
        Assert.That(x.sum(0).ToArray<double>(), Is.EqualTo(new double[] { 5, 7, 9 }), "x.sum(0) reduces dim 0, never picks a dtype");
        Assert.That(x.sum(1, keepdim: true).shape, Is.EqualTo(new long[] { 2, 1 }));
        Assert.That(x.mean().item<double>(), Is.EqualTo(3.5));
        Assert.That(x.mean(1).ToArray<double>(), Is.EqualTo(new double[] { 3, 4 }));
        Assert.That(x.max().item<double>(), Is.EqualTo(6));
        Assert.That(x.min().item<double>(), Is.EqualTo(1));
        var (values, indices) = x.max(1);
        Assert.That(values.ToArray<double>(), Is.EqualTo(new double[] { 5, 6 }));
        Assert.That(indices.ToArray<long>(), Is.EqualTo(new long[] { 1, 2 }));
        var (mv, mi) = x.min(0, keepdim: true);
        Assert.That(mv.ToArray<double>(), Is.EqualTo(new double[] { 1, 2, 3 }));
        Assert.That(mi.shape, Is.EqualTo(new long[] { 1, 3 }));
        Assert.That(x.argmax().item<long>(), Is.EqualTo(5));
        Assert.That(x.argmax(0).ToArray<long>(), Is.EqualTo(new long[] { 1, 0, 1 }));
        Assert.That(x.argmin(1).ToArray<long>(), Is.EqualTo(new long[] { 0, 1 }));
        Assert.That(x.logsumexp(1).ToArray<double>(), Is.EqualTo(new[] { Lse(1, 5, 3), Lse(4, 2, 6) }).Within(1e-12));
        Assert.That(x.std().item<double>(), Is.EqualTo(Math.Sqrt(17.5 / 5)).Within(1e-12), "unbiased by default");
        Assert.That(x.std(false).item<double>(), Is.EqualTo(Math.Sqrt(17.5 / 6)).Within(1e-12));
        Assert.That(x.var(1).ToArray<double>(), Is.EqualTo(new double[] { 4, 4 }).Within(1e-12));
        Assert.That(x.norm().item<double>(), Is.EqualTo(Math.Sqrt(91)).Within(1e-12));
        Assert.That(x.norm(1, 1).ToArray<double>(), Is.EqualTo(new double[] { 9, 12 }));
        Assert.That(x.cumsum(1).ToArray<double>(), Is.EqualTo(new double[] { 1, 6, 9, 4, 6, 12 }));
        Assert.That(x.prod(1).ToArray<double>(), Is.EqualTo(new double[] { 15, 48 }));
        Assert.That((x > 0).all().item<bool>());
        Assert.That((x > 5).any(1).ToArray<bool>(), Is.EqualTo(new[] { false, true }));
        var (top, topIdx) = x.topk(2, 1);
        Assert.That(top.ToArray<double>(), Is.EqualTo(new double[] { 5, 3, 6, 4 }));
        Assert.That(topIdx.ToArray<long>(), Is.EqualTo(new long[] { 1, 2, 2, 0 }));
        Assert.That(x.sort(1, descending: true).values.ToArray<double>(), Is.EqualTo(new double[] { 5, 3, 1, 6, 4, 2 }));
    }

    private static double Lse(params double[] v) => Math.Log(v.Sum(Math.Exp));

    [Test]
    public void MatrixProducts()
    {
        using var scope = NewDisposeScope();
        var a = tensor(new float[,] { { 1, 2 }, { 3, 4 } });
        var b = tensor(new float[,] { { 5, 6 }, { 7, 8 } });
        Assert.That(a.matmul(b).ToArray<float>(), Is.EqualTo(new float[] { 19, 22, 43, 50 }));
        Assert.That(a.mm(b).equal(matmul(a, b)));
        Assert.That(stack([a, b]).bmm(stack([b, a])).shape, Is.EqualTo(new long[] { 2, 2, 2 }));
        var w = tensor(new float[,] { { 1, 0 }, { 0, 2 }, { 1, 1 } });
        Assert.That(F.linear(a, w, tensor(new float[] { 0, 0, 10 })).ToArray<float>(), Is.EqualTo(new float[] { 1, 4, 13, 3, 8, 17 }));
        Assert.That(einsum("ij,jk->ik", a, b).equal(a.matmul(b)));
        Assert.That(tensor(new float[] { 1, 2 }).dot(tensor(new float[] { 3, 4 })).item<float>(), Is.EqualTo(11));
    }

    [Test]
    public void SoftmaxFamilies()
    {
        using var scope = NewDisposeScope();
        var x = tensor(new double[] { 1, 2, 3 });
        var e = new[] { Math.Exp(1), Math.Exp(2), Math.Exp(3) };
        Assert.That(x.softmax(0).ToArray<double>(), Is.EqualTo(e.Select(v => v / e.Sum()).ToArray()).Within(1e-12));
        Assert.That(x.log_softmax(0).ToArray<double>(), Is.EqualTo(e.Select(v => Math.Log(v / e.Sum())).ToArray()).Within(1e-12));
    }

    [Test]
    public void LossesMatchTheirFormulas()
    {
        using var scope = NewDisposeScope();
        var a = tensor(new double[] { 0.0, 2.0, -1.0 });
        var b = tensor(new double[] { 0.5, 0.0, -1.0 });
        Assert.That(F.mse_loss(a, b).item<double>(), Is.EqualTo((0.25 + 4) / 3).Within(1e-12));
        Assert.That(F.mse_loss(a, b, Reduction.Sum).item<double>(), Is.EqualTo(4.25).Within(1e-12));
        Assert.That(F.l1_loss(a, b).item<double>(), Is.EqualTo(2.5 / 3).Within(1e-12));
        // smooth L1 (beta 1): 0.5 d² / beta below beta, |d| - beta/2 above.
        Assert.That(F.smooth_l1_loss(a, b, Reduction.None).ToArray<double>(), Is.EqualTo(new[] { 0.125, 1.5, 0 }).Within(1e-12));
        Assert.That(F.huber_loss(a, b, Reduction.None, delta: 0.5).ToArray<double>(), Is.EqualTo(new[] { 0.125, 0.5 * (2 - 0.25), 0 }).Within(1e-12));
        var logits = tensor(new double[] { 0.3, -2.0 });
        var target = tensor(new double[] { 1.0, 0.0 });
        double Bce(double z, double y) => -(y * Math.Log(1 / (1 + Math.Exp(-z))) + (1 - y) * Math.Log(1 - 1 / (1 + Math.Exp(-z))));
        Assert.That(F.binary_cross_entropy_with_logits(logits, target).item<double>(), Is.EqualTo((Bce(0.3, 1) + Bce(-2, 0)) / 2).Within(1e-12));
        var scores = tensor(new double[,] { { 1, 2, 3 }, { 1, 1, 1 } });
        var ce = F.cross_entropy(scores, tensor(new long[] { 2, 0 }), reduction: Reduction.None).ToArray<double>();
        Assert.That(ce[0], Is.EqualTo(-Math.Log(Math.Exp(3) / (Math.Exp(1) + Math.Exp(2) + Math.Exp(3)))).Within(1e-12));
        Assert.That(ce[1], Is.EqualTo(Math.Log(3)).Within(1e-12));
    }

    [Test]
    public void InterpolationModes()
    {
        using var scope = NewDisposeScope();
        var img = tensor(new float[] { 0, 1, 2, 3 }).reshape(1, 1, 2, 2);
        var nearest = F.interpolate(img, size: (4, 4));
        Assert.That(nearest.shape, Is.EqualTo(new long[] { 1, 1, 4, 4 }));
        Assert.That(nearest[0, 0, 0].ToArray<float>(), Is.EqualTo(new float[] { 0, 0, 1, 1 }));
        var bilinear = F.interpolate(img, size: (3, 3), mode: InterpolationMode.Bilinear, align_corners: true);
        Assert.That(bilinear[0, 0].ToArray<float>(), Is.EqualTo(new float[] { 0, 0.5f, 1, 1, 1.5f, 2, 2, 2.5f, 3 }).Within(1e-6));
        var bicubic = F.interpolate(img, scale_factor: (2, 2), mode: InterpolationMode.Bicubic, align_corners: false);
        Assert.That(bicubic.shape, Is.EqualTo(new long[] { 1, 1, 4, 4 }));
        Assert.That(bicubic.mean().item<float>(), Is.EqualTo(1.5f).Within(1e-5), "bicubic keeps the mean of a linear ramp");
        Assert.Throws<TorchException>(() => F.interpolate(img, size: (4, 4), align_corners: true), "nearest takes no align_corners");
        Assert.Throws<TorchException>(() => F.interpolate(img));
    }

    [Test]
    public void ConvolutionAndLayerNormValues()
    {
        using var scope = NewDisposeScope();
        var x = arange(16.0).reshape(1, 1, 4, 4);
        var k = ones(1, 1, 2, 2);
        var y = F.conv2d(x, k, stride: (2, 2));
        Assert.That(y.ToArray<float>(), Is.EqualTo(new float[] { 10, 18, 42, 50 }));
        var n = F.layer_norm(tensor(new float[,] { { 1, 2, 3 }, { 2, 2, 2 } }), [3]);
        Assert.That(n[0].mean().item<float>(), Is.EqualTo(0).Within(1e-6));
        Assert.That(n[0].std(false).item<float>(), Is.EqualTo(1).Within(1e-3));
        Assert.That(n[1].ToArray<float>(), Is.All.EqualTo(0f));
    }

    [Test]
    public void AttentionMatchesTheFormula()
    {
        using var scope = NewDisposeScope();
        manual_seed(1);
        var (q, k, v) = (randn([2, 3, 4], float64), randn([2, 5, 4], float64), randn([2, 5, 6], float64));
        var expected = (q.matmul(k.transpose(-2, -1)) / 2.0).softmax(-1).matmul(v);
        Assert.That(F.scaled_dot_product_attention(q, k, v).allclose(expected, 1e-10, 1e-12));
        var allow = ones([3, 5], @bool).tril();
        var masked = (q.matmul(k.transpose(-2, -1)) / 2.0).masked_fill(~allow, double.NegativeInfinity).softmax(-1).matmul(v);
        Assert.That(F.scaled_dot_product_attention(q, k, v, attn_mask: allow).allclose(masked, 1e-10, 1e-12), "bool mask: True attends");
        var qs = q.narrow(1, 0, 3);
        var ks = k.narrow(1, 0, 3);
        var causal = F.scaled_dot_product_attention(qs, ks, v.narrow(1, 0, 3), is_causal: true);
        var manual = F.scaled_dot_product_attention(qs, ks, v.narrow(1, 0, 3), attn_mask: ones([3, 3], @bool).tril());
        Assert.That(causal.allclose(manual));
        Assert.That(F.scaled_dot_product_attention(q, k, v, scale: 1.0).allclose(q.matmul(k.transpose(-2, -1)).softmax(-1).matmul(v), 1e-10, 1e-12));
    }
}
