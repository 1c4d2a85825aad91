using Robotics.MuJoCo.Native;

namespace Robotics.MuJoCo.Viewing;

/// <summary>Where <see cref="WindowRenderer.Overlay"/> puts its text (MuJoCo's mjtGridPos).</summary>
public enum OverlayCorner { TopLeft, TopRight, BottomLeft, BottomRight }

/// <summary>MuJoCo's overlay fonts (mjtFont).</summary>
public enum OverlayFont { Normal, Shadow, Big }

/// <summary>
/// Draws a <see cref="ViewerScene"/> into a <see cref="ViewerWindow"/> with MuJoCo's renderer: an mjrContext
/// made for the window's GL context (fonts at 100 % by default), mjr_render into the window's default
/// framebuffer, mjr_overlay text, and mjr_readPixels for screenshots. The native bundle is owned by the
/// scene's SafeHandle; the GL objects are deleted on <see cref="Dispose"/>, with the window current.
/// <para>
/// A frame is: <see cref="Render"/>, any <see cref="Overlay"/> calls, optionally <see cref="ReadPixels"/>, then
/// <see cref="ViewerWindow.SwapBuffers"/>. Like the window, use it only on the window's thread.
/// </para>
/// MuJoCo's GL loader is process-wide, so a process draws either into windows or offscreen
/// (<see cref="Rendering.OffscreenRenderer"/>): whichever comes second fails with a <see cref="MuJoCoException"/>
/// saying so, rather than drawing black.
/// </summary>
public sealed unsafe class WindowRenderer : IDisposable
{
    private readonly ViewerScene _scene;
    private (int Width, int Height) _frame; // the framebuffer size the current frame is drawn at

    /// <param name="window">The window to draw into; its context is made current here.</param>
    /// <param name="model">The model to show; meshes, textures and fonts are uploaded once, here.</param>
    /// <param name="fontScale">MuJoCo's font scale in percent (50, 100, ..., 300).</param>
    public WindowRenderer(ViewerWindow window, MjModel model, int fontScale = 100)
    {
        ArgumentNullException.ThrowIfNull(window);
        Window = window;
        _scene = new ViewerScene(model);
        try
        {
            window.MakeCurrent();
            NativeStatus.Check(NativeMethods.rmj_viewer_make_context(_scene.Live, model.Handle, fontScale));
        }
        catch
        {
            _scene.Dispose();
            throw;
        }
    }

    public ViewerWindow Window { get; }

    /// <summary>The scene, camera and visual options drawn by <see cref="Render"/>.</summary>
    public ViewerScene Scene => _scene;

    /// <summary>The framebuffer size of the last <see cref="Render"/>, in pixels.</summary>
    public (int Width, int Height) FrameSize => _frame;

    /// <summary>
    /// Updates the scene from <paramref name="data"/> and draws it over the whole framebuffer. Returns false,
    /// drawing nothing, while the window has no area (minimised).
    /// </summary>
    public bool Render(MjData data)
    {
        _frame = Window.FramebufferSize;
        if (_frame.Width <= 0 || _frame.Height <= 0) return false;
        _scene.Update(data);
        NativeStatus.Check(NativeMethods.rmj_viewer_render(_scene.Live, _frame.Width, _frame.Height));
        return true;
    }

    /// <summary>
    /// Writes two newline-separated columns of text in a corner of the frame just rendered: <paramref name="titles"/>
    /// on the left, <paramref name="values"/> beside them.
    /// </summary>
    public void Overlay(OverlayCorner corner, string titles, string values, OverlayFont font = OverlayFont.Normal)
    {
        RequireFrame();
        NativeStatus.Check(NativeMethods.rmj_viewer_overlay(_scene.Live, (int)font, (int)corner, _frame.Width, _frame.Height,
            titles, values));
    }

    /// <summary>The frame drawn so far (before <see cref="ViewerWindow.SwapBuffers"/>): <see cref="FrameSize"/> RGB, row 0 at the top.</summary>
    public byte[] ReadPixels()
    {
        RequireFrame();
        var rgb = new byte[_frame.Width * _frame.Height * 3];
        fixed (byte* pixels = rgb)
            NativeStatus.Check(NativeMethods.rmj_viewer_read_pixels(_scene.Live, _frame.Width, _frame.Height, pixels));
        return rgb;
    }

    public void Dispose()
    {
        if (_scene.Handle.IsClosed) return;
        // GL objects can be deleted only with their context current; if the window is already gone, so is
        // its context and everything in it.
        if (Window.IsOpen)
        {
            Window.MakeCurrent();
            NativeMethods.rmj_viewer_free_context(_scene.Handle);
        }
        _scene.Dispose();
    }

    private void RequireFrame()
    {
        if (_frame.Width <= 0 || _frame.Height <= 0)
            throw new InvalidOperationException("nothing has been rendered yet (or the window is minimised): call Render first");
    }
}
