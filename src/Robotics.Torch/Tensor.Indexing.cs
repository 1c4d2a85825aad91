using Robotics.Torch.Native;

namespace Robotics.Torch;

// Python-style [] indexing. Basic indices (integers, slices, None, ...) give views; tensor
// indices gather (copies), as in PyTorch. Assignment writes in place.
public unsafe partial class Tensor
{
    /// <summary><c>x[i]</c>: the i-th slice along dimension 0 (a view).</summary>
    public Tensor this[long index]
    {
        get => select(0, index);
        set => index_put_(value, [index]);
    }

    /// <summary><c>x[0, 1..3, TensorIndex.None, mask]</c>; see <see cref="TensorIndex"/>.</summary>
    public Tensor this[params TensorIndex[] indices]
    {
        get => index(indices);
        set => index_put_(value, indices);
    }

    public Tensor index(params ReadOnlySpan<TensorIndex> indices)
    {
        var refs = new Tensor?[indices.Length];
        Span<TensorIndex.Native> native = indices.Length <= 8 ? stackalloc TensorIndex.Native[indices.Length] : new TensorIndex.Native[indices.Length];
        using var held = Encode(indices, native, refs);
        fixed (TensorIndex.Native* p = native) return Wrap(NativeMethods.Tensor_index(handle, p, indices.Length));
    }

    /// <summary><c>x[indices] = value</c> (value broadcast to the indexed shape).</summary>
    public Tensor index_put_(Tensor value, params ReadOnlySpan<TensorIndex> indices)
    {
        var refs = new Tensor?[indices.Length];
        Span<TensorIndex.Native> native = indices.Length <= 8 ? stackalloc TensorIndex.Native[indices.Length] : new TensorIndex.Native[indices.Length];
        using var held = Encode(indices, native, refs);
        fixed (TensorIndex.Native* p = native) return InPlace(NativeMethods.Tensor_index_put_(handle, p, indices.Length, value.handle));
    }

    /// <summary><c>x[indices] = 0.5</c>.</summary>
    public Tensor index_put_(Scalar value, params ReadOnlySpan<TensorIndex> indices)
    {
        var refs = new Tensor?[indices.Length];
        Span<TensorIndex.Native> native = indices.Length <= 8 ? stackalloc TensorIndex.Native[indices.Length] : new TensorIndex.Native[indices.Length];
        using var held = Encode(indices, native, refs);
        fixed (TensorIndex.Native* p = native) return InPlace(NativeMethods.Tensor_index_put_scalar_(handle, p, indices.Length, value));
    }

    /// <summary>Fills the native entries; tensor indices are referenced (see <see cref="HandleList"/>) until the returned list is disposed.</summary>
    private static HandleList Encode(ReadOnlySpan<TensorIndex> indices, Span<TensorIndex.Native> native, Tensor?[] refs)
    {
        for (int k = 0; k < indices.Length; k++) refs[k] = indices[k].tensor;
        var held = new HandleList(refs, new IntPtr[refs.Length]);
        for (int k = 0; k < indices.Length; k++)
        {
            var e = indices[k];
            native[k] = new TensorIndex.Native { kind = (long)e.kind, start = e.start, stop = e.stop, step = e.step, tensor = IntPtr.Zero };
        }
        // The handles were read once, while referenced: take them from the list.
        fixed (IntPtr* h = held) for (int k = 0; k < indices.Length; k++) native[k].tensor = h[k];
        return held;
    }
}
