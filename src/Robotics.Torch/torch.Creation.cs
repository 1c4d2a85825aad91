using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Robotics.Torch.Native;

namespace Robotics.Torch;

public static unsafe partial class torch
{
    private static int Code(ScalarType? dtype) => dtype is null ? -1 : (int)dtype.Value;
    private static byte Flag(bool b) => b ? (byte)1 : (byte)0;

    /// <summary>Calls one of the shape-only factories (a function pointer: no delegate per call).</summary>
    private static Tensor Make(delegate*<long*, long, int, int, int, byte, IntPtr> f, ReadOnlySpan<long> size, ScalarType? dtype, Device? device,
                               bool requires_grad)
    {
        var (type, index) = Unpack(device);
        fixed (long* s = size) return Tensor.Wrap(f(s, size.Length, Code(dtype), type, index, Flag(requires_grad)));
    }

    // ---- filled ----
    public static Tensor empty(params ReadOnlySpan<long> size) => empty(size, null);
    public static Tensor empty(ReadOnlySpan<long> size, ScalarType? dtype = null, Device? device = null, bool requires_grad = false) =>
        Make(&NativeMethods.Tensor_empty, size, dtype, device, requires_grad);

    public static Tensor zeros(params ReadOnlySpan<long> size) => zeros(size, null);
    public static Tensor zeros(ReadOnlySpan<long> size, ScalarType? dtype = null, Device? device = null, bool requires_grad = false) =>
        Make(&NativeMethods.Tensor_zeros, size, dtype, device, requires_grad);

    public static Tensor ones(params ReadOnlySpan<long> size) => ones(size, null);
    public static Tensor ones(ReadOnlySpan<long> size, ScalarType? dtype = null, Device? device = null, bool requires_grad = false) =>
        Make(&NativeMethods.Tensor_ones, size, dtype, device, requires_grad);

    /// <summary>Filled with <paramref name="value"/>; without a dtype, PyTorch's inference (int64 / float32 / bool).</summary>
    public static Tensor full(ReadOnlySpan<long> size, Scalar value, ScalarType? dtype = null, Device? device = null, bool requires_grad = false)
    {
        var (type, index) = Unpack(device);
        fixed (long* s = size) return Tensor.Wrap(NativeMethods.Tensor_full(s, size.Length, value, Code(dtype), type, index, Flag(requires_grad)));
    }

    // ---- random (libtorch's generator: torch.manual_seed makes these reproducible) ----
    public static Tensor rand(params ReadOnlySpan<long> size) => rand(size, null);
    public static Tensor rand(ReadOnlySpan<long> size, ScalarType? dtype = null, Device? device = null, bool requires_grad = false) =>
        Make(&NativeMethods.Tensor_rand, size, dtype, device, requires_grad);

    public static Tensor randn(params ReadOnlySpan<long> size) => randn(size, null);
    public static Tensor randn(ReadOnlySpan<long> size, ScalarType? dtype = null, Device? device = null, bool requires_grad = false) =>
        Make(&NativeMethods.Tensor_randn, size, dtype, device, requires_grad);

    /// <summary>Integers uniform in [low, high); int64 unless <paramref name="dtype"/> says otherwise.</summary>
    public static Tensor randint(long low, long high, ReadOnlySpan<long> size, ScalarType? dtype = null, Device? device = null)
    {
        var (type, index) = Unpack(device);
        fixed (long* s = size) return Tensor.Wrap(NativeMethods.Tensor_randint(low, high, s, size.Length, (int)(dtype ?? ScalarType.Int64), type, index, 0));
    }

    public static Tensor randint(long high, ReadOnlySpan<long> size, ScalarType? dtype = null, Device? device = null) =>
        randint(0, high, size, dtype, device);

    // ---- ranges ----

    /// <summary>[0, end) in steps of 1; integer arguments give int64, floating ones float32 (PyTorch's rule).</summary>
    public static Tensor arange(Scalar end, ScalarType? dtype = null, Device? device = null, bool requires_grad = false) =>
        arange(0, end, 1, dtype, device, requires_grad);

    public static Tensor arange(Scalar start, Scalar end, Scalar step, ScalarType? dtype = null, Device? device = null, bool requires_grad = false)
    {
        var (type, index) = Unpack(device);
        return Tensor.Wrap(NativeMethods.Tensor_arange(start, end, step, Code(dtype), type, index, Flag(requires_grad)));
    }

