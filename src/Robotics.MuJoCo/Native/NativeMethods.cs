using System.Runtime.InteropServices;

namespace Robotics.MuJoCo.Native;

/// <summary>
/// The shim's exports (native/mujoco/include/robotics_mujoco.h), one partial file per area.
/// Every function returns a status that <see cref="NativeStatus.Check"/> turns into an exception.
/// </summary>
internal static unsafe partial class NativeMethods
{
    internal const string Library = "robotics_mujoco";

    // A pointer into a thread-local buffer of the shim; copied at once, never freed.
    [LibraryImport(Library), SuppressGCTransition]
    internal static partial byte* rmj_last_error();

    [LibraryImport(Library)]
    internal static partial int rmj_warning_pop(byte* buffer, int capacity, out int popped, out int dropped);

    [LibraryImport(Library)]
    internal static partial int rmj_version(out int version, out byte* versionString);
}
