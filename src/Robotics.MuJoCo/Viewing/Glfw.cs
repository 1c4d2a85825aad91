using System.Runtime.InteropServices;

namespace Robotics.MuJoCo.Viewing;

/// <summary>
/// The few GLFW 3 functions the viewer needs (Debian: libglfw3), bound with [LibraryImport].
/// <para>
/// Why GLFW is loaded here rather than linked into the C shim: the shim is loaded by every process that
/// only simulates or renders offscreen, and linking GLFW would make each of them load GLFW and libX11 and
/// fail to start where GLFW is not installed. Loaded from C# on first use, GLFW is needed only by
/// <c>robo view</c>, and its absence is a clear error there (the shim opens OSMesa/EGL lazily for the
/// same reason; see native/mujoco/src/gl.c). The shim never needs GLFW itself: it draws into whatever
/// GL context is current, and MuJoCo finds the GLX entry points GLFW loaded (its loader walks the
/// process's libraries for libGLX).
/// </para>
/// The library name is the exact Debian soname, which the runtime's default probing opens as is; the
/// assembly's resolver (Native/ModuleInit.cs) only answers for the shim and passes other names through.
/// GLFW functions must be called on the thread that initialised it (the main thread).
/// </summary>
internal static unsafe partial class Glfw
{
    internal const string Library = "libglfw.so.3";

    // Constants from GLFW/glfw3.h (3.3).
    internal const int True = 1, False = 0;
    internal const int Release = 0, Press = 1, Repeat = 2;
    internal const int ModShift = 0x0001;
    internal const int MouseButtonLeft = 0, MouseButtonRight = 1, MouseButtonMiddle = 2;
    internal const int KeySpace = 32, KeyC = 67, KeyEscape = 256, KeyBackspace = 259, KeyRight = 262;
    internal const int HintResizable = 0x00020003, HintVisible = 0x00020004, HintSamples = 0x0002100D,
                       HintDoubleBuffer = 0x00021010;

    private static int _loaded;

    /// <summary>Opens libglfw.so.3 once, so a missing GLFW is one clear message instead of a DllNotFoundException.</summary>
    internal static void EnsureLoaded()
    {
        if (Volatile.Read(ref _loaded) == 1) return;
        if (!NativeLibrary.TryLoad(Library, out _))
            throw new MuJoCoException($"GLFW 3 ({Library}) could not be loaded; install it (Debian: libglfw3) to open a viewer window");
        Volatile.Write(ref _loaded, 1);
    }

    /// <summary>GLFW's description of its last error on this thread, or "" (glfwGetError, GLFW 3.3).</summary>
    internal static string LastError()
    {
        byte* description;
        var code = glfwGetError(&description);
        if (code == 0) return "";
        var text = Marshal.PtrToStringUTF8((nint)description);
        return string.IsNullOrEmpty(text) ? $"GLFW error 0x{code:x}" : text;
    }

    [LibraryImport(Library)]
    internal static partial int glfwInit();

    [LibraryImport(Library)]
    internal static partial void glfwTerminate();

    [LibraryImport(Library)]
    internal static partial int glfwGetError(byte** description);

    [LibraryImport(Library)]
    internal static partial void glfwWindowHint(int hint, int value);

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial nint glfwCreateWindow(int width, int height, string title, nint monitor, nint share);

    [LibraryImport(Library)]
    internal static partial void glfwDestroyWindow(nint window);

    [LibraryImport(Library)]
    internal static partial void glfwMakeContextCurrent(nint window);

    [LibraryImport(Library)]
    internal static partial void glfwSwapInterval(int interval);

    [LibraryImport(Library)]
    internal static partial void glfwSwapBuffers(nint window);

    [LibraryImport(Library)]
    internal static partial void glfwPollEvents();

    [LibraryImport(Library)]
    internal static partial int glfwWindowShouldClose(nint window);

    [LibraryImport(Library)]
    internal static partial void glfwSetWindowShouldClose(nint window, int value);

    [LibraryImport(Library)]
    internal static partial void glfwGetFramebufferSize(nint window, out int width, out int height);

    [LibraryImport(Library)]
    internal static partial void glfwGetWindowSize(nint window, out int width, out int height);

    [LibraryImport(Library)]
    internal static partial void glfwSetWindowUserPointer(nint window, nint pointer);

    [LibraryImport(Library)]
    internal static partial nint glfwGetWindowUserPointer(nint window);

    // The callback setters return the previous callback, unused here. Callbacks run inside glfwPollEvents.
    [LibraryImport(Library)]
    internal static partial nint glfwSetKeyCallback(nint window, delegate* unmanaged<nint, int, int, int, int, void> callback);

    [LibraryImport(Library)]
    internal static partial nint glfwSetMouseButtonCallback(nint window, delegate* unmanaged<nint, int, int, int, void> callback);

    [LibraryImport(Library)]
    internal static partial nint glfwSetCursorPosCallback(nint window, delegate* unmanaged<nint, double, double, void> callback);

    [LibraryImport(Library)]
    internal static partial nint glfwSetScrollCallback(nint window, delegate* unmanaged<nint, double, double, void> callback);
}