    public static Tensor arange(Scalar start, Scalar end, ScalarType? dtype = null, Device? device = null, bool requires_grad = false) =>
        arange(start, end, 1, dtype, device, requires_grad);

    public static Tensor linspace(double start, double end, long steps, ScalarType? dtype = null, Device? device = null, bool requires_grad = false)
    {
        var (type, index) = Unpack(device);
        return Tensor.Wrap(NativeMethods.Tensor_linspace(start, end, steps, Code(dtype), type, index, Flag(requires_grad)));
    }

    public static Tensor eye(long n, long? m = null, ScalarType? dtype = null, Device? device = null, bool requires_grad = false)
    {
        var (type, index) = Unpack(device);
        return Tensor.Wrap(NativeMethods.Tensor_eye(n, m ?? n, Code(dtype), type, index, Flag(requires_grad)));
    }

    // ---- *_like: same shape and device; same dtype unless given ----
    public static Tensor zeros_like(Tensor t, ScalarType? dtype = null, bool requires_grad = false) =>
        Tensor.Wrap(NativeMethods.Tensor_zeros_like(t.handle, Code(dtype), Flag(requires_grad)));
    public static Tensor ones_like(Tensor t, ScalarType? dtype = null, bool requires_grad = false) =>
        Tensor.Wrap(NativeMethods.Tensor_ones_like(t.handle, Code(dtype), Flag(requires_grad)));
    public static Tensor full_like(Tensor t, Scalar value, ScalarType? dtype = null, bool requires_grad = false) =>
        Tensor.Wrap(NativeMethods.Tensor_full_like(t.handle, value, Code(dtype), Flag(requires_grad)));
    public static Tensor empty_like(Tensor t, ScalarType? dtype = null, bool requires_grad = false) =>
        Tensor.Wrap(NativeMethods.Tensor_empty_like(t.handle, Code(dtype), Flag(requires_grad)));
    public static Tensor rand_like(Tensor t, ScalarType? dtype = null, bool requires_grad = false) =>
        Tensor.Wrap(NativeMethods.Tensor_rand_like(t.handle, Code(dtype), Flag(requires_grad)));
    public static Tensor randn_like(Tensor t, ScalarType? dtype = null, bool requires_grad = false) =>
        Tensor.Wrap(NativeMethods.Tensor_randn_like(t.handle, Code(dtype), Flag(requires_grad)));

    // ---- from C# data ----

    /// <summary>
    /// COPIES <paramref name="data"/> into a new tensor (the span may be reused right after).
    /// <paramref name="shape"/> defaults to 1-D; then converted to <paramref name="dtype"/> / <paramref name="device"/> if given.
    /// </summary>
    public static Tensor tensor<T>(ReadOnlySpan<T> data, ReadOnlySpan<long> shape = default, ScalarType? dtype = null, Device? device = null,
                                   bool requires_grad = false) where T : unmanaged
    {
        long length = data.Length;
        return FromSpan(data, shape.IsEmpty ? new ReadOnlySpan<long>(in length) : shape, dtype, device, requires_grad);
    }

    /// <summary>Copies with <paramref name="shape"/> taken literally (empty = 0-dimensional).</summary>
    private static Tensor FromSpan<T>(ReadOnlySpan<T> data, ReadOnlySpan<long> shape, ScalarType? dtype, Device? device, bool requires_grad)
        where T : unmanaged
    {
        CheckCount(shape, data.Length);
        Tensor t;
        fixed (T* d = data)
        fixed (long* s = shape)
            t = Tensor.Wrap(NativeMethods.Tensor_from_buffer(d, s, shape.Length, (int)ScalarTypes.Of<T>()));
        return Finish(t, dtype, device, requires_grad);
    }

    /// <summary>COPIES a 1-D array; see <see cref="tensor{T}(ReadOnlySpan{T}, ReadOnlySpan{long}, ScalarType?, Device?, bool)"/>.</summary>
    public static Tensor tensor<T>(T[] data, ScalarType? dtype = null, Device? device = null, bool requires_grad = false) where T : unmanaged =>
        tensor<T>(data.AsSpan(), [data.Length], dtype, device, requires_grad);

