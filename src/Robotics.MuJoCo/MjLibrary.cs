using Robotics.MuJoCo.Native;

namespace Robotics.MuJoCo;

/// <summary>Process-wide facts about the loaded MuJoCo: its version and the warnings it raised.</summary>
public static unsafe class MjLibrary
{
    /// <summary>mj_version(): 222 for MuJoCo 2.2.2.</summary>
    public static int Version => ReadVersion().Version;

    /// <summary>mj_versionString(), e.g. "2.2.2".</summary>
    public static string VersionString => ReadVersion().Text;

    /// <summary>
    /// Removes and returns the warnings MuJoCo raised since the last call (mju_warning: e.g. a full
    /// contact buffer, or unstable accelerations), oldest first, from any thread. The shim keeps
    /// the latest 32; <paramref name="dropped"/> counts older ones that were discarded.
    /// </summary>
    public static IReadOnlyList<string> TakeWarnings(out int dropped)
    {
        const int capacity = 1200;
        var buffer = stackalloc byte[capacity];
        var warnings = new List<string>();
        dropped = 0;
        while (true)
        {
            NativeStatus.Check(NativeMethods.rmj_warning_pop(buffer, capacity, out var popped, out var lost));
            dropped += lost;
            if (popped == 0) return warnings;
            warnings.Add(NativeStatus.Utf8(buffer));
        }
    }

    /// <inheritdoc cref="TakeWarnings(out int)"/>
    public static IReadOnlyList<string> TakeWarnings() => TakeWarnings(out _);

    private static (int Version, string Text) ReadVersion()
    {
        NativeStatus.Check(NativeMethods.rmj_version(out var version, out var text));
        return (version, NativeStatus.Utf8(text));
    }
}
