using NUnit.Framework;
using static Robotics.Torch.torch;

namespace Robotics.Torch.Tests;

public class AutogradTests
{
    [Test]
    public void BackwardAccumulatesIntoLeaves()
    {
        using var scope = NewDisposeScope();
        var x = tensor(new[] { 1.0, 2.0, 3.0 }, requires_grad: true);
        Assert.That(x.requires_grad && x.is_leaf);
        Assert.That(x.grad, Is.Null, "no gradient before backward");
        (x * x).sum().backward();
        Assert.That(x.grad!.ToArray<double>(), Is.EqualTo(new[] { 2.0, 4, 6 }));
        (x * 3).sum().backward();
        Assert.That(x.grad!.ToArray<double>(), Is.EqualTo(new[] { 5.0, 7, 9 }), "gradients accumulate, as in PyTorch");
        x.grad = null;
        Assert.That(x.grad, Is.Null);
    }

    [Test]
    public void BackwardWithAGradientOutput()
    {
        using var scope = NewDisposeScope();
        var x = tensor(new[] { 1.0, 2.0 }, requires_grad: true);
        var y = x * x;
        Assert.That(y.is_leaf, Is.False);
        y.backward(tensor(new[] { 10.0, 0.5 }));
        Assert.That(x.grad!.ToArray<double>(), Is.EqualTo(new[] { 20.0, 2.0 }));
        Assert.Throws<TorchException>(() => (x * x).backward(), "a non-scalar output needs a gradient");
    }

    [Test]
    public void RetainGraphAllowsASecondBackward()
    {
        using var scope = NewDisposeScope();
        var x = tensor(new[] { 3.0 }, requires_grad: true);
        var y = (x.exp() * x).sum();
        y.backward(retain_graph: true);
        y.backward();
        Assert.That(x.grad!.item<double>(), Is.EqualTo(2 * (Math.Exp(3) + 3 * Math.Exp(3))).Within(1e-9));
        var z = (x.exp() * x).sum();
        z.backward();
        Assert.Throws<TorchException>(() => z.backward(), "graph freed after backward");
    }

    [Test]
    public void DetachCutsTheGraph()
    {
        using var scope = NewDisposeScope();
        var x = tensor(new[] { 2.0 }, requires_grad: true);
        var y = (x * x.detach()).sum();
        y.backward();
        Assert.That(x.grad!.item<double>(), Is.EqualTo(2.0), "the detached factor is a constant");
        Assert.That(x.detach().requires_grad, Is.False);
        Assert.That(x.detach().shares_storage_with(x));
    }

    [Test]
    public void NoGradScopeIsThreadLocalAndRestores()
    {
        using var scope = NewDisposeScope();
        var x = ones([2], requires_grad: true);
        Assert.That(is_grad_enabled());
        using (no_grad())
        {
            Assert.That(is_grad_enabled(), Is.False);
            Assert.That((x * 2).requires_grad, Is.False);
            using (enable_grad()) Assert.That((x * 2).requires_grad);
            Assert.That(is_grad_enabled(), Is.False);
            bool otherThread = false;
            var t = new Thread(() => otherThread = is_grad_enabled());
            t.Start();
            t.Join();
            Assert.That(otherThread, "grad mode is per thread");
        }
        Assert.That(is_grad_enabled());
        Assert.That((x * 2).requires_grad);
    }

    [Test]
    public void AutogradGradReturnsWithoutAccumulating()
    {
        using var scope = NewDisposeScope();
        var x = tensor(new[] { 1.0, -2.0 }, requires_grad: true);
        var y = tensor(new[] { 3.0 }, requires_grad: true);
        var unused = tensor(new[] { 0.0 }, requires_grad: true);
        var f = (x.pow(3).sum() * y).sum();
        var g = autograd.grad([f], [x, y, unused], create_graph: true, allow_unused: true);
        Assert.That(g[0]!.ToArray<double>(), Is.EqualTo(new[] { 9.0, 36.0 }));
        Assert.That(g[1]!.item<double>(), Is.EqualTo(-7.0));
        Assert.That(g[2], Is.Null);
        Assert.That(x.grad, Is.Null, "autograd.grad does not touch .grad");
        // Second order: d/dx Σ (3x²y) = 6xy.
        var h = autograd.grad([g[0]!.sum()], [x]);
        Assert.That(h[0]!.ToArray<double>(), Is.EqualTo(new[] { 18.0, -36.0 }));
    }

    [Test]
    public void RequiresGradRules()
    {
        using var scope = NewDisposeScope();
        Assert.Throws<TorchException>(() => arange(3).requires_grad_(), "only floating point tensors can require gradients");
        var x = ones([2], requires_grad: true);
        Assert.Throws<TorchException>(() => x.add_(1), "in-place on a leaf that requires grad");
        using (no_grad()) x.add_(1);
        Assert.That(x.ToArray<float>(), Is.All.EqualTo(2f));
        var y = x * 2;
        y.retain_grad();
        y.sum().backward();
        Assert.That(y.grad!.ToArray<float>(), Is.All.EqualTo(1f));
    }

    [Test]
    public void ClipGradNormScalesAllGradientsTogether()
    {
        using var scope = NewDisposeScope();
        var a = new Parameter(zeros(2));
        var b = new Parameter(zeros(1));
        a.grad = tensor(new float[] { 3, 0 });
        b.grad = tensor(new float[] { 4 });
        var total = nn.utils.clip_grad_norm_([a, b], 1.0);
        Assert.That(total, Is.EqualTo(5.0).Within(1e-6));
        Assert.That(a.grad!.ToArray<float>()[0], Is.EqualTo(0.6f).Within(1e-5));
        Assert.That(b.grad!.ToArray<float>()[0], Is.EqualTo(0.8f).Within(1e-5));
        var norm = nn.utils.clip_grad_norm_([a, b], 10.0);
        Assert.That(norm, Is.EqualTo(1.0).Within(1e-5));
        Assert.That(b.grad!.ToArray<float>()[0], Is.EqualTo(0.8f).Within(1e-5), "below the limit nothing changes");
        Assert.That(nn.utils.clip_grad_norm_([a, b], 0.1, double.PositiveInfinity), Is.EqualTo(0.8).Within(1e-5), "inf-norm is the largest entry");
        Assert.That(b.grad!.ToArray<float>()[0], Is.EqualTo(0.1f).Within(1e-5));
        Assert.That(nn.utils.clip_grad_norm_([new Parameter(zeros(1))], 1.0), Is.EqualTo(0.0), "no gradients, norm 0");
        a.Dispose();
        b.Dispose();
    }
}
