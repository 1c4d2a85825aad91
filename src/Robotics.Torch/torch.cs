using Robotics.Torch.Native;

namespace Robotics.Torch;

/// <summary>
/// PyTorch's <c>torch</c> namespace. <c>using static Robotics.Torch.torch;</c> brings <c>zeros</c>,
/// <c>nn</c>, <c>optim</c>... into scope as in Python.
/// </summary>
public static partial class torch
{
    // ---- dtypes, by PyTorch's names ----
    public const ScalarType float32 = ScalarType.Float32;
    public const ScalarType @float = ScalarType.Float32;
    public const ScalarType float64 = ScalarType.Float64;
    public const ScalarType @double = ScalarType.Float64;
    public const ScalarType float16 = ScalarType.Float16;
    public const ScalarType half = ScalarType.Float16;
    public const ScalarType bfloat16 = ScalarType.BFloat16;
    public const ScalarType int64 = ScalarType.Int64;
    public const ScalarType @long = ScalarType.Int64;
    public const ScalarType int32 = ScalarType.Int32;
    public const ScalarType @int = ScalarType.Int32;
    public const ScalarType int16 = ScalarType.Int16;
    public const ScalarType int8 = ScalarType.Int8;
    public const ScalarType uint8 = ScalarType.UInt8;
    public const ScalarType @bool = ScalarType.Bool;

    // ---- devices ----
    public static readonly Device CPU = Device.CPU;
    public static readonly Device CUDA = Device.CUDA;

    /// <summary><c>torch.device("cuda:0")</c>.</summary>
    public static Device device(string spec) => Device.Parse(spec);

    public static Device device(DeviceType type, int index = -1) => type == DeviceType.CPU && index < 0 ? Device.CPU : new Device(type, index);

    /// <summary>Opens a scope that frees every tensor created on this thread until it is disposed.</summary>
    public static DisposeScope NewDisposeScope() => new();

    // ---- seeding and threads ----

    /// <summary>Seeds libtorch's generators (CPU and, where present, CUDA): same seed, same CPU results.</summary>
    public static void manual_seed(long seed) => TorchException.Check(NativeMethods.Torch_manual_seed(unchecked((ulong)seed)));

    /// <summary>The CPU generator's whole state (a uint8 tensor), for checkpoints that resume the same random stream.</summary>
    public static Tensor get_rng_state() => Tensor.Wrap(NativeMethods.Torch_get_rng_state());

    /// <summary>Restores a state from <see cref="get_rng_state"/>.</summary>
    public static void set_rng_state(Tensor state) => TorchException.Check(NativeMethods.Torch_set_rng_state(state.handle));

    /// <summary>
    /// libtorch's intra-op threads. The shim starts at 1 (or ROBOTICS_TORCH_THREADS): more threads
    /// than free cores oversubscribe with BLAS and run several times slower on small machines.
    /// </summary>
    public static void set_num_threads(int n)
    {
        if (n < 1) throw new ArgumentOutOfRangeException(nameof(n), n, "need at least one thread");
        TorchException.Check(NativeMethods.Torch_set_num_threads(n));
    }

    public static int get_num_threads() => NativeMethods.Torch_get_num_threads();

    /// <summary><c>torch.cuda</c>: discovery and seeding of CUDA devices (a CPU-only libtorch reports none).</summary>
    public static class cuda
    {
        public static bool is_available() => NativeMethods.Torch_cuda_is_available() != 0;
        public static int device_count() => NativeMethods.Torch_cuda_device_count();
        public static void manual_seed_all(long seed) => TorchException.Check(NativeMethods.Torch_cuda_manual_seed_all(unchecked((ulong)seed)));
        public static void synchronize(int device = -1) => TorchException.Check(NativeMethods.Torch_cuda_synchronize(device));
    }

    internal static (int type, int index) Unpack(Device? device) =>
        device is null ? ((int)DeviceType.CPU, -1) : ((int)device.type, device.index);
}
