using System.Runtime.CompilerServices;

namespace Robotics.MuJoCo.Native;

internal static class ModuleInit
{
    /// <summary>Registers the resolver for librobotics_mujoco.so before any P/Invoke runs.</summary>
    // CA2255 warns that module initializers are meant for applications; a library needs one here,
    // because the resolver must be in place before the first P/Invoke of any entry point.
#pragma warning disable CA2255
    [ModuleInitializer]
#pragma warning restore CA2255
    internal static void Initialize() =>
        Robotics.Native.NativeLibraryResolver.Register(typeof(ModuleInit).Assembly, NativeMethods.Library);
}
