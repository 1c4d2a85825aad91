using NUnit.Framework;
using Robotics.Torch.Optimizers;
using static Robotics.Torch.torch;
using F = Robotics.Torch.torch.nn.functional;
using Optimizer = Robotics.Torch.torch.optim.Optimizer;

namespace Robotics.Torch.Tests;

public class OptimizerTests
{
    /// <summary>PyTorch's Adam/AdamW update in doubles, for a fixed gradient sequence.</summary>
    private static double[] ReferenceAdam(double[] p, double[][] grads, double lr, double b1, double b2, double eps, double wd, bool decoupled)
    {
        p = p.ToArray();
        var m = new double[p.Length];
        var v = new double[p.Length];
        for (int t = 1; t <= grads.Length; t++)
            for (int i = 0; i < p.Length; i++)
            {
                var g = grads[t - 1][i];
                if (decoupled) p[i] *= 1 - lr * wd;
                else g += wd * p[i];
                m[i] = b1 * m[i] + (1 - b1) * g;
                v[i] = b2 * v[i] + (1 - b2) * g * g;
                var denom = Math.Sqrt(v[i]) / Math.Sqrt(1 - Math.Pow(b2, t)) + eps;
                p[i] -= lr / (1 - Math.Pow(b1, t)) * m[i] / denom;
            }
        return p;
    }

    private static double[][] Grads(int steps, int n)
    {
        var rng = new Random(5);
        return Enumerable.Range(0, steps).Select(_ => Enumerable.Range(0, n).Select(_ => rng.NextDouble() * 2 - 1).ToArray()).ToArray();
    }

    [TestCase(ScalarType.Float32, false, TestName = "Adam_float32_fused")]
    [TestCase(ScalarType.Float64, false, TestName = "Adam_float64_ops")]
    [TestCase(ScalarType.Float32, true, TestName = "AdamW_float32_fused")]
    [TestCase(ScalarType.Float64, true, TestName = "AdamW_float64_ops")]
    public void AdamMatchesTheReferenceUpdate(ScalarType dtype, bool adamw)
    {
        using var scope = NewDisposeScope();
        var init = new[] { 0.5, -1.0, 2.0, 0.0 };
        var grads = Grads(6, 4);
        var p = new Parameter(tensor(init, dtype: dtype));
        using Optimizer opt = adamw ? optim.AdamW([p], lr: 0.1, weight_decay: 0.1) : optim.Adam([p], lr: 0.1, weight_decay: 0.05);
        foreach (var g in grads)
        {
            p.grad = tensor(g, dtype: dtype);
            opt.step();
        }
        var expected = ReferenceAdam(init, grads, 0.1, 0.9, 0.999, 1e-8, adamw ? 0.1 : 0.05, adamw);
        Assert.That(p.to(float64).ToArray<double>(), Is.EqualTo(expected).Within(dtype == ScalarType.Float32 ? 2e-6 : 1e-12));
        p.Dispose();
    }

    [Test]
    public void FusedAndOpByOpAdamAgree()
    {
        using var scope = NewDisposeScope();
        manual_seed(2);
        var data = randn(6, 5);
        var contiguous = new Parameter(data);
        // A transposed parameter is not contiguous, so it takes the op-by-op path.
        var strided = new Parameter(data.t().contiguous().t());
        Assert.That(strided.is_contiguous(), Is.False);
        using var o1 = optim.Adam([contiguous], 0.01, amsgrad: false);
        using var o2 = optim.Adam([strided], 0.01);
        for (int i = 0; i < 5; i++)
        {
            var g = randn(6, 5);
            contiguous.grad = g;
            strided.grad = g.t().contiguous().t();
            o1.step();
            o2.step();
        }
        Assert.That(contiguous.allclose(strided, rtol: 1e-6, atol: 1e-7));
        contiguous.Dispose();
        strided.Dispose();
    }

    [Test]
    public void AmsgradKeepsTheLargestSecondMoment()
    {
        using var scope = NewDisposeScope();
        var p = new Parameter(zeros(1));
        using var opt = optim.Adam([p], lr: 0.1, amsgrad: true);
        foreach (var g in new[] { 10f, 0.1f, 0.1f })
        {
            p.grad = tensor(new[] { g });
            opt.step();
        }
        var state = opt.state_dict();
        Assert.That(state["state.0.max_exp_avg_sq"].item<float>(), Is.GreaterThan(state["state.0.exp_avg_sq"].item<float>()));
        p.Dispose();
    }

    [Test]
    public void SgdWithMomentumAndNesterov()
    {
        using var scope = NewDisposeScope();
        var p = new Parameter(tensor(new[] { 1.0 }));
        using var opt = optim.SGD([p], lr: 0.1, momentum: 0.9);
        p.grad = tensor(new[] { 1.0 });
        opt.step(); // buf = 1, p = 0.9
        p.grad = tensor(new[] { 1.0 });
        opt.step(); // buf = 1.9, p = 0.71
        Assert.That(p.item<double>(), Is.EqualTo(0.71).Within(1e-12));
        var q = new Parameter(tensor(new[] { 1.0 }));
        using var nest = optim.SGD([q], lr: 0.1, momentum: 0.5, nesterov: true, weight_decay: 0.1);
        q.grad = tensor(new[] { 0.9 });
        nest.step(); // g = 0.9 + 0.1 = 1.0, buf = 1, g = 1 + 0.5 = 1.5, q = 0.85
        Assert.That(q.item<double>(), Is.EqualTo(0.85).Within(1e-12));
        Assert.Throws<ArgumentException>(() => optim.SGD([q], nesterov: true));
        p.Dispose();
        q.Dispose();
    }

