using System.Runtime.InteropServices;

namespace Robotics.Torch.Native;

internal static unsafe partial class NativeMethods
{
    [LibraryImport(Library)] internal static partial IntPtr Tensor_reshape(TensorHandle a, long* shape, long n);
    [LibraryImport(Library)] internal static partial IntPtr Tensor_view(TensorHandle a, long* shape, long n);
    [LibraryImport(Library)] internal static partial IntPtr Tensor_flatten(TensorHandle a, long start, long end);
    [LibraryImport(Library)] internal static partial IntPtr Tensor_unflatten(TensorHandle a, long dim, long* sizes, long n);
    [LibraryImport(Library)] internal static partial IntPtr Tensor_narrow(TensorHandle a, long dim, long start, long length);
    [LibraryImport(Library)] internal static partial IntPtr Tensor_slice(TensorHandle a, long dim, long start, long end, long step);
    [LibraryImport(Library)] internal static partial IntPtr Tensor_select(TensorHandle a, long dim, long index);
    [LibraryImport(Library)] internal static partial IntPtr Tensor_squeeze(TensorHandle a);
    [LibraryImport(Library)] internal static partial IntPtr Tensor_squeeze_dim(TensorHandle a, long dim);
    [LibraryImport(Library)] internal static partial IntPtr Tensor_unsqueeze(TensorHandle a, long dim);
    [LibraryImport(Library)] internal static partial IntPtr Tensor_transpose(TensorHandle a, long dim0, long dim1);
    [LibraryImport(Library)] internal static partial IntPtr Tensor_permute(TensorHandle a, long* dims, long n);
    [LibraryImport(Library)] internal static partial IntPtr Tensor_t(TensorHandle a);
    [LibraryImport(Library)] internal static partial IntPtr Tensor_expand(TensorHandle a, long* shape, long n);
    [LibraryImport(Library)] internal static partial IntPtr Tensor_broadcast_to(TensorHandle a, long* shape, long n);
    [LibraryImport(Library)] internal static partial IntPtr Tensor_repeat(TensorHandle a, long* repeats, long n);
    [LibraryImport(Library)] internal static partial IntPtr Tensor_repeat_interleave(TensorHandle a, long repeats, long dim);
    [LibraryImport(Library)] internal static partial IntPtr Tensor_flip(TensorHandle a, long* dims, long n);
    [LibraryImport(Library)] internal static partial IntPtr Tensor_roll(TensorHandle a, long* shifts, long* dims, long n);
    [LibraryImport(Library)] internal static partial IntPtr Tensor_movedim(TensorHandle a, long source, long destination);
    [LibraryImport(Library)] internal static partial IntPtr Tensor_tril(TensorHandle a, long diagonal);
    [LibraryImport(Library)] internal static partial IntPtr Tensor_triu(TensorHandle a, long diagonal);
    [LibraryImport(Library)] internal static partial IntPtr Tensor_diag(TensorHandle a, long diagonal);
    [LibraryImport(Library)] internal static partial IntPtr Tensor_nonzero(TensorHandle a);
    [LibraryImport(Library)] internal static partial IntPtr Tensor_one_hot(TensorHandle a, long classes);
    [LibraryImport(Library)] internal static partial IntPtr Tensor_pad(TensorHandle a, long* pad, long n, double value);

    [LibraryImport(Library)] internal static partial IntPtr Tensor_index_select(TensorHandle a, long dim, TensorHandle index);
    [LibraryImport(Library)] internal static partial IntPtr Tensor_gather(TensorHandle a, long dim, TensorHandle index);
    [LibraryImport(Library)] internal static partial IntPtr Tensor_scatter(TensorHandle a, long dim, TensorHandle index, TensorHandle src);
    [LibraryImport(Library)] internal static partial IntPtr Tensor_scatter_value(TensorHandle a, long dim, TensorHandle index, Scalar value);
    [LibraryImport(Library)] internal static partial IntPtr Tensor_scatter_add(TensorHandle a, long dim, TensorHandle index, TensorHandle src);
    [LibraryImport(Library)] internal static partial IntPtr Tensor_index_add(TensorHandle a, long dim, TensorHandle index, TensorHandle src);
    [LibraryImport(Library)] internal static partial IntPtr Tensor_masked_fill(TensorHandle a, TensorHandle mask, Scalar value);
    [LibraryImport(Library)] internal static partial IntPtr Tensor_masked_fill_tensor(TensorHandle a, TensorHandle mask, TensorHandle value);
    [LibraryImport(Library)] internal static partial int Tensor_masked_fill_(TensorHandle a, TensorHandle mask, Scalar value);
    [LibraryImport(Library)] internal static partial IntPtr Tensor_masked_select(TensorHandle a, TensorHandle mask);

    [LibraryImport(Library)] internal static partial IntPtr Tensor_cat(IntPtr* tensors, long n, long dim);
    [LibraryImport(Library)] internal static partial IntPtr Tensor_stack(IntPtr* tensors, long n, long dim);
    [LibraryImport(Library)] internal static partial long Tensor_chunk(TensorHandle a, long chunks, long dim, IntPtr* output, long capacity);
    [LibraryImport(Library)] internal static partial long Tensor_split(TensorHandle a, long size, long dim, IntPtr* output, long capacity);
    [LibraryImport(Library)] internal static partial long Tensor_split_sizes(TensorHandle a, long* sizes, long n, long dim, IntPtr* output, long capacity);
    [LibraryImport(Library)] internal static partial long Tensor_unbind(TensorHandle a, long dim, IntPtr* output, long capacity);

    [LibraryImport(Library)] internal static partial IntPtr Tensor_index(TensorHandle a, TensorIndex.Native* indices, long n);
    [LibraryImport(Library)] internal static partial int Tensor_index_put_(TensorHandle a, TensorIndex.Native* indices, long n, TensorHandle value);
    [LibraryImport(Library)] internal static partial int Tensor_index_put_scalar_(TensorHandle a, TensorIndex.Native* indices, long n, Scalar value);
}
