using Robotics.Torch.Modules;

namespace Robotics.Torch;

public static partial class torch
{
    /// <summary><c>torch.nn</c>: module factories (classes in Robotics.Torch.Modules), <see cref="functional"/>, <see cref="init"/>, <see cref="utils"/>.</summary>
    public static partial class nn
    {
        public static Linear Linear(long in_features, long out_features, bool bias = true, Device? device = null, ScalarType? dtype = null) =>
            new(in_features, out_features, bias, device, dtype);

        public static Sequential Sequential(params Module<Tensor, Tensor>[] modules) => new(modules);
        public static Sequential Sequential(params (string name, Module<Tensor, Tensor> module)[] modules) => new(modules);

        public static ReLU ReLU() => new();
        public static Tanh Tanh() => new();
        public static Sigmoid Sigmoid() => new();
        public static GELU GELU(string approximate = "none") => new(approximate);
        public static SiLU SiLU() => new();
        public static ELU ELU(double alpha = 1) => new(alpha);
        public static LeakyReLU LeakyReLU(double negative_slope = 0.01) => new(negative_slope);
        public static Mish Mish() => new();
        public static Softplus Softplus(double beta = 1, double threshold = 20) => new(beta, threshold);
        public static Softmax Softmax(long dim) => new(dim);
        public static Identity Identity() => new();
        public static Flatten Flatten(long start_dim = 1, long end_dim = -1) => new(start_dim, end_dim);
    }
}