    [Test]
    public void ParametersWithoutGradientsAreSkipped()
    {
        using var scope = NewDisposeScope();
        var a = new Parameter(ones(2));
        var b = new Parameter(ones(2));
        using var opt = optim.Adam([a, b], 0.1);
        a.grad = ones(2);
        opt.step();
        Assert.That(b.ToArray<float>(), Is.All.EqualTo(1f));
        Assert.That(a.ToArray<float>(), Is.All.EqualTo(0.9f).Within(1e-6));
        Assert.That(opt.state_dict()["state.1.step"].item<long>(), Is.EqualTo(0));
        a.Dispose();
        b.Dispose();
    }

    [Test]
    public void ZeroGradClearsOrZeroes()
    {
        using var scope = NewDisposeScope();
        var p = new Parameter(ones(3));
        using var opt = optim.SGD([p], 0.1);
        p.grad = ones(3);
        opt.zero_grad(set_to_none: false);
        Assert.That(p.grad!.ToArray<float>(), Is.All.EqualTo(0f));
        opt.zero_grad();
        Assert.That(p.grad, Is.Null);
        p.Dispose();
    }

    private static (nn.Module<Tensor, Tensor> net, Optimizer opt) Fresh(long seed)
    {
        manual_seed(seed);
        var net = nn.MLP([3, 16, 1]);
        return (net, optim.Adam(net.parameters(), 1e-2));
    }

    private static void Train(nn.Module<Tensor, Tensor> net, Optimizer opt, int steps, int offset)
    {
        for (int i = 0; i < steps; i++)
        {
            using var s = NewDisposeScope();
            var x = arange(offset + i, offset + i + 24).reshape(8, 3).@float() / 24;
            opt.zero_grad();
            F.mse_loss(net.call(x), x.sum(1, keepdim: true).sin()).backward();
            opt.step();
        }
    }

    [Test]
    public void SavedStateContinuesIdentically()
    {
        var dir = Directory.CreateTempSubdirectory("robotics-optim-");
        try
        {
            using var scope = NewDisposeScope();
            var (net, opt) = Fresh(11);
            Train(net, opt, 5, 0);
            net.save(Path.Combine(dir.FullName, "net.safetensors"));
            opt.save(Path.Combine(dir.FullName, "opt.safetensors"));
            Train(net, opt, 5, 5);

            var (net2, opt2) = Fresh(99);
            net2.load(Path.Combine(dir.FullName, "net.safetensors"));
            opt2.load(Path.Combine(dir.FullName, "opt.safetensors"));
            Train(net2, opt2, 5, 5);
            foreach (var ((name, a), (_, b)) in net.named_parameters().Zip(net2.named_parameters()))
                Assert.That(a.equal(b), $"{name} diverged after resuming");
            Assert.That(opt2.state_dict()["state.0.step"].item<long>(), Is.EqualTo(10));

            var (net3, opt3) = Fresh(1);
            var bad = new Dictionary<string, Tensor>(opt.state_dict()) { ["state.99.step"] = tensor(1L) };
            Assert.Throws<TorchException>(() => opt3.load_state_dict(bad));
            foreach (var d in new IDisposable[] { net, opt, net2, opt2, net3, opt3 }) d.Dispose();
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Test]
    public void ParamGroupsHaveTheirOwnLearningRates()
    {
        using var scope = NewDisposeScope();
        var a = new Parameter(ones(1));
        var b = new Parameter(ones(1));
        using var opt = optim.SGD([new optim.ParamGroup([a]), new optim.ParamGroup([b], lr: 0.5)], lr: 0.1);
        a.grad = ones(1);
        b.grad = ones(1);
        opt.step();
        Assert.That(a.item<float>(), Is.EqualTo(0.9f).Within(1e-6));
        Assert.That(b.item<float>(), Is.EqualTo(0.5f).Within(1e-6));
        Assert.Throws<ArgumentException>(() => optim.SGD([new optim.ParamGroup([a]), new optim.ParamGroup([a])]));
        a.Dispose();
        b.Dispose();
    }

    [Test]
    public void SchedulersFollowTheirClosedForms()
    {
        using var scope = NewDisposeScope();
        var p = new Parameter(ones(1));
        using var opt = optim.SGD([p], lr: 1.0);
        var linear = optim.lr_scheduler.LinearLR(opt, start_factor: 0.5, end_factor: 1.0, total_iters: 4);
        var seen = new List<double> { opt.param_groups[0].lr };
        for (int i = 0; i < 5; i++)
        {
            opt.step();
            linear.step();
            seen.Add(linear.get_last_lr()[0]);
        }
        Assert.That(seen, Is.EqualTo(new[] { 0.5, 0.625, 0.75, 0.875, 1.0, 1.0 }).Within(1e-12));

        using var opt2 = optim.SGD([p], lr: 0.1);
        var cosine = optim.lr_scheduler.CosineAnnealingLR(opt2, T_max: 10, eta_min: 0.01);
        Assert.That(opt2.param_groups[0].lr, Is.EqualTo(0.1).Within(1e-12));
        for (int i = 0; i < 5; i++) cosine.step();
        Assert.That(opt2.param_groups[0].lr, Is.EqualTo(0.055).Within(1e-12), "halfway: the mean of max and min");
        cosine.set_epoch(10);
        Assert.That(opt2.param_groups[0].lr, Is.EqualTo(0.01).Within(1e-12));
        var lambda = optim.lr_scheduler.LambdaLR(opt2, e => 1.0 / (e + 1));
        lambda.step();
        Assert.That(opt2.param_groups[0].lr, Is.EqualTo(0.05).Within(1e-12));
        p.Dispose();
    }
}
