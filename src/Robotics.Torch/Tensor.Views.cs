using Robotics.Torch.Native;

namespace Robotics.Torch;

// Shape changes, views, joins and splits, gather/scatter and masks.
public unsafe partial class Tensor
{
    public Tensor reshape(params ReadOnlySpan<long> shape)
    {
        fixed (long* s = shape) return Wrap(NativeMethods.Tensor_reshape(handle, s, shape.Length));
    }

    /// <summary>A view with a new shape (fails, as in PyTorch, when the strides don't allow it; reshape copies instead).</summary>
    public Tensor view(params ReadOnlySpan<long> shape)
    {
        fixed (long* s = shape) return Wrap(NativeMethods.Tensor_view(handle, s, shape.Length));
    }

    public Tensor view_as(Tensor other) => view(other.shape);
    public Tensor reshape_as(Tensor other) => reshape(other.shape);
    public Tensor flatten(long start_dim = 0, long end_dim = -1) => Wrap(NativeMethods.Tensor_flatten(handle, start_dim, end_dim));

    public Tensor unflatten(long dim, ReadOnlySpan<long> sizes)
    {
        fixed (long* s = sizes) return Wrap(NativeMethods.Tensor_unflatten(handle, dim, s, sizes.Length));
    }

    /// <summary>Elements [start, start + length) along <paramref name="dim"/> (a view).</summary>
    public Tensor narrow(long dim, long start, long length) => Wrap(NativeMethods.Tensor_narrow(handle, dim, start, length));

    /// <summary>Python's <c>x[..., start:end:step]</c> along one dimension (a view; end is clamped).</summary>
    public Tensor slice(long dim, long start, long end, long step = 1) => Wrap(NativeMethods.Tensor_slice(handle, dim, start, end, step));

    /// <summary>Python's <c>x[..., index]</c> along one dimension: drops that dimension.</summary>
    public Tensor select(long dim, long index) => Wrap(NativeMethods.Tensor_select(handle, dim, index));

    public Tensor squeeze() => Wrap(NativeMethods.Tensor_squeeze(handle));
    public Tensor squeeze(long dim) => Wrap(NativeMethods.Tensor_squeeze_dim(handle, dim));
    public Tensor unsqueeze(long dim) => Wrap(NativeMethods.Tensor_unsqueeze(handle, dim));
    public Tensor transpose(long dim0, long dim1) => Wrap(NativeMethods.Tensor_transpose(handle, dim0, dim1));
    public Tensor t() => Wrap(NativeMethods.Tensor_t(handle));
    /// <summary>Matrix transpose of the last two dimensions (Python's <c>x.mT</c>).</summary>
    public Tensor mT => transpose(-2, -1);

    public Tensor permute(params ReadOnlySpan<long> dims)
    {
        fixed (long* d = dims) return Wrap(NativeMethods.Tensor_permute(handle, d, dims.Length));
    }

    /// <summary>Broadcasts singleton dimensions to <paramref name="shape"/> without copying (-1 keeps a size).</summary>
    public Tensor expand(params ReadOnlySpan<long> shape)
    {
        fixed (long* s = shape) return Wrap(NativeMethods.Tensor_expand(handle, s, shape.Length));
    }

    public Tensor expand_as(Tensor other) => expand(other.shape);

    public Tensor broadcast_to(params ReadOnlySpan<long> shape)
    {
        fixed (long* s = shape) return Wrap(NativeMethods.Tensor_broadcast_to(handle, s, shape.Length));
    }

    /// <summary>Tiles the tensor (copies), as PyTorch's <c>repeat</c>.</summary>
    public Tensor repeat(params ReadOnlySpan<long> repeats)
    {
        fixed (long* r = repeats) return Wrap(NativeMethods.Tensor_repeat(handle, r, repeats.Length));
    }

    public Tensor repeat_interleave(long repeats, long dim) => Wrap(NativeMethods.Tensor_repeat_interleave(handle, repeats, dim));

    public Tensor flip(params ReadOnlySpan<long> dims)
    {
        fixed (long* d = dims) return Wrap(NativeMethods.Tensor_flip(handle, d, dims.Length));
    }

    public Tensor roll(ReadOnlySpan<long> shifts, ReadOnlySpan<long> dims)
    {
        if (shifts.Length != dims.Length) throw new ArgumentException("roll needs one shift per dimension");
        fixed (long* s = shifts)
        fixed (long* d = dims)
            return Wrap(NativeMethods.Tensor_roll(handle, s, d, dims.Length));
    }

