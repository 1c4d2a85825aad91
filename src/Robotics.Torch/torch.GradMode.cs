using Robotics.Torch.Native;

namespace Robotics.Torch;

/// <summary>
/// Restores the thread's previous grad mode when disposed: <c>using var _ = torch.no_grad();</c>.
/// A struct, so entering no_grad on every step allocates nothing.
/// </summary>
public readonly struct GradModeGuard : IDisposable
{
    private readonly bool previous;

    internal GradModeGuard(bool enabled)
    {
        previous = NativeMethods.Torch_is_grad_enabled() != 0;
        NativeMethods.Torch_set_grad_enabled(enabled ? (byte)1 : (byte)0);
    }

    public void Dispose() => NativeMethods.Torch_set_grad_enabled(previous ? (byte)1 : (byte)0);
}

public static partial class torch
{
    /// <summary>
    /// Disables gradient recording on this thread until disposed (libtorch's grad mode is
    /// thread-local, as is the managed thread a P/Invoke runs on).
    /// </summary>
    public static GradModeGuard no_grad() => new(false);

    public static GradModeGuard enable_grad() => new(true);

    public static GradModeGuard set_grad_enabled(bool enabled) => new(enabled);

    public static bool is_grad_enabled() => NativeMethods.Torch_is_grad_enabled() != 0;
}
