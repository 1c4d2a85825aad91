using System.Runtime.InteropServices;

namespace Robotics.MuJoCo.Native;

/// <summary>
/// Owns one mjData*. It holds a reference on its model's handle, so the model outlives every data
/// made from it even when both are finalized together; the reference is dropped after mj_deleteData.
/// </summary>
internal sealed class DataHandle : SafeHandle
{
    private readonly ModelHandle _model;

    internal DataHandle(nint data, ModelHandle model) : base(IntPtr.Zero, ownsHandle: true)
    {
        var added = false;
        model.DangerousAddRef(ref added);
        _model = model;
        SetHandle(data);
    }

    public override bool IsInvalid => handle == IntPtr.Zero;

    protected override bool ReleaseHandle()
    {
        var ok = NativeMethods.rmj_data_free(handle) == NativeStatus.Ok;
        _model.DangerousRelease();
        return ok;
    }
}
