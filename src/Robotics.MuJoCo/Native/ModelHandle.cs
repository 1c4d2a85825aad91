using System.Runtime.InteropServices;

namespace Robotics.MuJoCo.Native;

/// <summary>Owns one mjModel*; freed with mj_deleteModel once neither it nor any MjData needs it.</summary>
internal sealed class ModelHandle : SafeHandle
{
    public ModelHandle() : base(IntPtr.Zero, ownsHandle: true) { }

    internal ModelHandle(nint model) : this() => SetHandle(model);

    public override bool IsInvalid => handle == IntPtr.Zero;

    protected override bool ReleaseHandle() => NativeMethods.rmj_model_free(handle) == NativeStatus.Ok;
}
