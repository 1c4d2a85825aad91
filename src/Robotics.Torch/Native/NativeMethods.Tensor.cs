using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Robotics.Torch.Native;

internal static unsafe partial class NativeMethods
{
    // Tensor_dispose may free a from_array storage, which calls back into managed code: a normal transition.
    [LibraryImport(Library)] internal static partial void Tensor_dispose(IntPtr t);

    // Metadata: cannot fail on a live handle, never call back, return in nanoseconds, so they skip
    // the GC transition (the .NET guidance's case for SuppressGCTransition).
    [LibraryImport(Library), SuppressGCTransition] internal static partial long Tensor_dim(TensorHandle t);
    [LibraryImport(Library), SuppressGCTransition] internal static partial long Tensor_numel(TensorHandle t);
    [LibraryImport(Library), SuppressGCTransition] internal static partial int Tensor_dtype(TensorHandle t);
    [LibraryImport(Library), SuppressGCTransition] internal static partial int Tensor_device_type(TensorHandle t);
    [LibraryImport(Library), SuppressGCTransition] internal static partial int Tensor_device_index(TensorHandle t);
    [LibraryImport(Library), SuppressGCTransition] internal static partial byte Tensor_requires_grad(TensorHandle t);
    [LibraryImport(Library), SuppressGCTransition] internal static partial byte Tensor_is_leaf(TensorHandle t);
    [LibraryImport(Library), SuppressGCTransition] internal static partial byte Tensor_is_contiguous(TensorHandle t);
    [LibraryImport(Library), SuppressGCTransition] internal static partial long Tensor_element_size(TensorHandle t);
    [LibraryImport(Library), SuppressGCTransition] internal static partial void* Tensor_data_ptr(TensorHandle t);
    [LibraryImport(Library), SuppressGCTransition] internal static partial byte Tensor_shares_storage(TensorHandle a, TensorHandle b);
    [LibraryImport(Library), SuppressGCTransition] internal static partial long Tensor_shape(TensorHandle t, long* shape, long cap);
    [LibraryImport(Library), SuppressGCTransition] internal static partial long Tensor_stride(TensorHandle t, long* stride, long cap);
    [LibraryImport(Library)] internal static partial IntPtr Tensor_alias(TensorHandle t);

    // Factories: dtype < 0 = default dtype; device type follows c10::DeviceType.
    [LibraryImport(Library)] internal static partial IntPtr Tensor_empty(long* shape, long ndim, int dtype, int deviceType, int deviceIndex, byte requiresGrad);
    [LibraryImport(Library)] internal static partial IntPtr Tensor_zeros(long* shape, long ndim, int dtype, int deviceType, int deviceIndex, byte requiresGrad);
    [LibraryImport(Library)] internal static partial IntPtr Tensor_ones(long* shape, long ndim, int dtype, int deviceType, int deviceIndex, byte requiresGrad);
    [LibraryImport(Library)] internal static partial IntPtr Tensor_full(long* shape, long ndim, Scalar value, int dtype, int deviceType, int deviceIndex, byte requiresGrad);
    [LibraryImport(Library)] internal static partial IntPtr Tensor_rand(long* shape, long ndim, int dtype, int deviceType, int deviceIndex, byte requiresGrad);
    [LibraryImport(Library)] internal static partial IntPtr Tensor_randn(long* shape, long ndim, int dtype, int deviceType, int deviceIndex, byte requiresGrad);
    [LibraryImport(Library)] internal static partial IntPtr Tensor_randint(long low, long high, long* shape, long ndim, int dtype, int deviceType, int deviceIndex, byte requiresGrad);
    [LibraryImport(Library)] internal static partial IntPtr Tensor_arange(Scalar start, Scalar end, Scalar step, int dtype, int deviceType, int deviceIndex, byte requiresGrad);
    [LibraryImport(Library)] internal static partial IntPtr Tensor_linspace(double start, double end, long steps, int dtype, int deviceType, int deviceIndex, byte requiresGrad);
    [LibraryImport(Library)] internal static partial IntPtr Tensor_eye(long n, long m, int dtype, int deviceType, int deviceIndex, byte requiresGrad);
    [LibraryImport(Library)] internal static partial IntPtr Tensor_zeros_like(TensorHandle t, int dtype, byte requiresGrad);
    [LibraryImport(Library)] internal static partial IntPtr Tensor_ones_like(TensorHandle t, int dtype, byte requiresGrad);
    [LibraryImport(Library)] internal static partial IntPtr Tensor_full_like(TensorHandle t, Scalar value, int dtype, byte requiresGrad);
    [LibraryImport(Library)] internal static partial IntPtr Tensor_empty_like(TensorHandle t, int dtype, byte requiresGrad);
    [LibraryImport(Library)] internal static partial IntPtr Tensor_rand_like(TensorHandle t, int dtype, byte requiresGrad);
    [LibraryImport(Library)] internal static partial IntPtr Tensor_randn_like(TensorHandle t, int dtype, byte requiresGrad);

    // Conversion.
    [LibraryImport(Library)] internal static partial IntPtr Tensor_to(TensorHandle t, int dtype, int deviceType, int deviceIndex, byte nonBlocking, byte copy);
    [LibraryImport(Library)] internal static partial IntPtr Tensor_clone(TensorHandle t);
    [LibraryImport(Library)] internal static partial IntPtr Tensor_contiguous(TensorHandle t);
    [LibraryImport(Library)] internal static partial IntPtr Tensor_detach(TensorHandle t);

    // Raw data.
    [LibraryImport(Library)] internal static partial IntPtr Tensor_from_buffer(void* data, long* shape, long ndim, int dtype);
    [LibraryImport(Library)] internal static partial IntPtr Tensor_from_blob(void* data, long* shape, long ndim, int dtype, delegate* unmanaged<IntPtr, void> release, IntPtr context);
    [LibraryImport(Library)] internal static partial int Tensor_copy_to_buffer(TensorHandle t, void* dst, long nbytes);
    [LibraryImport(Library)] internal static partial int Tensor_copy_from_buffer(TensorHandle t, void* src, long nbytes);
}
