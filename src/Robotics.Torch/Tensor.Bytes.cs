using Robotics.Torch.Native;

namespace Robotics.Torch;

// Untyped byte copies, for serialization (any dtype, including float16 / bfloat16).
public unsafe partial class Tensor
{
    /// <summary>Copies the raw little-endian elements, row-major, into <paramref name="destination"/> (exactly nbytes long).</summary>
    internal void CopyBytesTo(Span<byte> destination)
    {
        fixed (byte* p = destination) TorchException.Check(NativeMethods.Tensor_copy_to_buffer(handle, p, destination.Length));
    }

    /// <summary>A new CPU tensor holding a copy of <paramref name="bytes"/>.</summary>
    internal static Tensor FromBytes(ReadOnlySpan<byte> bytes, ReadOnlySpan<long> shape, ScalarType dtype)
    {
        fixed (byte* b = bytes)
        fixed (long* s = shape)
            return Wrap(NativeMethods.Tensor_from_buffer(b, s, shape.Length, (int)dtype));
    }
}
