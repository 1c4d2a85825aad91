using Robotics.Torch.Native;

namespace Robotics.Torch;

public static partial class torch
{
    public static partial class nn
    {
        /// <summary>PyTorch's <c>torch.nn.functional</c> (usually imported as F).</summary>
        public static unsafe class functional
        {
            // ---- activations ----
            public static Tensor relu(Tensor x) => x.relu();
            public static Tensor tanh(Tensor x) => x.tanh();
            public static Tensor sigmoid(Tensor x) => x.sigmoid();
            public static Tensor silu(Tensor x) => x.silu();
            public static Tensor mish(Tensor x) => x.mish();
            public static Tensor gelu(Tensor x, string approximate = "none") => x.gelu(approximate);
            public static Tensor elu(Tensor x, double alpha = 1) => x.elu(alpha);
            public static Tensor leaky_relu(Tensor x, double negative_slope = 0.01) => x.leaky_relu(negative_slope);
            public static Tensor softplus(Tensor x, double beta = 1, double threshold = 20) => x.softplus(beta, threshold);
            public static Tensor logsigmoid(Tensor x) => x.log_sigmoid();
            public static Tensor hardtanh(Tensor x, double min_val = -1, double max_val = 1) => x.hardtanh(min_val, max_val);
            public static Tensor softmax(Tensor x, long dim) => x.softmax(dim);
            public static Tensor log_softmax(Tensor x, long dim) => x.log_softmax(dim);

            // ---- layers ----

            /// <summary><c>x @ weight.T + bias</c>, one fused native call (addmm for 2-D input).</summary>
            public static Tensor linear(Tensor input, Tensor weight, Tensor? bias = null)
            {
                using var b = new OptionalHandle(bias);
                return Tensor.Wrap(NativeMethods.NN_linear(input.handle, weight.handle, b.Ptr));
            }

            /// <summary>2-D convolution over [N, C, H, W] input; weight is [out, in/groups, kH, kW].</summary>
            public static Tensor conv2d(Tensor input, Tensor weight, Tensor? bias = null, (long h, long w)? stride = null, (long h, long w)? padding = null,
                                        (long h, long w)? dilation = null, long groups = 1)
            {
                var s = stride ?? (1, 1);
                var p = padding ?? (0, 0);
                var d = dilation ?? (1, 1);
                long* sv = stackalloc long[] { s.h, s.w };
                long* pv = stackalloc long[] { p.h, p.w };
                long* dv = stackalloc long[] { d.h, d.w };
                using var b = new OptionalHandle(bias);
                return Tensor.Wrap(NativeMethods.NN_conv2d(input.handle, weight.handle, b.Ptr, sv, pv, dv, groups));
            }

            /// <summary>Normalises over the trailing <paramref name="normalized_shape"/> dimensions.</summary>
            public static Tensor layer_norm(Tensor input, ReadOnlySpan<long> normalized_shape, Tensor? weight = null, Tensor? bias = null, double eps = 1e-5)
            {
                using var w = new OptionalHandle(weight);
                using var b = new OptionalHandle(bias);
                fixed (long* s = normalized_shape)
                    return Tensor.Wrap(NativeMethods.NN_layer_norm(input.handle, s, normalized_shape.Length, w.Ptr, b.Ptr, eps));
            }

            /// <summary>Zeroes elements with probability p and rescales by 1/(1-p) when <paramref name="training"/>.</summary>
            public static Tensor dropout(Tensor input, double p = 0.5, bool training = true)
            {
                if (p < 0 || p > 1) throw new ArgumentOutOfRangeException(nameof(p), p, "dropout probability has to be between 0 and 1");
                return Tensor.Wrap(NativeMethods.NN_dropout(input.handle, p, training ? (byte)1 : (byte)0));
            }

            /// <summary>Rows of <paramref name="weight"/> picked by int64 <paramref name="input"/> indices.</summary>
            public static Tensor embedding(Tensor input, Tensor weight, long padding_idx = -1) =>
                Tensor.Wrap(NativeMethods.NN_embedding(weight.handle, input.handle, padding_idx));

