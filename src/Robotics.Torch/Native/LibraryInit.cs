using System.Runtime.CompilerServices;
using Robotics.Native;

// Every signature in this assembly is blittable; the source generator does the little
// marshalling left (SafeHandle reference counting), so the runtime's marshaller is off.
[assembly: DisableRuntimeMarshalling]

namespace Robotics.Torch.Native;

internal static class LibraryInit
{
    /// <summary>One resolver per assembly, registered before any P/Invoke can run.</summary>
    [ModuleInitializer]
    internal static void Register() => NativeLibraryResolver.Register(typeof(LibraryInit).Assembly, NativeMethods.Library);
}
