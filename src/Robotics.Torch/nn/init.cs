using Robotics.Torch.Native;

namespace Robotics.Torch;

public static partial class torch
{
    public static partial class nn
    {
        /// <summary>
        /// <c>torch.nn.init</c>: in-place initialisers, run without recording gradients. They draw
        /// from libtorch's generator in the same order as PyTorch, so a seed gives the same weights.
        /// </summary>
        public static class init
        {
            public static Tensor uniform_(Tensor t, double a = 0, double b = 1)
            {
                using var _ = no_grad();
                return t.uniform_(a, b);
            }

            public static Tensor normal_(Tensor t, double mean = 0, double std = 1)
            {
                using var _ = no_grad();
                return t.normal_(mean, std);
            }

            public static Tensor constant_(Tensor t, Scalar value)
            {
                using var _ = no_grad();
                return t.fill_(value);
            }

            public static Tensor zeros_(Tensor t) => constant_(t, 0);
            public static Tensor ones_(Tensor t) => constant_(t, 1);

            /// <summary>The recommended gain for a nonlinearity ("relu", "tanh", "leaky_relu", "selu", "linear", "sigmoid"...).</summary>
            public static double calculate_gain(string nonlinearity, double? param = null) => nonlinearity switch
            {
                "linear" or "conv1d" or "conv2d" or "conv3d" or "sigmoid" => 1.0,
                "tanh" => 5.0 / 3,
                "relu" => Math.Sqrt(2.0),
                "leaky_relu" => Math.Sqrt(2.0 / (1 + Math.Pow(param ?? 0.01, 2))),
                "selu" => 3.0 / 4,
                _ => throw new ArgumentException($"Unsupported nonlinearity {nonlinearity}", nameof(nonlinearity)),
            };

            /// <summary>(fan_in, fan_out) as PyTorch computes them: dims 1 and 0 times the receptive field.</summary>
            public static (long fan_in, long fan_out) calculate_fan_in_and_fan_out(Tensor t)
            {
                var s = t.shape;
                if (s.Length < 2)
                    throw new TorchException("Fan in and fan out can not be computed for tensor with fewer than 2 dimensions");
                long receptive = 1;
                for (int k = 2; k < s.Length; k++) receptive *= s[k];
                return (s[1] * receptive, s[0] * receptive);
            }

            /// <summary>He uniform: U(-b, b), b = gain·sqrt(3/fan). nn.Linear uses a = sqrt(5) (bound 1/sqrt(fan_in)).</summary>
            public static Tensor kaiming_uniform_(Tensor t, double a = 0, string mode = "fan_in", string nonlinearity = "leaky_relu")
            {
                var std = calculate_gain(nonlinearity, a) / Math.Sqrt(Fan(t, mode));
                var bound = Math.Sqrt(3.0) * std;
                return uniform_(t, -bound, bound);
            }

            public static Tensor kaiming_normal_(Tensor t, double a = 0, string mode = "fan_in", string nonlinearity = "leaky_relu") =>
                normal_(t, 0, calculate_gain(nonlinearity, a) / Math.Sqrt(Fan(t, mode)));

            public static Tensor xavier_uniform_(Tensor t, double gain = 1)
            {
                var (fi, fo) = calculate_fan_in_and_fan_out(t);
                var a = gain * Math.Sqrt(6.0 / (fi + fo));
                return uniform_(t, -a, a);
            }

            public static Tensor xavier_normal_(Tensor t, double gain = 1)
            {
                var (fi, fo) = calculate_fan_in_and_fan_out(t);
                return normal_(t, 0, gain * Math.Sqrt(2.0 / (fi + fo)));
            }

            /// <summary>A (semi-)orthogonal matrix scaled by <paramref name="gain"/> (SB3 and CleanRL's PPO init).</summary>
            public static Tensor orthogonal_(Tensor t, double gain = 1)
            {
                TorchException.Check(NativeMethods.NN_orthogonal_(t.handle, gain));
                return t;
            }

            private static long Fan(Tensor t, string mode)
            {
                var (fi, fo) = calculate_fan_in_and_fan_out(t);
                return mode switch
                {
                    "fan_in" => fi,
                    "fan_out" => fo,
                    _ => throw new ArgumentException($"Mode {mode} not supported, please use one of fan_in, fan_out", nameof(mode)),
                };
            }
        }
    }
}
