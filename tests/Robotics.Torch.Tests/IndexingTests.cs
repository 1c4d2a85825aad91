using NUnit.Framework;
using static Robotics.Torch.torch;

namespace Robotics.Torch.Tests;

public class IndexingTests
{
    private static Tensor Grid() => arange(12).reshape(3, 4);

    [Test]
    public void ViewsReshapeAndPermute()
    {
        using var scope = NewDisposeScope();
        var x = Grid();
        Assert.That(x.view(4, 3).shape, Is.EqualTo(new long[] { 4, 3 }));
        Assert.That(x.reshape(-1).shape, Is.EqualTo(new long[] { 12 }));
        Assert.That(x.view(2, -1).shares_storage_with(x), "view shares memory");
        Assert.That(x.t().ToArray<long>(), Is.EqualTo(new long[] { 0, 4, 8, 1, 5, 9, 2, 6, 10, 3, 7, 11 }));
        Assert.That(x.transpose(0, 1).is_contiguous(), Is.False);
        Assert.That(x.unsqueeze(0).shape, Is.EqualTo(new long[] { 1, 3, 4 }));
        Assert.That(x.unsqueeze(-1).squeeze(-1).shape, Is.EqualTo(new long[] { 3, 4 }));
        Assert.That(zeros(1, 3, 1).squeeze().shape, Is.EqualTo(new long[] { 3 }));
        Assert.That(zeros(2, 3, 4).permute(2, 0, 1).shape, Is.EqualTo(new long[] { 4, 2, 3 }));
        Assert.That(arange(3).reshape(3, 1).expand(3, 2).ToArray<long>(), Is.EqualTo(new long[] { 0, 0, 1, 1, 2, 2 }));
        Assert.That(zeros(2, 3, 4).flatten(1).shape, Is.EqualTo(new long[] { 2, 12 }));
        Assert.That(arange(3).repeat(2).ToArray<long>(), Is.EqualTo(new long[] { 0, 1, 2, 0, 1, 2 }));
        Assert.That(arange(4).flip(0).ToArray<long>(), Is.EqualTo(new long[] { 3, 2, 1, 0 }));
        Assert.Throws<TorchException>(() => x.t().view(12), "view needs compatible strides, as in PyTorch");
    }

    [Test]
    public void NarrowSliceSelect()
    {
        using var scope = NewDisposeScope();
        var x = Grid();
        Assert.That(x.narrow(1, 1, 2).ToArray<long>(), Is.EqualTo(new long[] { 1, 2, 5, 6, 9, 10 }));
        Assert.That(x.slice(1, 0, 4, 2).ToArray<long>(), Is.EqualTo(new long[] { 0, 2, 4, 6, 8, 10 }));
        Assert.That(x.select(0, -1).ToArray<long>(), Is.EqualTo(new long[] { 8, 9, 10, 11 }));
        Assert.That(x[1].ToArray<long>(), Is.EqualTo(new long[] { 4, 5, 6, 7 }));
    }

    [Test]
    public void PythonStyleIndexers()
    {
        using var scope = NewDisposeScope();
        var x = Grid();
        Assert.That(x[1, 2].item<long>(), Is.EqualTo(6));
        Assert.That(x[.., 0].ToArray<long>(), Is.EqualTo(new long[] { 0, 4, 8 }), "x[:, 0]");
        Assert.That(x[1.., ..2].ToArray<long>(), Is.EqualTo(new long[] { 4, 5, 8, 9 }), "x[1:, :2]");
        Assert.That(x[^1].ToArray<long>(), Is.EqualTo(new long[] { 8, 9, 10, 11 }), "x[-1]");
        Assert.That(x[.., ^2..].ToArray<long>(), Is.EqualTo(new long[] { 2, 3, 6, 7, 10, 11 }), "x[:, -2:]");
        Assert.That(x[.., ..^1].shape, Is.EqualTo(new long[] { 3, 3 }), "x[:, :-1]");
        Assert.That(x[TensorIndex.Slice(null, null, 2)].ToArray<long>(), Is.EqualTo(new long[] { 0, 1, 2, 3, 8, 9, 10, 11 }), "x[::2]");
        Assert.That(x[TensorIndex.None].shape, Is.EqualTo(new long[] { 1, 3, 4 }), "x[None]");
        Assert.That(x[TensorIndex.Ellipsis, 1].ToArray<long>(), Is.EqualTo(new long[] { 1, 5, 9 }), "x[..., 1]");
        Assert.That(x[tensor(new long[] { 2, 0 })].ToArray<long>(), Is.EqualTo(new long[] { 8, 9, 10, 11, 0, 1, 2, 3 }), "x[[2, 0]]");
        Assert.That(x[x > 9].ToArray<long>(), Is.EqualTo(new long[] { 10, 11 }), "x[mask]");
    }

