using NUnit.Framework;
using static Robotics.Torch.torch;
using F = Robotics.Torch.torch.nn.functional;

namespace Robotics.Torch.Tests;

/// <summary>libtorch failures arrive as one managed exception type carrying libtorch's own message.</summary>
public class ErrorTests
{
    private static string Message(Action code) => Assert.Throws<TorchException>(code)!.Message;

    [Test]
    public void ShapeMismatches()
    {
        using var scope = NewDisposeScope();
        Assert.That(Message(() => ones(2, 3).matmul(ones(2, 3))), Does.Contain("mat1 and mat2 shapes cannot be multiplied (2x3 and 2x3)"));
        Assert.That(Message(() => _ = ones(3) + ones(4)), Does.Contain("The size of tensor a (3) must match the size of tensor b (4)"));
        Assert.That(Message(() => ones(6).view(4, 2)), Does.Contain("shape '[4, 2]' is invalid for input of size 6"));
        Assert.That(Message(() => cat([ones(2, 3), ones(2, 4)])), Does.Contain("Sizes of tensors must match"));
        Assert.That(Message(() => F.linear(ones(5, 3), ones(4, 2))), Does.Contain("cannot be multiplied"));
        Assert.That(Message(() => F.mse_loss(ones(3), ones(2))), Does.Contain("must match"));
    }

    [Test]
    public void DtypeAndIndexErrors()
    {
        using var scope = NewDisposeScope();
        Assert.That(Message(() => ones(3).index_select(0, ones(2))), Does.Contain("index_select(): Expected dtype int32 or int64 for index"));
        Assert.That(Message(() => ones(3)[5].sum()), Does.Contain("index 5 out of range for tensor of size [3] at dimension 0"));
        Assert.That(Message(() => ones(3).ToArray<double>()), Does.Contain("float64 tensor, but this one is float32"));
        Assert.That(Message(() => ones(2).item<float>()), Does.Contain("a Tensor with 2 elements cannot be converted to Scalar"));
        Assert.That(Message(() => arange(3).requires_grad_()), Does.Contain("Only Tensors of floating point").IgnoreCase);
        Assert.That(Message(() => F.cross_entropy(ones(2, 3), ones(2, 3).@long())), Is.Not.Empty);
    }

    [Test]
    public void DeviceErrors()
    {
        if (cuda.is_available()) Assert.Ignore("this checks the CPU-only build's message");
        using var scope = NewDisposeScope();
        Assert.That(Message(() => ones(2).to(CUDA)), Does.Contain("CUDA").IgnoreCase);
        Assert.That(Message(() => zeros([2], device: CUDA)), Does.Contain("CUDA").IgnoreCase);
    }

    [Test]
    public void MessagesCarryNoCppBacktrace()
    {
        using var scope = NewDisposeScope();
        var m = Message(() => ones(2, 3).matmul(ones(2, 3)));
        Assert.That(m, Does.Not.Contain("Exception raised from"));
        Assert.That(m, Does.Not.Contain("frame #"));
    }

    [Test]
    public void ErrorsStayOnTheirThread()
    {
        using var scope = NewDisposeScope();
        string? other = null;
        var t = new Thread(() => other = Assert.Throws<TorchException>(() => ones(2).view(3))!.Message);
        t.Start();
        var mine = Message(() => ones(2, 3).matmul(ones(2, 3)));
        t.Join();
        Assert.That(mine, Does.Contain("mat1 and mat2"));
        Assert.That(other, Does.Contain("invalid for input of size 2"));
    }

    [Test]
    public void DisposedTensorsFailCleanly()
    {
        var t = ones(3);
        t.Dispose();
        Assert.That(t.IsDisposed);
        Assert.Throws<ObjectDisposedException>(() => t.sum());
        Assert.Throws<ObjectDisposedException>(() => cat([t, t]));
        Assert.DoesNotThrow(() => t.Dispose(), "disposing twice is harmless");
    }

    [Test]
    public void BadManagedArgumentsAreCaughtBeforeNative()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => set_num_threads(0));
        Assert.Throws<ArgumentException>(() => device("tpu"));
        Assert.Throws<ArgumentOutOfRangeException>(() => F.dropout(ones(2), 1.5));
        Assert.Throws<ArgumentException>(() => ones(2).gelu("fast"));
        Assert.Throws<ArgumentException>(() => nn.MultiheadAttention(10, 3));
    }
}
