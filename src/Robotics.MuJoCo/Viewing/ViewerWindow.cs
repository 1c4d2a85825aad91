using System.Runtime.InteropServices;

namespace Robotics.MuJoCo.Viewing;

/// <summary>
/// A GLFW window with an OpenGL context, for <see cref="WindowRenderer"/> to draw into. Input is recorded
/// while <see cref="PollEvents"/> runs and read back with <see cref="TryTakeEvent"/>, so the caller handles it
/// in its own loop, with no code of its own running inside GLFW's callbacks.
/// <para>
/// Threading: GLFW is single-threaded; every member must be used on the thread that opened the window
/// (normally the main thread), and one window is open at a time in a process.
/// </para>
/// </summary>
public sealed unsafe class ViewerWindow : IDisposable
{
    private static int _openWindows; // GLFW is terminated when the last window closes

    private readonly GlfwWindowHandle _handle;
    private GCHandle _self; // the window's user pointer: how the static callbacks find this object
    private readonly Queue<InputEvent> _events = new();
    private MouseButton? _dragging;
    private bool _dragShift;
    private double _cursorX, _cursorY;
    private Exception? _callbackError;

    private ViewerWindow(GlfwWindowHandle handle, string title)
    {
        _handle = handle;
        Title = title;
        _self = GCHandle.Alloc(this);
        var window = handle.DangerousGetHandle();
        Glfw.glfwSetWindowUserPointer(window, GCHandle.ToIntPtr(_self));
        Glfw.glfwSetKeyCallback(window, &OnKey);
        Glfw.glfwSetMouseButtonCallback(window, &OnMouseButton);
        Glfw.glfwSetCursorPosCallback(window, &OnCursorPos);
        Glfw.glfwSetScrollCallback(window, &OnScroll);
    }