    [Test]
    public void IndexAssignmentWritesInPlace()
    {
        using var scope = NewDisposeScope();
        var x = zeros(3, 4);
        x[1] = ones(4);
        x[.., 0] = full([3], 5f);
        x.index_put_(9f, 2, 3);
        x[x > 8] = full([1], 7f);
        Assert.That(x.ToArray<float>(), Is.EqualTo(new float[] { 5, 0, 0, 0, 5, 1, 1, 1, 5, 0, 0, 7 }));
    }

    [Test]
    public void GatherScatterMasks()
    {
        using var scope = NewDisposeScope();
        var x = Grid();
        var idx = tensor(new long[,] { { 3, 0 }, { 1, 1 }, { 0, 2 } });
        Assert.That(x.gather(1, idx).ToArray<long>(), Is.EqualTo(new long[] { 3, 0, 5, 5, 8, 10 }));
        Assert.That(x.index_select(1, tensor(new long[] { 3, 1 })).ToArray<long>(), Is.EqualTo(new long[] { 3, 1, 7, 5, 11, 9 }));
        var s = zeros([2, 3], int64).scatter(1, tensor(new long[,] { { 2 }, { 0 } }), tensor(new long[,] { { 7 }, { 8 } }));
        Assert.That(s.ToArray<long>(), Is.EqualTo(new long[] { 0, 0, 7, 8, 0, 0 }));
        var sa = zeros(3).scatter_add(0, tensor(new long[] { 0, 0, 2 }), ones(3));
        Assert.That(sa.ToArray<float>(), Is.EqualTo(new float[] { 2, 0, 1 }));
        Assert.That(x.masked_fill((x % 2).eq(0), -1).ToArray<long>(), Is.EqualTo(new long[] { -1, 1, -1, 3, -1, 5, -1, 7, -1, 9, -1, 11 }));
        Assert.That(x.masked_select(x > 8).ToArray<long>(), Is.EqualTo(new long[] { 9, 10, 11 }));
        Assert.That(where(x > 5, x, zeros_like(x)).sum().item<long>(), Is.EqualTo(6 + 7 + 8 + 9 + 10 + 11));
        Assert.That(where(x > 5, 1.0, x).dtype, Is.EqualTo(ScalarType.Float32));
        Assert.That((x > 9).nonzero().ToArray<long>(), Is.EqualTo(new long[] { 2, 2, 2, 3 }));
    }

    [Test]
    public void JoinsAndSplits()
    {
        using var scope = NewDisposeScope();
        var a = arange(6).reshape(2, 3);
        var b = arange(6, 12).reshape(2, 3);
        Assert.That(cat([a, b], 0).shape, Is.EqualTo(new long[] { 4, 3 }));
        Assert.That(cat([a, b], 1).ToArray<long>(), Is.EqualTo(new long[] { 0, 1, 2, 6, 7, 8, 3, 4, 5, 9, 10, 11 }));
        Assert.That(stack([a, b]).shape, Is.EqualTo(new long[] { 2, 2, 3 }));
        Assert.That(stack([a, b], -1).shape, Is.EqualTo(new long[] { 2, 3, 2 }));
        var chunks = arange(10).chunk(3);
        Assert.That(chunks.Select(c => c.numel()), Is.EqualTo(new long[] { 4, 4, 2 }));
        Assert.That(arange(10).split(4).Select(c => c.numel()), Is.EqualTo(new long[] { 4, 4, 2 }));
        Assert.That(arange(10).split([3, 7]).Select(c => c.numel()), Is.EqualTo(new long[] { 3, 7 }));
        var rows = a.unbind(0);
        Assert.That(rows, Has.Length.EqualTo(2));
        Assert.That(rows[1].ToArray<long>(), Is.EqualTo(new long[] { 3, 4, 5 }));
        Assert.That(arange(4).chunk(8), Has.Length.EqualTo(4), "chunk never makes empty pieces");
        Assert.Throws<TorchException>(() => cat([a, arange(4).reshape(2, 2)], 0));
    }
}
