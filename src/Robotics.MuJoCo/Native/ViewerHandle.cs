using System.Runtime.InteropServices;

namespace Robotics.MuJoCo.Native;

/// <summary>
/// Owns one rmj_viewer (scene, free camera, visual options, and the window's mjrContext once made).
/// Releasing frees memory only and never touches GL, so it is safe on the finalizer thread; the GL
/// objects are deleted by <see cref="Viewing.WindowRenderer"/> while its window is current, or go
/// with the window's context. Holds a reference on the model the scene was built from.
/// </summary>
internal sealed class ViewerHandle : SafeHandle
{
    private readonly ModelHandle _model;

    internal ViewerHandle(nint viewer, ModelHandle model) : base(IntPtr.Zero, ownsHandle: true)
    {
        var added = false;
        model.DangerousAddRef(ref added);
        _model = model;
        SetHandle(viewer);
    }

    public override bool IsInvalid => handle == IntPtr.Zero;

    protected override bool ReleaseHandle()
    {
        var ok = NativeMethods.rmj_viewer_free(handle) == NativeStatus.Ok;
        _model.DangerousRelease();
        return ok;
    }
}
