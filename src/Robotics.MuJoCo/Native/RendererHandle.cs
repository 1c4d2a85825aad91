using System.Runtime.InteropServices;

namespace Robotics.MuJoCo.Native;

/// <summary>
/// Owns one rmj_renderer (GL context, scene, mjrContext). Freeing makes the context current on the
/// releasing thread first, so finalization on the finalizer thread is safe. Holds a reference on
/// the model, whose textures and meshes the GL context was built from.
/// </summary>
internal sealed class RendererHandle : SafeHandle
{
    private readonly ModelHandle _model;

    internal RendererHandle(nint renderer, ModelHandle model) : base(IntPtr.Zero, ownsHandle: true)
    {
        var added = false;
        model.DangerousAddRef(ref added);
        _model = model;
        SetHandle(renderer);
    }

    public override bool IsInvalid => handle == IntPtr.Zero;

    protected override bool ReleaseHandle()
    {
        var ok = NativeMethods.rmj_renderer_free(handle) == NativeStatus.Ok;
        _model.DangerousRelease();
        return ok;
    }
}
