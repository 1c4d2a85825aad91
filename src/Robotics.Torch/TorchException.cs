using System.Runtime.InteropServices;
using Robotics.Torch.Native;

namespace Robotics.Torch;

/// <summary>
/// A libtorch failure (shape mismatch, wrong device, bad dtype...), carrying libtorch's own
/// message without its C++ backtrace. The only exception type the native layer produces.
/// </summary>
public sealed class TorchException : Exception
{
    public TorchException(string message) : base(message) { }

    /// <summary>Reads the calling thread's last native error (copied: the native string is reused).</summary>
    internal static unsafe TorchException FromLastError() =>
        new(Marshal.PtrToStringUTF8((IntPtr)NativeMethods.Torch_last_error()) is { Length: > 0 } m ? m : "libtorch call failed");

    /// <summary>Throws the last native error when a status-returning export failed.</summary>
    internal static void Check(int status)
    {
        if (status != 0) throw FromLastError();
    }
}