    /// <summary>COPIES a 2-D array, keeping its shape.</summary>
    public static Tensor tensor<T>(T[,] data, ScalarType? dtype = null, Device? device = null, bool requires_grad = false) where T : unmanaged =>
        tensor(FlatSpan<T>(data), [data.GetLength(0), data.GetLength(1)], dtype, device, requires_grad);

    /// <summary>COPIES a 3-D array, keeping its shape.</summary>
    public static Tensor tensor<T>(T[,,] data, ScalarType? dtype = null, Device? device = null, bool requires_grad = false) where T : unmanaged =>
        tensor(FlatSpan<T>(data), [data.GetLength(0), data.GetLength(1), data.GetLength(2)], dtype, device, requires_grad);

    /// <summary>A 0-dimensional tensor; the C# type picks the dtype (float → float32, double → float64, long → int64).</summary>
    public static Tensor tensor(float value, ScalarType? dtype = null, Device? device = null, bool requires_grad = false) =>
        FromSpan(new ReadOnlySpan<float>(in value), ReadOnlySpan<long>.Empty, dtype, device, requires_grad);
    public static Tensor tensor(double value, ScalarType? dtype = null, Device? device = null, bool requires_grad = false) =>
        FromSpan(new ReadOnlySpan<double>(in value), ReadOnlySpan<long>.Empty, dtype, device, requires_grad);
    public static Tensor tensor(long value, ScalarType? dtype = null, Device? device = null, bool requires_grad = false) =>
        FromSpan(new ReadOnlySpan<long>(in value), ReadOnlySpan<long>.Empty, dtype, device, requires_grad);
    public static Tensor tensor(bool value, ScalarType? dtype = null, Device? device = null, bool requires_grad = false) =>
        FromSpan(new ReadOnlySpan<bool>(in value), ReadOnlySpan<long>.Empty, dtype, device, requires_grad);

    /// <summary>
    /// Wraps <paramref name="array"/> WITHOUT COPYING: the CPU tensor and the array share memory
    /// (writes through either are seen by both). The array is pinned until libtorch frees the
    /// storage, i.e. until this tensor and every view of it are disposed. The shape is the array's
    /// (or <paramref name="shape"/>, with the same element count). Use <c>torch.tensor</c> to copy instead.
    /// </summary>
    public static Tensor from_array(Array array, ReadOnlySpan<long> shape = default)
    {
        var elementType = array.GetType().GetElementType()!;
        var dtype = ScalarTypes.Of(elementType);
        Span<long> own = stackalloc long[array.Rank];
        for (int d = 0; d < array.Rank; d++) own[d] = array.GetLength(d);
        ReadOnlySpan<long> dims = shape.IsEmpty ? own : shape;
        CheckCount(dims, array.LongLength);
        var pin = GCHandle.Alloc(array, GCHandleType.Pinned);
        try
        {
            fixed (long* s = dims)
                return Tensor.Wrap(NativeMethods.Tensor_from_blob((void*)pin.AddrOfPinnedObject(), s, dims.Length, (int)dtype,
                                                                  &ReleasePinnedArray, GCHandle.ToIntPtr(pin)));
        }
        catch
        {
            pin.Free();
            throw;
        }
    }

    /// <summary>Called by libtorch (any thread) when a from_array tensor's storage dies.</summary>
    [UnmanagedCallersOnly]
    private static void ReleasePinnedArray(IntPtr context) => GCHandle.FromIntPtr(context).Free();

    private static ReadOnlySpan<T> FlatSpan<T>(Array data) where T : unmanaged =>
        MemoryMarshal.CreateReadOnlySpan(ref Unsafe.As<byte, T>(ref MemoryMarshal.GetArrayDataReference(data)), checked((int)data.LongLength));

    private static void CheckCount(ReadOnlySpan<long> shape, long count)
    {
        long n = 1;
        foreach (var s in shape) n *= s;
        if (n != count)
            throw new TorchException($"shape [{string.Join(", ", shape.ToArray())}] is invalid for input of size {count}");
    }

    private static Tensor Finish(Tensor t, ScalarType? dtype, Device? device, bool requires_grad)
    {
        if ((dtype is not null && dtype != t.dtype) || (device is not null && device.type != DeviceType.CPU))
        {
            var moved = t.to(dtype ?? t.dtype, device ?? Device.CPU);
            t.Dispose();
            t = moved;
        }
        if (requires_grad) t.requires_grad_();
        return t;
    }
}
