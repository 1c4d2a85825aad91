using System.Runtime.InteropServices;

namespace Robotics.Torch.Native;

/// <summary>
/// Owns one heap-allocated <c>at::Tensor</c> (one reference on its storage). Passing it to a
/// generated P/Invoke adds a reference for the duration of the call, so a tensor disposed on
/// another thread mid-call cannot be freed under libtorch, and a disposed one fails with
/// <see cref="ObjectDisposedException"/> instead of touching freed memory.
/// </summary>
internal sealed class TensorHandle : SafeHandle
{
    public TensorHandle() : base(IntPtr.Zero, ownsHandle: true) { }

    internal TensorHandle(IntPtr native) : base(IntPtr.Zero, ownsHandle: true) => SetHandle(native);

    public override bool IsInvalid => handle == IntPtr.Zero;

    protected override bool ReleaseHandle()
    {
        NativeMethods.Tensor_dispose(handle);
        return true;
    }
}
