using System.Runtime.InteropServices;

namespace Robotics.Torch.Native;

internal static unsafe partial class NativeMethods
{
    // Autograd.
    [LibraryImport(Library)] internal static partial int Tensor_set_requires_grad(TensorHandle t, byte flag);
    [LibraryImport(Library)] internal static partial int Tensor_retain_grad(TensorHandle t);
    [LibraryImport(Library)] internal static partial int Tensor_grad(TensorHandle t, out IntPtr grad);
    [LibraryImport(Library)] internal static partial int Tensor_set_grad(TensorHandle t, IntPtr grad);
    [LibraryImport(Library)] internal static partial int Tensor_set_data(TensorHandle t, TensorHandle src);
    [LibraryImport(Library)] internal static partial int Tensor_backward(TensorHandle t, IntPtr grad, sbyte retainGraph, byte createGraph);
    [LibraryImport(Library)]
    internal static partial int Autograd_grad(IntPtr* outputs, long nOutputs, IntPtr* inputs, long nInputs, IntPtr* gradOutputs,
                                              sbyte retainGraph, byte createGraph, byte allowUnused, IntPtr* result);

    // Layers.
    [LibraryImport(Library)] internal static partial IntPtr NN_linear(TensorHandle x, TensorHandle w, IntPtr b);
    [LibraryImport(Library)] internal static partial IntPtr NN_conv2d(TensorHandle x, TensorHandle w, IntPtr b, long* stride, long* padding, long* dilation, long groups);
    [LibraryImport(Library)] internal static partial IntPtr NN_layer_norm(TensorHandle x, long* shape, long n, IntPtr w, IntPtr b, double eps);
    [LibraryImport(Library)] internal static partial IntPtr NN_dropout(TensorHandle x, double p, byte train);
    [LibraryImport(Library)] internal static partial IntPtr NN_embedding(TensorHandle w, TensorHandle indices, long paddingIdx);
    [LibraryImport(Library)] internal static partial IntPtr NN_normalize(TensorHandle x, double p, long dim, double eps);
    [LibraryImport(Library)] internal static partial IntPtr NN_cosine_similarity(TensorHandle a, TensorHandle b, long dim, double eps);
    [LibraryImport(Library)] internal static partial IntPtr NN_max_pool2d(TensorHandle x, long* kernel, long* stride, long* padding, byte ceilMode);
    [LibraryImport(Library)] internal static partial IntPtr NN_avg_pool2d(TensorHandle x, long* kernel, long* stride, long* padding, byte ceilMode);
    [LibraryImport(Library)] internal static partial IntPtr NN_adaptive_avg_pool2d(TensorHandle x, long* size);
    [LibraryImport(Library)] internal static partial IntPtr NN_interpolate(TensorHandle x, int mode, long* size, double* scale, sbyte alignCorners);

    // Losses (reduction: 0 none, 1 mean, 2 sum).
    [LibraryImport(Library)] internal static partial IntPtr NN_mse_loss(TensorHandle a, TensorHandle b, long reduction);
    [LibraryImport(Library)] internal static partial IntPtr NN_l1_loss(TensorHandle a, TensorHandle b, long reduction);
    [LibraryImport(Library)] internal static partial IntPtr NN_smooth_l1_loss(TensorHandle a, TensorHandle b, long reduction, double beta);
    [LibraryImport(Library)] internal static partial IntPtr NN_huber_loss(TensorHandle a, TensorHandle b, long reduction, double delta);
    [LibraryImport(Library)] internal static partial IntPtr NN_binary_cross_entropy(TensorHandle a, TensorHandle b, IntPtr weight, long reduction);
    [LibraryImport(Library)] internal static partial IntPtr NN_binary_cross_entropy_with_logits(TensorHandle a, TensorHandle b, IntPtr weight, IntPtr posWeight, long reduction);
    [LibraryImport(Library)] internal static partial IntPtr NN_cross_entropy(TensorHandle logits, TensorHandle target, IntPtr weight, long reduction, long ignoreIndex, double labelSmoothing);
    [LibraryImport(Library)] internal static partial IntPtr NN_nll_loss(TensorHandle logp, TensorHandle target, IntPtr weight, long reduction, long ignoreIndex);

    [LibraryImport(Library)]
    internal static partial IntPtr NN_scaled_dot_product_attention(TensorHandle q, TensorHandle k, TensorHandle v, IntPtr mask, double dropoutP,
                                                                   byte isCausal, double scale, IntPtr* weights);
    [LibraryImport(Library)] internal static partial int NN_clip_grad_norm_(IntPtr* parameters, long n, double maxNorm, double normType, out double totalNorm);
    [LibraryImport(Library)] internal static partial int NN_orthogonal_(TensorHandle t, double gain);

    // Optimizers and list ops.
    [LibraryImport(Library)]
    internal static partial int Optim_adam_step(IntPtr* parameters, IntPtr* expAvg, IntPtr* expAvgSq, IntPtr* maxExpAvgSq, long* steps, long n,
                                                double lr, double beta1, double beta2, double eps, double weightDecay,
                                                byte decoupled, byte amsgrad, byte maximize);
    [LibraryImport(Library)]
    internal static partial int Optim_sgd_step(IntPtr* parameters, IntPtr* momentumBuffers, long* steps, long n, double lr, double momentum,
                                               double dampening, double weightDecay, byte nesterov, byte maximize);
    [LibraryImport(Library)] internal static partial int Optim_zero_grad(IntPtr* parameters, long n, byte setToNone);
    [LibraryImport(Library)] internal static partial int Tensor_foreach_mul_scalar_(IntPtr* tensors, long n, Scalar value);
    [LibraryImport(Library)] internal static partial int Tensor_foreach_add_list_(IntPtr* tensors, IntPtr* others, long n, Scalar alpha);
    [LibraryImport(Library)] internal static partial int Tensor_foreach_zero_(IntPtr* tensors, long n);
}