    public Tensor roll(long shift, long dim) => roll([shift], [dim]);
    public Tensor movedim(long source, long destination) => Wrap(NativeMethods.Tensor_movedim(handle, source, destination));
    public Tensor tril(long diagonal = 0) => Wrap(NativeMethods.Tensor_tril(handle, diagonal));
    public Tensor triu(long diagonal = 0) => Wrap(NativeMethods.Tensor_triu(handle, diagonal));
    public Tensor diag(long diagonal = 0) => Wrap(NativeMethods.Tensor_diag(handle, diagonal));
    /// <summary>Indices of the non-zero elements, one row per element ([n, dim] int64).</summary>
    public Tensor nonzero() => Wrap(NativeMethods.Tensor_nonzero(handle));

    // ---- gather / scatter / masks ----
    public Tensor index_select(long dim, Tensor index) => Wrap(NativeMethods.Tensor_index_select(handle, dim, index.handle));
    public Tensor gather(long dim, Tensor index) => Wrap(NativeMethods.Tensor_gather(handle, dim, index.handle));
    public Tensor scatter(long dim, Tensor index, Tensor src) => Wrap(NativeMethods.Tensor_scatter(handle, dim, index.handle, src.handle));
    public Tensor scatter(long dim, Tensor index, Scalar value) => Wrap(NativeMethods.Tensor_scatter_value(handle, dim, index.handle, value));
    public Tensor scatter_add(long dim, Tensor index, Tensor src) => Wrap(NativeMethods.Tensor_scatter_add(handle, dim, index.handle, src.handle));
    public Tensor index_add(long dim, Tensor index, Tensor source) => Wrap(NativeMethods.Tensor_index_add(handle, dim, index.handle, source.handle));
    public Tensor masked_fill(Tensor mask, Scalar value) => Wrap(NativeMethods.Tensor_masked_fill(handle, mask.handle, value));
    public Tensor masked_fill(Tensor mask, Tensor value) => Wrap(NativeMethods.Tensor_masked_fill_tensor(handle, mask.handle, value.handle));
    public Tensor masked_fill_(Tensor mask, Scalar value) => InPlace(NativeMethods.Tensor_masked_fill_(handle, mask.handle, value));
    public Tensor masked_select(Tensor mask) => Wrap(NativeMethods.Tensor_masked_select(handle, mask.handle));

    // ---- splits ----

    /// <summary>At most <paramref name="chunks"/> pieces of equal size (the last may be smaller), as views.</summary>
    public Tensor[] chunk(long chunks, long dim = 0)
    {
        if (chunks <= 0) throw new TorchException($"chunk expects `chunks` to be greater than 0, got: {chunks}");
        return Pieces(chunks, (p, cap) => NativeMethods.Tensor_chunk(handle, chunks, dim, p, cap));
    }

    /// <summary>Pieces of <paramref name="split_size"/> along <paramref name="dim"/> (the last may be smaller).</summary>
    public Tensor[] split(long split_size, long dim = 0)
    {
        if (split_size <= 0) throw new TorchException($"split expects split_size be positive, but got split_size={split_size}");
        var n = size(dim);
        return Pieces(Math.Max(1, (n + split_size - 1) / split_size), (p, cap) => NativeMethods.Tensor_split(handle, split_size, dim, p, cap));
    }

    /// <summary>Pieces with the given sizes along <paramref name="dim"/>.</summary>
    public Tensor[] split(ReadOnlySpan<long> sizes, long dim = 0)
    {
        fixed (long* s = sizes)
        {
            var sp = s;
            var count = sizes.Length;
            return Pieces(count, (p, cap) => NativeMethods.Tensor_split_sizes(handle, sp, count, dim, p, cap));
        }
    }

    /// <summary>Every slice along <paramref name="dim"/>, that dimension removed.</summary>
    public Tensor[] unbind(long dim = 0) => Pieces(size(dim), (p, cap) => NativeMethods.Tensor_unbind(handle, dim, p, cap));

    private delegate long PieceWriter(IntPtr* output, long capacity);

    private static Tensor[] Pieces(long capacity, PieceWriter write)
    {
        var buf = new IntPtr[Math.Max(1, capacity)];
        long n;
        fixed (IntPtr* p = buf) n = write(p, buf.Length);
        if (n < 0) throw TorchException.FromLastError();
        var result = new Tensor[n];
        for (int k = 0; k < n; k++) result[k] = Wrap(buf[k]);
        return result;
    }
}
