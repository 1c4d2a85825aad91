using Robotics.Torch.Modules;

namespace Robotics.Torch;

public static partial class torch
{
    /// <summary><c>torch.nn</c>: module factories (classes in Robotics.Torch.Modules), <c>functional</c>, <c>init</c>, <c>utils</c>.</summary>
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

        public static LayerNorm LayerNorm(long normalized_shape, double eps = 1e-5, bool elementwise_affine = true, Device? device = null,
                                          ScalarType? dtype = null) => new([normalized_shape], eps, elementwise_affine, device, dtype);
        public static LayerNorm LayerNorm(long[] normalized_shape, double eps = 1e-5, bool elementwise_affine = true, Device? device = null,
                                          ScalarType? dtype = null) => new(normalized_shape, eps, elementwise_affine, device, dtype);

        public static Conv2d Conv2d(long in_channels, long out_channels, long kernel_size, long stride = 1, long padding = 0, long dilation = 1,
                                    long groups = 1, bool bias = true, Device? device = null, ScalarType? dtype = null) =>
            new(in_channels, out_channels, (kernel_size, kernel_size), (stride, stride), (padding, padding), (dilation, dilation), groups, bias, device, dtype);
        public static Conv2d Conv2d(long in_channels, long out_channels, (long h, long w) kernel_size, (long h, long w)? stride = null,
                                    (long h, long w)? padding = null, (long h, long w)? dilation = null, long groups = 1, bool bias = true,
                                    Device? device = null, ScalarType? dtype = null) =>
            new(in_channels, out_channels, kernel_size, stride, padding, dilation, groups, bias, device, dtype);

        public static Embedding Embedding(long num_embeddings, long embedding_dim, long? padding_idx = null, Device? device = null,
                                          ScalarType? dtype = null) => new(num_embeddings, embedding_dim, padding_idx, device, dtype);

        public static Dropout Dropout(double p = 0.5) => new(p);

        public static MultiheadAttention MultiheadAttention(long embed_dim, long num_heads, double dropout = 0, bool bias = true, bool batch_first = false,
                                                            Device? device = null, ScalarType? dtype = null) =>
            new(embed_dim, num_heads, dropout, bias, batch_first, device, dtype);

        public static ModuleList<T> ModuleList<T>(params IEnumerable<T> modules) where T : Module => new(modules);

        /// <summary>Linear layers through <paramref name="sizes"/> with <paramref name="activation"/> between them; see <see cref="Modules.MLP"/>.</summary>
        public static Sequential MLP(IReadOnlyList<long> sizes, Func<Module<Tensor, Tensor>>? activation = null,
                                     Func<Module<Tensor, Tensor>>? output_activation = null, Device? device = null, ScalarType? dtype = null) =>
            Modules.MLP.Create(sizes, activation, output_activation, device, dtype);
    }
}