    /// <summary>
    /// Opens a window of <paramref name="width"/> x <paramref name="height"/> screen units with a current GL
    /// context (double-buffered, 4x multisampling where the display offers it, swaps synced to the display).
    /// </summary>
    /// <exception cref="NoDisplayException">GLFW cannot reach a display, or the display has no OpenGL.</exception>
    /// <exception cref="MuJoCoException">GLFW itself is not installed.</exception>
    public static ViewerWindow Open(int width, int height, string title)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        ArgumentNullException.ThrowIfNull(title);
        Glfw.EnsureLoaded();
        if (Glfw.glfwInit() != Glfw.True)
            throw new NoDisplayException($"GLFW could not start: {Glfw.LastError()}");
        Glfw.glfwWindowHint(Glfw.HintSamples, 4);
        Glfw.glfwWindowHint(Glfw.HintDoubleBuffer, Glfw.True);
        Glfw.glfwWindowHint(Glfw.HintVisible, Glfw.True);
        Glfw.glfwWindowHint(Glfw.HintResizable, Glfw.True);
        var window = Glfw.glfwCreateWindow(width, height, title, 0, 0);
        if (window == 0)
        {
            var error = Glfw.LastError();
            if (Volatile.Read(ref _openWindows) == 0) Glfw.glfwTerminate();
            throw new NoDisplayException($"GLFW could not open an OpenGL window: {error}");
        }
        Interlocked.Increment(ref _openWindows);
        Glfw.glfwMakeContextCurrent(window);
        Glfw.glfwSwapInterval(1);
        return new ViewerWindow(new GlfwWindowHandle(window), title);
    }

    public string Title { get; }

    /// <summary>The drawable size in pixels (on high-DPI screens larger than the size in screen units); 0 x 0 while minimised.</summary>
    public (int Width, int Height) FramebufferSize
    {
        get
        {
            Glfw.glfwGetFramebufferSize(Window, out var w, out var h);
            return (w, h);
        }
    }

    /// <summary>True once the user closed the window or <see cref="Close"/> was called.</summary>
    public bool ShouldClose => Glfw.glfwWindowShouldClose(Window) != Glfw.False;

    public void Close() => Glfw.glfwSetWindowShouldClose(Window, Glfw.True);

    /// <summary>Makes this window's GL context current on the calling thread.</summary>
    public void MakeCurrent() => Glfw.glfwMakeContextCurrent(Window);

    /// <summary>Shows the frame just drawn (waits for the display's refresh when it syncs swaps).</summary>
    public void SwapBuffers() => Glfw.glfwSwapBuffers(Window);

    /// <summary>Processes pending window events; their input lands in the queue <see cref="TryTakeEvent"/> reads.</summary>
    public void PollEvents()
    {
        _ = Window; // checks the thread and that the window is open
        Glfw.glfwPollEvents();
        if (_callbackError is { } error)
        {
            _callbackError = null;
            throw new InvalidOperationException($"a window input callback failed: {error.Message}", error);
        }
    }

    public bool TryTakeEvent(out InputEvent input) => _events.TryDequeue(out input);

    /// <summary>True while the window is open (not yet disposed).</summary>
    internal bool IsOpen => !_handle.IsClosed;

    private nint Window
    {
        get
        {
            ObjectDisposedException.ThrowIf(_handle.IsClosed, this);
            if (Environment.CurrentManagedThreadId != _handle.OwnerThread)
                throw new InvalidOperationException("a viewer window must be used on the thread that opened it");
            return _handle.DangerousGetHandle();
        }
    }

    /// <summary>Closes the window (on its own thread; from another, the window is left to the process's exit).</summary>
    public void Dispose()
    {
        if (_handle.IsClosed) return;
        var onOwnerThread = Environment.CurrentManagedThreadId == _handle.OwnerThread;
        _handle.Dispose();
        if (_self.IsAllocated) _self.Free();
        if (Interlocked.Decrement(ref _openWindows) == 0 && onOwnerThread) Glfw.glfwTerminate();
    }

    // ---- GLFW callbacks: run inside glfwPollEvents on the window's thread, with the platform's C calling
    // convention (what delegate* unmanaged means). They only record input; an exception must not unwind
    // into GLFW's C frames, so one is kept and rethrown by PollEvents.

    private static ViewerWindow? From(nint window)
    {
        var pointer = Glfw.glfwGetWindowUserPointer(window);
        return pointer == 0 ? null : GCHandle.FromIntPtr(pointer).Target as ViewerWindow;
    }

    [UnmanagedCallersOnly]
    private static void OnKey(nint window, int key, int scancode, int action, int mods)
    {
        var self = From(window);
        if (self is null || action == Glfw.Release) return;
        try
        {
            self._events.Enqueue(new InputEvent(InputKind.KeyPress, Key: ToKey(key), Shift: (mods & Glfw.ModShift) != 0));
        }
        catch (Exception e)
        {
            self._callbackError ??= e;
        }
    }

    [UnmanagedCallersOnly]
    private static void OnMouseButton(nint window, int button, int action, int mods)
    {
        var self = From(window);
        if (self is null) return;
        MouseButton? which = button switch
        {
            Glfw.MouseButtonLeft => MouseButton.Left,
            Glfw.MouseButtonRight => MouseButton.Right,
            Glfw.MouseButtonMiddle => MouseButton.Middle,
            _ => null,
        };
        if (which is null) return;
        if (action == Glfw.Press)
        {
            self._dragging = which;
            self._dragShift = (mods & Glfw.ModShift) != 0;
        }
        else if (self._dragging == which)
        {
            self._dragging = null;
        }
    }

    [UnmanagedCallersOnly]
    private static void OnCursorPos(nint window, double x, double y)
    {
        var self = From(window);
        if (self is null) return;
        double dx = x - self._cursorX, dy = y - self._cursorY;
        self._cursorX = x;
        self._cursorY = y;
        if (self._dragging is not { } button) return;
        Glfw.glfwGetWindowSize(window, out _, out var height);
        if (height <= 0) return;
        try
        {
            self._events.Enqueue(new InputEvent(InputKind.Drag, Button: button, Dx: dx / height, Dy: dy / height, Shift: self._dragShift));
        }
        catch (Exception e)
        {
            self._callbackError ??= e;
        }
    }

    [UnmanagedCallersOnly]
    private static void OnScroll(nint window, double xOffset, double yOffset)
    {
        var self = From(window);
        if (self is null) return;
        try
        {
            self._events.Enqueue(new InputEvent(InputKind.Scroll, Dy: yOffset));
        }
        catch (Exception e)
        {
            self._callbackError ??= e;
        }
    }

    private static ViewerKey ToKey(int key) => key switch
    {
        Glfw.KeySpace => ViewerKey.Space,
        Glfw.KeyRight => ViewerKey.RightArrow,
        Glfw.KeyBackspace => ViewerKey.Backspace,
        Glfw.KeyC => ViewerKey.C,
        Glfw.KeyEscape => ViewerKey.Escape,
        _ => ViewerKey.Other,
    };
}
