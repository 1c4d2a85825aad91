using Robotics.Torch.Native;

namespace Robotics.Torch;

public static partial class torch
{
    public static partial class nn
    {
        /// <summary><c>torch.nn.utils</c>.</summary>
        public static class utils
        {
            /// <summary>
            /// Scales all gradients together so their joint <paramref name="norm_type"/>-norm is at most
            /// <paramref name="max_norm"/> (PyTorch's formula, one native call). Returns the norm before clipping.
            /// </summary>
            public static unsafe double clip_grad_norm_(IEnumerable<Parameter> parameters, double max_norm, double norm_type = 2)
            {
                var ps = parameters as Parameter[] ?? parameters.ToArray();
                Span<IntPtr> buf = ps.Length <= 64 ? stackalloc IntPtr[ps.Length] : new IntPtr[ps.Length];
                using var list = new HandleList(ps, buf);
                fixed (IntPtr* p = list)
                {
                    TorchException.Check(NativeMethods.NN_clip_grad_norm_(p, list.Length, max_norm, norm_type, out var total));
                    return total;
                }
            }
        }
    }
}
