using Robotics.Torch.Native;

namespace Robotics.Torch;

/// <summary>
/// A libtorch tensor. Owns one native handle through a <see cref="TensorHandle"/>; free it with
/// <see cref="Dispose"/>, or let the enclosing <see cref="DisposeScope"/> do it. Method names
/// follow PyTorch (<c>x.matmul(y)</c>, <c>x.sum(-1, keepdim: true)</c>) so papers translate line by line.
/// </summary>
public partial class Tensor : IDisposable
{
    internal readonly TensorHandle handle;
    internal DisposeScope? scope;

    /// <summary>Takes ownership of a native handle the shim just returned (never NULL here).</summary>
    private protected Tensor(IntPtr native, bool track)
    {
        handle = new TensorHandle(native);
        if (track) DisposeScope.Track(this);
    }

    /// <summary>Turns a shim result into a tensor, or the thread's last native error into a <see cref="TorchException"/>.</summary>
    internal static Tensor Wrap(IntPtr native)
    {
        if (native == IntPtr.Zero) throw TorchException.FromLastError();
        return new Tensor(native, track: true);
    }

    /// <summary>Like <see cref="Wrap"/>, but NULL means "no tensor" (an absent gradient), not an error.</summary>
    internal static Tensor? WrapOptional(IntPtr native) => native == IntPtr.Zero ? null : new Tensor(native, track: true);

    // ---- metadata ----

    public long dim() => NativeMethods.Tensor_dim(handle);
    public long ndim => dim();
    public long numel() => NativeMethods.Tensor_numel(handle);
    public ScalarType dtype => (ScalarType)NativeMethods.Tensor_dtype(handle);
    public bool is_contiguous() => NativeMethods.Tensor_is_contiguous(handle) != 0;
    public long element_size() => NativeMethods.Tensor_element_size(handle);
    public bool is_leaf => NativeMethods.Tensor_is_leaf(handle) != 0;

    public Device device
    {
        get
        {
            var type = (DeviceType)NativeMethods.Tensor_device_type(handle);
            var index = NativeMethods.Tensor_device_index(handle);
            return type == DeviceType.CPU ? Device.CPU : new Device(type, index);
        }
    }

    public bool is_cuda => NativeMethods.Tensor_device_type(handle) == (int)DeviceType.CUDA;

    /// <summary>The sizes, as a new array.</summary>
    public unsafe long[] shape
    {
        get
        {
            Span<long> buf = stackalloc long[16];
            long n;
            fixed (long* p = buf) n = NativeMethods.Tensor_shape(handle, p, buf.Length);
            if (n <= buf.Length) return buf[..(int)n].ToArray();
            var big = new long[n];
            fixed (long* p = big) NativeMethods.Tensor_shape(handle, p, n);
            return big;
        }
    }

    /// <summary>One size; negative <paramref name="dim"/> counts from the end.</summary>
    public unsafe long size(long dim)
    {
        Span<long> buf = stackalloc long[16];
        long n;
        fixed (long* p = buf) n = NativeMethods.Tensor_shape(handle, p, buf.Length);
        var d = dim < 0 ? dim + n : dim;
        if (d < 0 || d >= n)
            throw new TorchException($"Dimension out of range (expected to be in range of [{-n}, {n - 1}], but got {dim})");
        return n <= buf.Length ? buf[(int)d] : shape[d];
    }

    public long[] size() => shape;

    public unsafe long[] stride()
    {
        var n = dim();
        var s = new long[n];
        fixed (long* p = s) NativeMethods.Tensor_stride(handle, p, n);
        return s;
    }

    // ---- ownership ----

    /// <summary>True once the native tensor has been freed (by <see cref="Dispose"/> or a scope).</summary>
    public bool IsDisposed => handle.IsClosed;

    /// <summary>Frees the native tensor now (its storage goes when no other tensor views it).</summary>
    public void Dispose()
    {
        scope?.Forget(this);
        handle.Dispose();
    }

    /// <summary>Keeps this tensor alive past the current dispose scope (it joins the outer one, if any).</summary>
    public Tensor MoveToOuterDisposeScope()
    {
        scope?.MoveToOuter(this);
        return this;
    }

    /// <summary>Takes this tensor out of every dispose scope: the caller now disposes it.</summary>
    public Tensor DetachFromDisposeScope()
    {
        scope?.Forget(this);
        return this;
    }

    /// <summary>A new handle on the same tensor (same data and autograd identity), tracked by the current scope.</summary>
    public Tensor alias() => Wrap(NativeMethods.Tensor_alias(handle));

    /// <summary>True when both tensors view the same storage.</summary>
    public bool shares_storage_with(Tensor other) => NativeMethods.Tensor_shares_storage(handle, other.handle) != 0;
}
