using NUnit.Framework;
using static Robotics.Torch.torch;
using F = Robotics.Torch.torch.nn.functional;

namespace Robotics.Torch.Tests;

/// <summary>Run where libtorch sees a CUDA device (a CUDA libtorch via LIBTORCH_DIR); skipped elsewhere.</summary>
public class CudaTests
{
    [SetUp]
    public void RequireCuda()
    {
        if (!cuda.is_available()) Assert.Ignore("no CUDA device visible to libtorch");
    }

    [Test]
    public void TensorsMoveToAndFromTheDevice()
    {
        using var scope = NewDisposeScope();
        var x = arange(6.0).reshape(2, 3).to(CUDA);
        Assert.That(x.is_cuda);
        Assert.That(x.device.type, Is.EqualTo(DeviceType.CUDA));
        Assert.That((x * 2).cpu().ToArray<float>(), Is.EqualTo(new float[] { 0, 2, 4, 6, 8, 10 }));
        Assert.That(x.ToArray<float>(), Is.EqualTo(new float[] { 0, 1, 2, 3, 4, 5 }), "ToArray copies from the device");
        Assert.That(zeros([3], device: CUDA).is_cuda);
        Assert.That(x.matmul(x.t()).cpu().allclose(arange(6.0).reshape(2, 3).matmul(arange(6.0).reshape(3, 2))));
        Assert.Throws<TorchException>(() => _ = x + ones(2, 3), "mixing devices is a libtorch error");
    }

    [Test]
    public void ModulesAndOptimizersRunOnTheDevice()
    {
        using var scope = NewDisposeScope();
        manual_seed(0);
        using var net = nn.MLP([4, 32, 1]);
        net.to(CUDA);
        Assert.That(net.parameters().All(p => p.is_cuda));
        using var opt = optim.Adam(net.parameters(), 1e-2);
        var x = randn([64, 4], device: CUDA);
        var y = x.sum(1, keepdim: true);
        double first = 0, last = 0;
        for (int i = 0; i < 100; i++)
        {
            using var s = NewDisposeScope();
            opt.zero_grad();
            var loss = F.mse_loss(net.call(x), y);
            loss.backward();
            opt.step();
            if (i == 0) first = loss.item<double>();
            last = loss.item<double>();
        }
        Assert.That(last, Is.LessThan(first / 5));
        net.to(CPU);
        Assert.That(net.parameters().All(p => !p.is_cuda));
    }
}
