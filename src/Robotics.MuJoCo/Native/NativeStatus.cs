using System.Runtime.InteropServices;

namespace Robotics.MuJoCo.Native;

/// <summary>Turns the shim's status codes into exceptions carrying the shim's message.</summary>
internal static unsafe class NativeStatus
{
    internal const int Ok = 0;

    internal static void Check(int status)
    {
        if (status != Ok) Throw(status);
    }

    // Kept out of Check so the hot path stays a compare and a branch.
    private static void Throw(int status) => throw new MuJoCoException(LastError(status));

    internal static string LastError(int status)
    {
        var message = Utf8(NativeMethods.rmj_last_error());
        return string.IsNullOrEmpty(message) ? $"robotics_mujoco call failed with status {status}" : message;
    }

    internal static string Utf8(byte* text) => Marshal.PtrToStringUTF8((nint)text) ?? "";
}