            /// <summary>Divides by the p-norm along <paramref name="dim"/> (at least <paramref name="eps"/>).</summary>
            public static Tensor normalize(Tensor input, double p = 2, long dim = 1, double eps = 1e-12) =>
                Tensor.Wrap(NativeMethods.NN_normalize(input.handle, p, dim, eps));

            public static Tensor cosine_similarity(Tensor x1, Tensor x2, long dim = 1, double eps = 1e-8) =>
                Tensor.Wrap(NativeMethods.NN_cosine_similarity(x1.handle, x2.handle, dim, eps));

            public static Tensor one_hot(Tensor indices, long num_classes = -1) => Tensor.Wrap(NativeMethods.Tensor_one_hot(indices.handle, num_classes));

            /// <summary>Constant padding; <paramref name="pad"/> lists (before, after) pairs from the last dimension backwards, as PyTorch.</summary>
            public static Tensor pad(Tensor input, ReadOnlySpan<long> pad, double value = 0)
            {
                fixed (long* p = pad) return Tensor.Wrap(NativeMethods.Tensor_pad(input.handle, p, pad.Length, value));
            }

            public static Tensor max_pool2d(Tensor input, (long h, long w) kernel_size, (long h, long w)? stride = null, (long h, long w)? padding = null,
                                            bool ceil_mode = false)
            {
                var s = stride ?? kernel_size;
                var p = padding ?? (0, 0);
                long* kv = stackalloc long[] { kernel_size.h, kernel_size.w };
                long* sv = stackalloc long[] { s.h, s.w };
                long* pv = stackalloc long[] { p.h, p.w };
                return Tensor.Wrap(NativeMethods.NN_max_pool2d(input.handle, kv, sv, pv, ceil_mode ? (byte)1 : (byte)0));
            }

            public static Tensor avg_pool2d(Tensor input, (long h, long w) kernel_size, (long h, long w)? stride = null, (long h, long w)? padding = null,
                                            bool ceil_mode = false)
            {
                var s = stride ?? kernel_size;
                var p = padding ?? (0, 0);
                long* kv = stackalloc long[] { kernel_size.h, kernel_size.w };
                long* sv = stackalloc long[] { s.h, s.w };
                long* pv = stackalloc long[] { p.h, p.w };
                return Tensor.Wrap(NativeMethods.NN_avg_pool2d(input.handle, kv, sv, pv, ceil_mode ? (byte)1 : (byte)0));
            }

            public static Tensor adaptive_avg_pool2d(Tensor input, (long h, long w) output_size)
            {
                long* sv = stackalloc long[] { output_size.h, output_size.w };
                return Tensor.Wrap(NativeMethods.NN_adaptive_avg_pool2d(input.handle, sv));
            }

            /// <summary>
            /// Resizes [N, C, H, W] images to <paramref name="size"/> or by <paramref name="scale_factor"/>
            /// (exactly one). <paramref name="align_corners"/> applies to bilinear/bicubic only, as in PyTorch.
            /// </summary>
            public static Tensor interpolate(Tensor input, (long h, long w)? size = null, (double h, double w)? scale_factor = null,
                                             InterpolationMode mode = InterpolationMode.Nearest, bool? align_corners = null)
            {
                long* sv = stackalloc long[2];
                double* fv = stackalloc double[2];
                if (size is { } s) { sv[0] = s.h; sv[1] = s.w; }
                if (scale_factor is { } f) { fv[0] = f.h; fv[1] = f.w; }
                sbyte ac = align_corners is null ? (sbyte)-1 : align_corners.Value ? (sbyte)1 : (sbyte)0;
                return Tensor.Wrap(NativeMethods.NN_interpolate(input.handle, (int)mode, size is null ? null : sv, scale_factor is null ? null : fv, ac));
            }

            // ---- losses ----
            public static Tensor mse_loss(Tensor input, Tensor target, Reduction reduction = Reduction.Mean) =>
                Tensor.Wrap(NativeMethods.NN_mse_loss(input.handle, target.handle, (long)reduction));

            public static Tensor l1_loss(Tensor input, Tensor target, Reduction reduction = Reduction.Mean) =>
                Tensor.Wrap(NativeMethods.NN_l1_loss(input.handle, target.handle, (long)reduction));

