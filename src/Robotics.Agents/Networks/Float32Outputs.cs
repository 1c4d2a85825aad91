using Robotics.Torch;

namespace Robotics.Agents.Networks;

/// <summary>Network outputs back in float32 after an autocast region, without a new tensor when they already are (every forward pass outside one).</summary>
internal static class Float32Outputs
{
    public static Tensor AsFloat32(this Tensor t) => t.dtype == ScalarType.Float32 ? t : t.@float();
}
