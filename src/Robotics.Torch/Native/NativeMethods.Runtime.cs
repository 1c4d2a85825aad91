using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Robotics.Torch.Native;

/// <summary>
/// The shim's exports (native/torch), one partial file per native source file. Tensor
/// arguments are <see cref="TensorHandle"/>s; tensor results come back as raw pointers that
/// <see cref="Tensor.Wrap"/> checks (NULL = failure, message in <see cref="Torch_last_error"/>).
/// </summary>
internal static unsafe partial class NativeMethods
{
    internal const string Library = "robotics_torch";

    // SuppressGCTransition only on calls that cannot fail, block or call back (thread-local reads and writes).
    [LibraryImport(Library), SuppressGCTransition] internal static partial byte* Torch_last_error();
    [LibraryImport(Library)] internal static partial int Torch_set_num_threads(int n);
    [LibraryImport(Library), SuppressGCTransition] internal static partial int Torch_get_num_threads();
    [LibraryImport(Library)] internal static partial int Torch_manual_seed(ulong seed);
    [LibraryImport(Library)] internal static partial IntPtr Torch_get_rng_state();
    [LibraryImport(Library)] internal static partial int Torch_set_rng_state(TensorHandle state);
    [LibraryImport(Library), SuppressGCTransition] internal static partial void Torch_set_grad_enabled(byte enabled);
    [LibraryImport(Library), SuppressGCTransition] internal static partial byte Torch_is_grad_enabled();
    [LibraryImport(Library), SuppressGCTransition] internal static partial byte Torch_autocast_is_enabled(byte cuda);
    [LibraryImport(Library), SuppressGCTransition] internal static partial sbyte Torch_autocast_dtype(byte cuda);
    [LibraryImport(Library)] internal static partial void Torch_autocast_enter(byte cuda, byte enabled, sbyte dtype);
    [LibraryImport(Library)] internal static partial void Torch_autocast_exit(byte cuda, byte previousEnabled, sbyte previousDtype);
    [LibraryImport(Library)] internal static partial byte Torch_cuda_is_available();
    [LibraryImport(Library)] internal static partial int Torch_cuda_device_count();
    [LibraryImport(Library)] internal static partial int Torch_cuda_manual_seed_all(ulong seed);
    [LibraryImport(Library)] internal static partial int Torch_cuda_synchronize(int device);
}
