using Robotics.Torch.Native;

namespace Robotics.Torch;

/// <summary>
/// A mixed-precision region, as <c>with torch.autocast(...)</c>: inside it, ops that autocast lists as safe in lower
/// precision (linear, matmul, addmm, bmm, …) run in <see cref="ScalarType.BFloat16"/> (or Float16 on CUDA) while
/// weights, reductions and losses stay float32. Restores the thread's previous setting when disposed. A struct, so
/// entering it on every update allocates nothing; <c>default</c> is a guard that entered nothing and restores nothing
/// (for code that mixes precision only when configured to).
/// </summary>
public readonly struct AutocastGuard : IDisposable
{
    private readonly bool _entered;
    private readonly byte _cuda, _previousEnabled;
    private readonly sbyte _previousDtype;

    internal AutocastGuard(DeviceType device, ScalarType dtype, bool enabled)
    {
        _cuda = device == DeviceType.CUDA ? (byte)1 : (byte)0;
        _previousEnabled = NativeMethods.Torch_autocast_is_enabled(_cuda);
        _previousDtype = NativeMethods.Torch_autocast_dtype(_cuda);
        NativeMethods.Torch_autocast_enter(_cuda, enabled ? (byte)1 : (byte)0, (sbyte)dtype);
        _entered = true;
    }

    public void Dispose()
    {
        if (_entered) NativeMethods.Torch_autocast_exit(_cuda, _previousEnabled, _previousDtype);
    }
}

public static partial class torch
{
    /// <summary>
    /// Runs the ops of this thread in mixed precision until disposed. On CPU, bfloat16 matrix products go through
    /// oneDNN, several times faster than float32 on CPUs with AVX512-BF16 or AMX.
    /// </summary>
    public static AutocastGuard autocast(DeviceType device = DeviceType.CPU, ScalarType dtype = ScalarType.BFloat16, bool enabled = true)
    {
        if (dtype is not (ScalarType.BFloat16 or ScalarType.Float16))
            throw new ArgumentException($"autocast runs in a lower-precision floating type (BFloat16 or Float16), not {dtype}");
        return new AutocastGuard(device, dtype, enabled);
    }

    public static bool is_autocast_enabled(DeviceType device = DeviceType.CPU) =>
        NativeMethods.Torch_autocast_is_enabled(device == DeviceType.CUDA ? (byte)1 : (byte)0) != 0;
}