            /// <summary>Quadratic below <paramref name="beta"/>, linear above, divided by beta (PyTorch's smooth_l1_loss).</summary>
            public static Tensor smooth_l1_loss(Tensor input, Tensor target, Reduction reduction = Reduction.Mean, double beta = 1.0) =>
                Tensor.Wrap(NativeMethods.NN_smooth_l1_loss(input.handle, target.handle, (long)reduction, beta));

            /// <summary>Quadratic below <paramref name="delta"/>, linear above, not divided (Huber); equals smooth_l1 * delta.</summary>
            public static Tensor huber_loss(Tensor input, Tensor target, Reduction reduction = Reduction.Mean, double delta = 1.0) =>
                Tensor.Wrap(NativeMethods.NN_huber_loss(input.handle, target.handle, (long)reduction, delta));

            /// <summary>BCE on probabilities; prefer <see cref="binary_cross_entropy_with_logits"/> for stability.</summary>
            public static Tensor binary_cross_entropy(Tensor input, Tensor target, Tensor? weight = null, Reduction reduction = Reduction.Mean)
            {
                using var w = new OptionalHandle(weight);
                return Tensor.Wrap(NativeMethods.NN_binary_cross_entropy(input.handle, target.handle, w.Ptr, (long)reduction));
            }

            public static Tensor binary_cross_entropy_with_logits(Tensor input, Tensor target, Tensor? weight = null, Tensor? pos_weight = null,
                                                                  Reduction reduction = Reduction.Mean)
            {
                using var w = new OptionalHandle(weight);
                using var pw = new OptionalHandle(pos_weight);
                return Tensor.Wrap(NativeMethods.NN_binary_cross_entropy_with_logits(input.handle, target.handle, w.Ptr, pw.Ptr, (long)reduction));
            }

            /// <summary>Softmax cross-entropy of [N, C] logits against int64 class indices [N] (or class probabilities [N, C]).</summary>
            public static Tensor cross_entropy(Tensor input, Tensor target, Tensor? weight = null, Reduction reduction = Reduction.Mean,
                                               long ignore_index = -100, double label_smoothing = 0)
            {
                using var w = new OptionalHandle(weight);
                return Tensor.Wrap(NativeMethods.NN_cross_entropy(input.handle, target.handle, w.Ptr, (long)reduction, ignore_index, label_smoothing));
            }

            public static Tensor nll_loss(Tensor input, Tensor target, Tensor? weight = null, Reduction reduction = Reduction.Mean, long ignore_index = -100)
            {
                using var w = new OptionalHandle(weight);
                return Tensor.Wrap(NativeMethods.NN_nll_loss(input.handle, target.handle, w.Ptr, (long)reduction, ignore_index));
            }

            // ---- attention ----

            /// <summary>
            /// softmax(q kᵀ · scale + mask) v over the last two dimensions, with PyTorch 2's semantics:
            /// a bool <paramref name="attn_mask"/> is True where attention is allowed, a float one is added
            /// to the scores; <paramref name="is_causal"/> masks the future; scale defaults to 1/sqrt(E).
            /// </summary>
            public static Tensor scaled_dot_product_attention(Tensor query, Tensor key, Tensor value, Tensor? attn_mask = null, double dropout_p = 0,
                                                              bool is_causal = false, double? scale = null) =>
                Attention(query, key, value, attn_mask, dropout_p, is_causal, scale, weights: null);

            /// <summary>As <see cref="scaled_dot_product_attention"/>, also returning the attention weights.</summary>
            internal static Tensor Attention(Tensor query, Tensor key, Tensor value, Tensor? attn_mask, double dropout_p, bool is_causal, double? scale,
                                             IntPtr* weights)
            {
                using var m = new OptionalHandle(attn_mask);
                return Tensor.Wrap(NativeMethods.NN_scaled_dot_product_attention(query.handle, key.handle, value.handle, m.Ptr, dropout_p,
                                                                                 is_causal ? (byte)1 : (byte)0, scale ?? double.NaN, weights));
            }
        }
    }
}
