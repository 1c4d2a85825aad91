using System.Runtime.CompilerServices;
using NUnit.Framework;
using static Robotics.Torch.torch;

namespace Robotics.Torch.Tests;

public class CreationTests
{
    [Test]
    public void FilledFactoriesHaveShapeDtypeAndValues()
    {
        using var scope = NewDisposeScope();
        var z = zeros(2, 3);
        Assert.That(z.shape, Is.EqualTo(new long[] { 2, 3 }));
        Assert.That(z.dtype, Is.EqualTo(ScalarType.Float32));
        Assert.That(z.device, Is.EqualTo(CPU));
        Assert.That(z.ToArray<float>(), Is.All.EqualTo(0f));
        Assert.That(ones([4], float64).ToArray<double>(), Is.All.EqualTo(1.0));
        Assert.That(full([2, 2], 7L).dtype, Is.EqualTo(ScalarType.Int64), "an integer fill value infers int64, as PyTorch");
        Assert.That(full([2, 2], 0.5).ToArray<float>(), Is.All.EqualTo(0.5f));
        Assert.That(full([3], true).ToArray<bool>(), Is.All.True);
        Assert.That(empty([5], uint8).dtype, Is.EqualTo(ScalarType.UInt8));
        Assert.That(zeros([0, 3]).numel(), Is.EqualTo(0));
    }

    [Test]
    public void RangesMatchPyTorch()
    {
        using var scope = NewDisposeScope();
        var a = arange(5);
        Assert.That(a.dtype, Is.EqualTo(ScalarType.Int64));
        Assert.That(a.ToArray<long>(), Is.EqualTo(new long[] { 0, 1, 2, 3, 4 }));
        var b = arange(1.0, 2.0, 0.25);
        Assert.That(b.dtype, Is.EqualTo(ScalarType.Float32));
        Assert.That(b.ToArray<float>(), Is.EqualTo(new[] { 1f, 1.25f, 1.5f, 1.75f }));
        Assert.That(linspace(0, 1, 5, float64).ToArray<double>(), Is.EqualTo(new[] { 0, 0.25, 0.5, 0.75, 1.0 }));
        Assert.That(eye(3).ToArray<float>(), Is.EqualTo(new float[] { 1, 0, 0, 0, 1, 0, 0, 0, 1 }));
        Assert.That(eye(2, 3).shape, Is.EqualTo(new long[] { 2, 3 }));
    }

    [Test]
    public void RandomFactoriesHaveTheRightRangeAndMoments()
    {
        using var scope = NewDisposeScope();
        manual_seed(3);
        var u = rand(100_000).ToArray<float>();
        Assert.That(u.Min(), Is.GreaterThanOrEqualTo(0f));
        Assert.That(u.Max(), Is.LessThan(1f));
        Assert.That(u.Average(), Is.EqualTo(0.5).Within(0.01));
        var g = randn([100_000], float64).ToArray<double>();
        Assert.That(g.Average(), Is.EqualTo(0).Within(0.02));
        Assert.That(g.Average(x => x * x), Is.EqualTo(1).Within(0.02));
        var r = randint(3, 7, [10_000]).ToArray<long>();
        Assert.That(r.Distinct().Order(), Is.EqualTo(new long[] { 3, 4, 5, 6 }));
        Assert.That(randn_like(zeros([2, 5], float64)).dtype, Is.EqualTo(ScalarType.Float64));
    }

    [Test]
    public void LikeFactoriesFollowTheSource()
    {
        using var scope = NewDisposeScope();
        var src = zeros([2, 3], float64);
        Assert.That(ones_like(src).ToArray<double>(), Is.All.EqualTo(1.0));
        Assert.That(full_like(src, 2).ToArray<double>(), Is.All.EqualTo(2.0));
        Assert.That(zeros_like(src, int64).dtype, Is.EqualTo(ScalarType.Int64));
        Assert.That(rand_like(src).shape, Is.EqualTo(new long[] { 2, 3 }));
        Assert.That(empty_like(src).shape, Is.EqualTo(new long[] { 2, 3 }));
    }

