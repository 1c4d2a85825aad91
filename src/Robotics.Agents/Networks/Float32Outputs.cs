using Robotics.Torch;
using static Robotics.Torch.torch;

namespace Robotics.Agents.Networks;

/// <summary>Keeping a network's outputs in float32 when its hidden layers run in bfloat16 under autocast.</summary>
internal static class Float32Outputs
{
    /// <summary>Network outputs back in float32 after an autocast region, without a new tensor when they already are (every forward pass outside one).</summary>
    public static Tensor AsFloat32(this Tensor t) => t.dtype == ScalarType.Float32 ? t : t.@float();

    /// <summary>
    /// An output layer run in float32 even inside an autocast region. bfloat16 keeps 8 significant bits: a Q-value near
    /// 600 (push's returns) comes out of a bfloat16 product in steps of 4, as large as the differences between actions
    /// the critic has to tell apart. The hidden layers, where the work is, stay in bfloat16; the head is one row.
    /// </summary>
    public static Tensor CallInFloat32(this nn.Module<Tensor, Tensor> head, Tensor hidden)
    {
        using var _ = autocast(enabled: false);
        return head.call(hidden.AsFloat32());
    }
}
