using Robotics.Torch.Native;

namespace Robotics.Torch;

/// <summary>
/// A module's trainable tensor: a leaf that requires grad. Owned by its module (never tracked by
/// a dispose scope); the module's <c>Dispose()</c> frees it.
/// </summary>
public sealed class Parameter : Tensor
{
    /// <summary>Wraps <paramref name="data"/>'s storage (no copy) as a new leaf; <paramref name="data"/> stays owned by its caller.</summary>
    public Parameter(Tensor data, bool requires_grad = true) : base(Detached(data), track: false)
    {
        if (requires_grad) requires_grad_();
    }

    private static IntPtr Detached(Tensor data)
    {
        var p = NativeMethods.Tensor_detach(data.handle);
        if (p == IntPtr.Zero) throw TorchException.FromLastError();
        return p;
    }
}