    [Test]
    public void TensorCopiesItsSource()
    {
        using var scope = NewDisposeScope();
        var data = new float[] { 1, 2, 3, 4, 5, 6 };
        var t = tensor(data.AsSpan(), [2, 3]);
        data[0] = 100;
        Assert.That(t.ToArray<float>()[0], Is.EqualTo(1f), "torch.tensor copies");
        Assert.That(t.shape, Is.EqualTo(new long[] { 2, 3 }));
        var m = tensor(new double[,] { { 1, 2 }, { 3, 4 }, { 5, 6 } });
        Assert.That(m.shape, Is.EqualTo(new long[] { 3, 2 }));
        Assert.That(m[2].ToArray<double>(), Is.EqualTo(new[] { 5.0, 6.0 }));
        Assert.That(tensor(new long[] { 1, 2 }, dtype: float32).dtype, Is.EqualTo(ScalarType.Float32));
        Assert.That(tensor(2.5).dim(), Is.EqualTo(0));
        Assert.That(tensor(2.5).item<double>(), Is.EqualTo(2.5));
        Assert.That(tensor(new bool[] { true, false }).ToArray<bool>(), Is.EqualTo(new[] { true, false }));
        Assert.That(tensor(new byte[] { 1, 255 }).dtype, Is.EqualTo(ScalarType.UInt8));
        Assert.Throws<TorchException>(() => tensor(data.AsSpan(), [4, 2]));
    }

    [Test]
    public void FromArraySharesMemoryAndKeepsTheArrayAlive()
    {
        var weak = UseSharedArray();
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        Assert.That(weak.IsAlive, Is.False, "the pin is released once libtorch frees the storage");
    }

    /// <summary>In its own frame so no stack slot keeps the array reachable afterwards.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static WeakReference UseSharedArray()
    {
        var data = new float[] { 1, 2, 3, 4 };
        using var scope = NewDisposeScope();
        var t = from_array(data, [2, 2]);
        var view = t.transpose(0, 1);
        data[3] = 40;
        Assert.That(t.ToArray<float>()[3], Is.EqualTo(40f), "array writes show in the tensor");
        t.mul_(2);
        Assert.That(data, Is.EqualTo(new float[] { 2, 4, 6, 80 }), "tensor writes show in the array");
        Assert.That(view.shares_storage_with(t));
        var m = from_array(new long[,] { { 1, 2, 3 }, { 4, 5, 6 } });
        Assert.That(m.shape, Is.EqualTo(new long[] { 2, 3 }));
        Assert.That(m.sum().item<long>(), Is.EqualTo(21));
        return new WeakReference(data);
    }

    [Test]
    public void DataRoundTripsThroughEveryDtype()
    {
        using var scope = NewDisposeScope();
        Assert.That(tensor(new[] { 1.5, -2 }).ToArray<double>(), Is.EqualTo(new[] { 1.5, -2 }));
        Assert.That(tensor(new[] { 1.5f, -2f }).ToArray<float>(), Is.EqualTo(new[] { 1.5f, -2f }));
        Assert.That(tensor(new long[] { long.MaxValue, -1 }).ToArray<long>(), Is.EqualTo(new[] { long.MaxValue, -1 }));
        Assert.That(tensor(new byte[] { 0, 200 }).ToArray<byte>(), Is.EqualTo(new byte[] { 0, 200 }));
        Assert.That(tensor(new[] { 3, -4 }).ToArray<int>(), Is.EqualTo(new[] { 3, -4 }));
        Assert.That(arange(6).to(float64).reshape(2, 3).t().ToArray<double>(), Is.EqualTo(new double[] { 0, 3, 1, 4, 2, 5 }), "non-contiguous views copy out in logical order");
        Assert.That(tensor(new[] { 1f, 2f }).@double().dtype, Is.EqualTo(ScalarType.Float64));
        Assert.That(tensor(new[] { 0f, 2f }).@bool().ToArray<bool>(), Is.EqualTo(new[] { false, true }));
        Assert.That(tensor(3.7f).item<long>(), Is.EqualTo(3), "item converts like Python's int(t)");
    }

    [Test]
    public void SpanViewWritesThrough()
    {
        using var scope = NewDisposeScope();
        var t = zeros(3);
        var span = t.data<float>();
        span[1] = 5;
        Assert.That(t.ToArray<float>(), Is.EqualTo(new float[] { 0, 5, 0 }));
        t.copy_from<float>([7, 8, 9]);
        Assert.That(t.data<float>().ToArray(), Is.EqualTo(new float[] { 7, 8, 9 }));
        Assert.Throws<TorchException>(() => t.data<double>());
        Assert.Throws<TorchException>(() => zeros(2, 3).t().data<float>(), "non-contiguous");
    }

    [Test]
    public void ToStringPrintsValuesLikePyTorch()
    {
        using var scope = NewDisposeScope();
        Assert.That(arange(4).reshape(2, 2).ToString(), Is.EqualTo("tensor([[0, 1], [2, 3]], dtype=int64)"));
        Assert.That(tensor(new[] { 0.5f, -2f }, requires_grad: true).ToString(), Is.EqualTo("tensor([0.5, -2], dtype=float32, requires_grad=True)"));
        Assert.That(tensor(true).ToString(), Is.EqualTo("tensor(True, dtype=bool)"));
        Assert.That(zeros(10, 10).ToString(), Is.EqualTo("tensor(shape=[10, 10], dtype=float32)"));
    }
}
