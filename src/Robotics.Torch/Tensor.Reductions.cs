using Robotics.Torch.Native;

namespace Robotics.Torch;

// Reductions. Dimension lists are spans (`x.sum([0, 1])`), single dimensions plain longs;
// negative dimensions count from the end. No overload takes a ScalarType (or a correction)
// first: a literal 0 converts to any enum in C#, and `x.sum(0)` must mean "over dim 0".
public unsafe partial class Tensor
{
    private static int Code(ScalarType? dtype) => dtype is null ? -1 : (int)dtype.Value;

    public Tensor sum() => Wrap(NativeMethods.Tensor_sum(handle, -1));
    public Tensor sum(long dim, bool keepdim = false, ScalarType? dtype = null) => sum([dim], keepdim, dtype);
    public Tensor sum(ReadOnlySpan<long> dims, bool keepdim = false, ScalarType? dtype = null)
    {
        fixed (long* d = dims) return Wrap(NativeMethods.Tensor_sum_dim(handle, d, dims.Length, B(keepdim), Code(dtype)));
    }

    public Tensor mean() => Wrap(NativeMethods.Tensor_mean(handle, -1));
    public Tensor mean(long dim, bool keepdim = false, ScalarType? dtype = null) => mean([dim], keepdim, dtype);
    public Tensor mean(ReadOnlySpan<long> dims, bool keepdim = false, ScalarType? dtype = null)
    {
        fixed (long* d = dims) return Wrap(NativeMethods.Tensor_mean_dim(handle, d, dims.Length, B(keepdim), Code(dtype)));
    }

    public Tensor prod() => Wrap(NativeMethods.Tensor_prod(handle, -1));
    public Tensor prod(long dim, bool keepdim = false, ScalarType? dtype = null) => Wrap(NativeMethods.Tensor_prod_dim(handle, dim, B(keepdim), Code(dtype)));

    /// <summary>The largest element (0-dimensional).</summary>
    public Tensor max() => Wrap(NativeMethods.Tensor_max(handle));
    public Tensor min() => Wrap(NativeMethods.Tensor_min(handle));

    /// <summary>Largest along <paramref name="dim"/>: values and their int64 indices.</summary>
    public (Tensor values, Tensor indices) max(long dim, bool keepdim = false)
    {
        TorchException.Check(NativeMethods.Tensor_max_dim(handle, dim, B(keepdim), out var v, out var i));
        return (Wrap(v), Wrap(i));
    }

    public (Tensor values, Tensor indices) min(long dim, bool keepdim = false)
    {
        TorchException.Check(NativeMethods.Tensor_min_dim(handle, dim, B(keepdim), out var v, out var i));
        return (Wrap(v), Wrap(i));
    }

    /// <summary>Elementwise maximum with another tensor (PyTorch's <c>torch.max(a, b)</c>).</summary>
    public Tensor max(Tensor other) => maximum(other);
    public Tensor min(Tensor other) => minimum(other);

    public Tensor amax(ReadOnlySpan<long> dims, bool keepdim = false)
    {
        fixed (long* d = dims) return Wrap(NativeMethods.Tensor_amax(handle, d, dims.Length, B(keepdim)));
    }

    public Tensor amin(ReadOnlySpan<long> dims, bool keepdim = false)
    {
        fixed (long* d = dims) return Wrap(NativeMethods.Tensor_amin(handle, d, dims.Length, B(keepdim)));
    }

    /// <summary>Index of the largest element: of the flattened tensor when <paramref name="dim"/> is null.</summary>
    public Tensor argmax(long? dim = null, bool keepdim = false) =>
        Wrap(NativeMethods.Tensor_argmax(handle, B(dim is not null), dim ?? 0, B(keepdim)));

    public Tensor argmin(long? dim = null, bool keepdim = false) =>
        Wrap(NativeMethods.Tensor_argmin(handle, B(dim is not null), dim ?? 0, B(keepdim)));

    public Tensor logsumexp(long dim, bool keepdim = false) => logsumexp([dim], keepdim);
    public Tensor logsumexp(ReadOnlySpan<long> dims, bool keepdim = false)
    {
        fixed (long* d = dims) return Wrap(NativeMethods.Tensor_logsumexp(handle, d, dims.Length, B(keepdim)));
    }

    /// <summary>Standard deviation of all elements; unbiased (Bessel's correction) by default, as PyTorch.</summary>
    public Tensor std(bool unbiased = true) => Wrap(NativeMethods.Tensor_std(handle, null, -1, unbiased ? 1 : 0, 0));
    public Tensor std(long dim, bool keepdim = false, long correction = 1) => std([dim], keepdim, correction);
    public Tensor std(ReadOnlySpan<long> dims, bool keepdim = false, long correction = 1)
    {
        fixed (long* d = dims) return Wrap(NativeMethods.Tensor_std(handle, d, dims.Length, correction, B(keepdim)));
    }

    public Tensor var(bool unbiased = true) => Wrap(NativeMethods.Tensor_var(handle, null, -1, unbiased ? 1 : 0, 0));
    public Tensor var(long dim, bool keepdim = false, long correction = 1) => var([dim], keepdim, correction);
    public Tensor var(ReadOnlySpan<long> dims, bool keepdim = false, long correction = 1)
    {
        fixed (long* d = dims) return Wrap(NativeMethods.Tensor_var(handle, d, dims.Length, correction, B(keepdim)));
    }

    /// <summary>The p-norm of all elements (p = 2: Euclidean; double.PositiveInfinity: max-abs).</summary>
    public Tensor norm(double p = 2) => Wrap(NativeMethods.Tensor_norm(handle, p, null, -1, 0));
    public Tensor norm(double p, long dim, bool keepdim = false) => norm(p, [dim], keepdim);
    public Tensor norm(double p, ReadOnlySpan<long> dims, bool keepdim = false)
    {
        fixed (long* d = dims) return Wrap(NativeMethods.Tensor_norm(handle, p, d, dims.Length, B(keepdim)));
    }

    public Tensor cumsum(long dim) => Wrap(NativeMethods.Tensor_cumsum(handle, dim));
    public Tensor cumprod(long dim) => Wrap(NativeMethods.Tensor_cumprod(handle, dim));

    public Tensor all() => Wrap(NativeMethods.Tensor_all(handle));
    public Tensor any() => Wrap(NativeMethods.Tensor_any(handle));
    public Tensor all(long dim, bool keepdim = false) => Wrap(NativeMethods.Tensor_all_dim(handle, dim, B(keepdim)));
    public Tensor any(long dim, bool keepdim = false) => Wrap(NativeMethods.Tensor_any_dim(handle, dim, B(keepdim)));

    public (Tensor values, Tensor indices) sort(long dim = -1, bool descending = false)
    {
        TorchException.Check(NativeMethods.Tensor_sort(handle, dim, B(descending), out var v, out var i));
        return (Wrap(v), Wrap(i));
    }

    public (Tensor values, Tensor indices) topk(long k, long dim = -1, bool largest = true, bool sorted = true)
    {
        TorchException.Check(NativeMethods.Tensor_topk(handle, k, dim, B(largest), B(sorted), out var v, out var i));
        return (Wrap(v), Wrap(i));
    }

    public Tensor argsort(long dim = -1, bool descending = false) => Wrap(NativeMethods.Tensor_argsort(handle, dim, B(descending)));
}
