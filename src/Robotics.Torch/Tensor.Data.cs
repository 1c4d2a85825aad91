using System.Runtime.InteropServices;
using Robotics.Torch.Native;

namespace Robotics.Torch;

public partial class Tensor
{
    private void CheckElementType<T>(string what) where T : unmanaged
    {
        var want = ScalarTypes.Of<T>();
        var have = dtype;
        if (want != have)
            throw new TorchException($"{what}<{typeof(T).Name}> needs a {want.Name()} tensor, but this one is {have.Name()} (convert with .to(torch.{have.Name()}) first)");
    }

    /// <summary>
    /// Copies the elements, row-major, into a new array (from any device; non-contiguous tensors
    /// are compacted first). <typeparamref name="T"/> must match <see cref="dtype"/>.
    /// </summary>
    public unsafe T[] ToArray<T>() where T : unmanaged
    {
        CheckElementType<T>("ToArray");
        var result = new T[numel()];
        fixed (T* p = result) TorchException.Check(NativeMethods.Tensor_copy_to_buffer(handle, p, (long)result.Length * sizeof(T)));
        return result;
    }

    /// <summary>Copies the elements into <paramref name="destination"/>, which must hold exactly numel() of them.</summary>
    public unsafe void CopyTo<T>(Span<T> destination) where T : unmanaged
    {
        CheckElementType<T>("CopyTo");
        fixed (T* p = destination) TorchException.Check(NativeMethods.Tensor_copy_to_buffer(handle, p, (long)destination.Length * sizeof(T)));
    }

    /// <summary>Overwrites every element from <paramref name="source"/> (numel() values, row-major), on any device.</summary>
    public unsafe Tensor copy_from<T>(ReadOnlySpan<T> source) where T : unmanaged
    {
        CheckElementType<T>("copy_from");
        fixed (T* p = source) TorchException.Check(NativeMethods.Tensor_copy_from_buffer(handle, p, (long)source.Length * sizeof(T)));
        return this;
    }

    /// <summary>
    /// The value of a one-element tensor as <typeparamref name="T"/>, converting the dtype when it
    /// differs (<c>loss.item&lt;double&gt;()</c> on a float32 loss), as Python's <c>float(t)</c> does.
    /// </summary>
    public unsafe T item<T>() where T : unmanaged
    {
        var n = numel();
        if (n != 1) throw new TorchException($"a Tensor with {n} elements cannot be converted to Scalar");
        T value;
        var want = ScalarTypes.Of<T>();
        if (want == dtype)
        {
            TorchException.Check(NativeMethods.Tensor_copy_to_buffer(handle, &value, sizeof(T)));
            return value;
        }
        using var converted = Wrap(NativeMethods.Tensor_to(handle, (int)want, (int)DeviceType.CPU, -1, 0, 0)).DetachFromDisposeScope();
        TorchException.Check(NativeMethods.Tensor_copy_to_buffer(converted.handle, &value, sizeof(T)));
        return value;
    }

    /// <summary>
    /// The elements of a CPU, contiguous tensor as a span over libtorch's own memory: no copy,
    /// writes go straight into the tensor. Valid only while the tensor (and its storage) lives,
    /// and only until an op reallocates it; don't keep it across calls that may resize.
    /// </summary>
    public unsafe Span<T> data<T>() where T : unmanaged
    {
        CheckElementType<T>("data");
        if (is_cuda) throw new TorchException("data<T>() needs a CPU tensor; copy with .cpu() or use ToArray<T>()");
        if (!is_contiguous()) throw new TorchException("data<T>() needs a contiguous tensor; call .contiguous() first");
        return new Span<T>(NativeMethods.Tensor_data_ptr(handle), checked((int)numel()));
    }
}
