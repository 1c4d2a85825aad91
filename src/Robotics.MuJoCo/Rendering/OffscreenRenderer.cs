using Robotics.MuJoCo.Native;

namespace Robotics.MuJoCo.Rendering;

/// <summary>
/// Renders RGB and depth images of an <see cref="MjData"/> without a window, through an OSMesa
/// (CPU) or EGL context chosen by <c>MUJOCO_GL</c> (default OSMesa).
/// <para>
/// Threading: a GL context can be current on one thread at a time. Each call makes this
/// renderer's context current on the calling thread and releases it before returning, so any
/// thread may render, but not two at once: a concurrent call throws InvalidOperationException.
/// MuJoCo's GL loader is process-wide, so one process uses one backend.
/// </para>
/// Images are row-major with row 0 at the top; RGB is height x width x 3 bytes, depth is
/// height x width floats in metres along the viewing axis (the far plane where nothing was hit).
/// </summary>
public sealed class OffscreenRenderer : IDisposable
{
    private readonly RendererHandle _handle;
    private int _busy;

    /// <param name="model">The model to draw; its meshes and textures are uploaded once, here.</param>
    /// <param name="width">Image width in pixels.</param>
    /// <param name="height">Image height in pixels.</param>
    /// <param name="backend">OSMesa or EGL; null reads MUJOCO_GL.</param>
    /// <param name="multisamples">Anti-aliasing samples; 0 (the default) is much faster on OSMesa.</param>
    public OffscreenRenderer(MjModel model, int width, int height, GlBackend? backend = null, int multisamples = 0)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        ArgumentOutOfRangeException.ThrowIfNegative(multisamples);
        model.ThrowIfDisposed();
        Model = model;
        Width = width;
        Height = height;
        Backend = backend ?? GlBackends.FromEnvironment();
        NativeStatus.Check(NativeMethods.rmj_renderer_create(model.Handle, width, height, (int)Backend, multisamples, out var renderer));
        _handle = new RendererHandle(renderer, model.Handle);
        GlInfo = ReadGlInfo();
    }

    public MjModel Model { get; }
    public int Width { get; }
    public int Height { get; }
    public GlBackend Backend { get; }

    /// <summary>Backend, GL vendor, renderer and version, e.g. "osmesa: Mesa/X.org | llvmpipe (...) | 4.5 ...".</summary>
    public string GlInfo { get; }

    /// <summary>Scene features used by every following frame.</summary>
    public RenderOptions Options { get; set; } = RenderOptions.Default;

    /// <summary>
    /// Renders <paramref name="data"/> into the caller's buffers: <paramref name="rgb"/> (Height*Width*3)
    /// and/or <paramref name="depth"/> (Height*Width); pass an empty span to skip one. The scene is
    /// taken from data as it is: call <see cref="MjData.Forward"/> after changing qpos by hand.
    /// </summary>
    public unsafe void Render(MjData data, RenderCamera camera, Span<byte> rgb, Span<float> depth)
    {
        ArgumentNullException.ThrowIfNull(data);
        ObjectDisposedException.ThrowIf(_handle.IsClosed, this);
        data.ThrowIfDisposed();
        if (!ReferenceEquals(data.Model, Model))
            throw new ArgumentException("data belongs to a different MjModel than this renderer", nameof(data));
        CheckBuffer(rgb.Length, Width * Height * 3, nameof(rgb));
        CheckBuffer(depth.Length, Width * Height, nameof(depth));
        var cameraId = camera.Resolve(Model);
        var lookat = stackalloc double[] { camera.Lookat.X, camera.Lookat.Y, camera.Lookat.Z };

        if (Interlocked.CompareExchange(ref _busy, 1, 0) != 0)
            throw new InvalidOperationException(
                "this OffscreenRenderer is rendering on another thread; its GL context can be current on one thread at a time");
        try
        {
            fixed (byte* pixels = rgb)
            fixed (float* depths = depth)
            {
                NativeStatus.Check(NativeMethods.rmj_renderer_render(_handle, Model.Handle, data.Handle, cameraId, lookat,
                    camera.Distance, camera.Azimuth, camera.Elevation, Options.Flags,
                    rgb.IsEmpty ? null : pixels, depth.IsEmpty ? null : depths));
            }
        }
        finally
        {
            Volatile.Write(ref _busy, 0);
        }
    }

    /// <summary>Renders an RGB image into a new array (Height*Width*3 bytes, row 0 at the top).</summary>
    public byte[] RenderRgb(MjData data, RenderCamera camera)
    {
        var rgb = new byte[Width * Height * 3];
        Render(data, camera, rgb, default);
        return rgb;
    }

    /// <summary>Renders a depth image into a new array (Height*Width metres, row 0 at the top).</summary>
    public float[] RenderDepth(MjData data, RenderCamera camera)
    {
        var depth = new float[Width * Height];
        Render(data, camera, default, depth);
        return depth;
    }

    public void Dispose() => _handle.Dispose();

    private void CheckBuffer(int length, int needed, string parameter)
    {
        if (length != 0 && length != needed)
            throw new ArgumentException($"{parameter} has {length} elements, but a {Width}x{Height} image needs {needed}", parameter);
    }

    private unsafe string ReadGlInfo()
    {
        NativeStatus.Check(NativeMethods.rmj_renderer_gl_info(_handle, out var info));
        return NativeStatus.Utf8(info);
    }
}
