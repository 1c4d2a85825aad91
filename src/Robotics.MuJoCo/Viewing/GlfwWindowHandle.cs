using System.Runtime.InteropServices;

namespace Robotics.MuJoCo.Viewing;

/// <summary>
/// Owns one GLFWwindow* (and with it the window's GL context and every GL object made in it).
/// GLFW allows destroying a window only on the thread that initialised GLFW, so a handle released on any
/// other thread (the finalizer's, when a window was never disposed) leaves the window to glfwTerminate or
/// to the process's exit rather than calling GLFW from the wrong thread.
/// </summary>
internal sealed class GlfwWindowHandle : SafeHandle
{
    private readonly int _ownerThread;

    internal GlfwWindowHandle(nint window) : base(IntPtr.Zero, ownsHandle: true)
    {
        _ownerThread = Environment.CurrentManagedThreadId;
        SetHandle(window);
    }

    public override bool IsInvalid => handle == IntPtr.Zero;

    /// <summary>The thread that made the window; every GLFW call on it must come from there.</summary>
    internal int OwnerThread => _ownerThread;

    protected override bool ReleaseHandle()
    {
        if (Environment.CurrentManagedThreadId == _ownerThread) Glfw.glfwDestroyWindow(handle);
        return true;
    }
}
