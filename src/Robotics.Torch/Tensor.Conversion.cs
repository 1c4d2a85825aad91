using Robotics.Torch.Native;

namespace Robotics.Torch;

public partial class Tensor
{
    /// <summary>Converts dtype and/or device; returns a new handle even when nothing changes (as PyTorch returns self).</summary>
    public Tensor to(ScalarType dtype, Device device, bool non_blocking = false, bool copy = false) =>
        Wrap(NativeMethods.Tensor_to(handle, (int)dtype, (int)device.type, device.index, non_blocking ? (byte)1 : (byte)0, copy ? (byte)1 : (byte)0));

    public Tensor to(Device device, bool non_blocking = false) =>
        Wrap(NativeMethods.Tensor_to(handle, -1, (int)device.type, device.index, non_blocking ? (byte)1 : (byte)0, 0));

    public Tensor to(ScalarType dtype)
    {
        var d = device;
        return Wrap(NativeMethods.Tensor_to(handle, (int)dtype, (int)d.type, d.index, 0, 0));
    }

    /// <summary>Same dtype and device as <paramref name="other"/>.</summary>
    public Tensor to(Tensor other) => to(other.dtype, other.device);

    public Tensor cpu() => to(Device.CPU);
    public Tensor cuda(int index = -1) => to(new Device(DeviceType.CUDA, index));

    public Tensor @float() => to(ScalarType.Float32);
    public Tensor @double() => to(ScalarType.Float64);
    public Tensor @long() => to(ScalarType.Int64);
    public Tensor @int() => to(ScalarType.Int32);
    public Tensor @bool() => to(ScalarType.Bool);
    public Tensor @byte() => to(ScalarType.UInt8);
    public Tensor half() => to(ScalarType.Float16);

    public Tensor clone() => Wrap(NativeMethods.Tensor_clone(handle));
    public Tensor contiguous() => Wrap(NativeMethods.Tensor_contiguous(handle));
}
