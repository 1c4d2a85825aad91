// Autograd (requires_grad, grads, backward) and the nn.functional kernels: layers, losses,
// attention, interpolation, pooling, gradient clipping.
#include "shim.h"

#include <torch/csrc/autograd/autograd.h>

#include <cmath>
#include <limits>

// ---- autograd ----
EXPORT int32_t Tensor_set_requires_grad(TH t, uint8_t flag) { GUARD_STATUS(t->requires_grad_(flag != 0)) }
EXPORT int32_t Tensor_retain_grad(TH t) { GUARD_STATUS(t->retain_grad()) }

// *out = NULL when the tensor has no gradient yet (not an error).
EXPORT int32_t Tensor_grad(TH t, TH* out) {
  GUARD_STATUS({
    const auto& g = t->grad();
    *out = g.defined() ? wrap(g) : nullptr;
  })
}
// g = NULL clears the gradient (PyTorch's `p.grad = None`).
EXPORT int32_t Tensor_set_grad(TH t, TH g) {
  GUARD_STATUS({
    if (g == nullptr)
      t->mutable_grad().reset();
    else
      t->mutable_grad() = *g;
  })
}

// Replaces the tensor's data, keeping its identity (handle, autograd leaf, optimizer references):
// what Module.to(device) needs so parameters survive a move.
EXPORT int32_t Tensor_set_data(TH t, TH src) { GUARD_STATUS(t->set_data(*src)) }

// retain_graph: -1 = PyTorch's default (same as create_graph), 0 = no, 1 = yes.
static c10::optional<bool> retain(int8_t r) {
  if (r < 0) return c10::nullopt;
  return r != 0;
}

EXPORT int32_t Tensor_backward(TH t, TH grad, int8_t retain_graph, uint8_t create_graph) {
  GUARD_STATUS(torch::autograd::backward({*t}, grad == nullptr ? torch::autograd::variable_list{} : torch::autograd::variable_list{*grad},
                                         retain(retain_graph), create_graph != 0))
}

// torch.autograd.grad. grad_outputs may be NULL (all defaults) or hold NULL entries. Results are
// written to out[0..n_inputs); an unused input (allow_unused) gives a NULL handle.
EXPORT int32_t Autograd_grad(const TH* outputs, int64_t n_outputs, const TH* inputs, int64_t n_inputs, const TH* grad_outputs,
                             int8_t retain_graph, uint8_t create_graph, uint8_t allow_unused, TH* out) {
  GUARD_STATUS({
    torch::autograd::variable_list go;
    if (grad_outputs != nullptr)
      for (int64_t k = 0; k < n_outputs; k++) go.push_back(or_undefined(grad_outputs[k]));
    auto g = torch::autograd::grad(to_vector(outputs, n_outputs), to_vector(inputs, n_inputs), go, retain(retain_graph),
                                   create_graph != 0, allow_unused != 0);
    for (int64_t k = 0; k < n_inputs; k++) out[k] = g[k].defined() ? wrap(g[k]) : nullptr;
  })
}

// ---- layers ----
EXPORT TH NN_linear(TH x, TH w, TH b) { GUARD_TENSOR(at::linear(*x, *w, opt(b))) }
EXPORT TH NN_conv2d(TH x, TH w, TH b, const int64_t* stride, const int64_t* padding, const int64_t* dilation, int64_t groups) {
  GUARD_TENSOR(at::conv2d(*x, *w, opt(b), dims(stride, 2), dims(padding, 2), dims(dilation, 2), groups))
}
EXPORT TH NN_layer_norm(TH x, const int64_t* shape, int64_t n, TH w, TH b, double eps) {
  GUARD_TENSOR(at::layer_norm(*x, dims(shape, n), opt(w), opt(b), eps))
}
EXPORT TH NN_dropout(TH x, double p, uint8_t train) { GUARD_TENSOR(at::dropout(*x, p, train != 0)) }
EXPORT TH NN_embedding(TH w, TH idx, int64_t padding_idx) { GUARD_TENSOR(at::embedding(*w, *idx, padding_idx)) }
EXPORT TH NN_normalize(TH x, double p, int64_t dim, double eps) {
  GUARD_TENSOR(*x / at::norm(*x, p, {dim}, true).clamp_min(eps))
}
EXPORT TH NN_cosine_similarity(TH a, TH b, int64_t dim, double eps) { GUARD_TENSOR(at::cosine_similarity(*a, *b, dim, eps)) }
EXPORT TH NN_max_pool2d(TH x, const int64_t* kernel, const int64_t* stride, const int64_t* padding, uint8_t ceil_mode) {
  GUARD_TENSOR(at::max_pool2d(*x, dims(kernel, 2), dims(stride, 2), dims(padding, 2), {1, 1}, ceil_mode != 0))
}
EXPORT TH NN_avg_pool2d(TH x, const int64_t* kernel, const int64_t* stride, const int64_t* padding, uint8_t ceil_mode) {
  GUARD_TENSOR(at::avg_pool2d(*x, dims(kernel, 2), dims(stride, 2), dims(padding, 2), ceil_mode != 0))
}
EXPORT TH NN_adaptive_avg_pool2d(TH x, const int64_t* size) { GUARD_TENSOR(at::adaptive_avg_pool2d(*x, dims(size, 2))) }

// mode: 0 nearest, 1 bilinear, 2 bicubic. Exactly one of size / scale is non-NULL (2 entries each).
// align_corners: -1 = not given (required for nearest), 0/1 otherwise.
EXPORT TH NN_interpolate(TH x, int32_t mode, const int64_t* size, const double* scale, int8_t align_corners) {
  try {
    TORCH_CHECK((size == nullptr) != (scale == nullptr), "interpolate: give either size or scale_factor, not both");
    at::OptionalIntArrayRef out_size = size ? at::OptionalIntArrayRef(dims(size, 2)) : c10::nullopt;
    c10::optional<at::ArrayRef<double>> factors =
        scale ? c10::optional<at::ArrayRef<double>>(at::ArrayRef<double>(scale, 2)) : c10::nullopt;
    switch (mode) {
      case 0:
        TORCH_CHECK(align_corners < 0, "align_corners option can only be set with the interpolating modes: linear | bilinear | bicubic | trilinear");
        return wrap(at::upsample_nearest2d(*x, out_size, factors));
      case 1: return wrap(at::upsample_bilinear2d(*x, out_size, align_corners > 0, factors));
      case 2: return wrap(at::upsample_bicubic2d(*x, out_size, align_corners > 0, factors));
      default: TORCH_CHECK(false, "interpolate: unknown mode ", mode);
    }
  } catch (...) {
    record_current_exception();
    return nullptr;
  }
}

// ---- losses (reduction: 0 none, 1 mean, 2 sum, as at::Reduction) ----
EXPORT TH NN_mse_loss(TH a, TH b, int64_t red) { GUARD_TENSOR(at::mse_loss(*a, *b, red)) }
EXPORT TH NN_l1_loss(TH a, TH b, int64_t red) { GUARD_TENSOR(at::l1_loss(*a, *b, red)) }
EXPORT TH NN_smooth_l1_loss(TH a, TH b, int64_t red, double beta) { GUARD_TENSOR(at::smooth_l1_loss(*a, *b, red, beta)) }
EXPORT TH NN_huber_loss(TH a, TH b, int64_t red, double delta) { GUARD_TENSOR(at::huber_loss(*a, *b, red, delta)) }
EXPORT TH NN_binary_cross_entropy(TH a, TH b, TH w, int64_t red) { GUARD_TENSOR(at::binary_cross_entropy(*a, *b, opt(w), red)) }
EXPORT TH NN_binary_cross_entropy_with_logits(TH a, TH b, TH w, TH pos_w, int64_t red) {
  GUARD_TENSOR(at::binary_cross_entropy_with_logits(*a, *b, opt(w), opt(pos_w), red))
}
EXPORT TH NN_cross_entropy(TH logits, TH target, TH w, int64_t red, int64_t ignore_index, double smoothing) {
  GUARD_TENSOR(at::cross_entropy_loss(*logits, *target, opt(w), red, ignore_index, smoothing))
}
EXPORT TH NN_nll_loss(TH logp, TH target, TH w, int64_t red, int64_t ignore_index) {
  GUARD_TENSOR(at::nll_loss(*logp, *target, opt(w), red, ignore_index))
}

// ---- attention ----
// PyTorch 2's F.scaled_dot_product_attention semantics (1.13 only has a private prototype):
// a bool mask marks positions that may be attended to, a float mask is added to the scores;
// scale NaN means 1/sqrt(E). Composed from differentiable ops so autograd covers it.
// weights_out (optional) receives the attention probabilities, after dropout.
EXPORT TH NN_scaled_dot_product_attention(TH q, TH k, TH v, TH mask, double dropout_p, uint8_t is_causal, double scale,
                                          TH* weights_out) {
  try {
    const double s = std::isnan(scale) ? 1.0 / std::sqrt(static_cast<double>(q->size(-1))) : scale;
    auto scores = at::matmul(*q, k->transpose(-2, -1)) * s;
    const auto minus_inf = -std::numeric_limits<double>::infinity();
    if (is_causal) {
      TORCH_CHECK(mask == nullptr, "scaled_dot_product_attention: give attn_mask or is_causal, not both");
      auto keep = at::ones({q->size(-2), k->size(-2)}, q->options().dtype(at::kBool)).tril();
      scores = scores.masked_fill(keep.logical_not(), minus_inf);
    }
    if (mask != nullptr) {
      if (mask->scalar_type() == at::kBool)
        scores = scores.masked_fill(mask->logical_not(), minus_inf);
      else
        scores = scores + *mask;
    }
    auto attn = at::softmax(scores, -1);
    if (dropout_p > 0) attn = at::dropout(attn, dropout_p, true);
    auto out = at::matmul(attn, *v);
    if (weights_out != nullptr) *weights_out = wrap(attn);
    return wrap(std::move(out));
  } catch (...) {
    record_current_exception();
    return nullptr;
  }
}

// ---- init: torch.nn.init.orthogonal_ (QR of a Gaussian matrix, signs fixed by R's diagonal) ----
EXPORT int32_t NN_orthogonal_(TH t, double gain) {
  GUARD_STATUS({
    at::NoGradGuard no_grad;
    TORCH_CHECK(t->dim() >= 2, "Only tensors with 2 or more dimensions are supported");
    const int64_t rows = t->size(0), cols = t->numel() / rows;
    auto flat = at::empty({rows, cols}, t->options()).normal_(0, 1);
    if (rows < cols) flat = flat.t();
    auto qr = at::linalg_qr(flat);
    auto q = std::get<0>(qr), r = std::get<1>(qr);
    q = q * r.diagonal().sign();
    if (rows < cols) q = q.t();
    t->view_as(q).copy_(q);
    t->mul_(gain);
  })
}

// ---- gradient clipping: nn.utils.clip_grad_norm_ over a whole parameter list in one call ----
// Same arithmetic as PyTorch: total = norm of the per-tensor norms, every grad scaled by
// min(1, max_norm / (total + 1e-6)). norm_type = +inf uses the largest absolute entry.
EXPORT int32_t NN_clip_grad_norm_(const TH* params, int64_t n, double max_norm, double norm_type, double* total_norm) {
  GUARD_STATUS({
    at::NoGradGuard no_grad;
    std::vector<at::Tensor> grads;
    for (int64_t k = 0; k < n; k++)
      if (params[k]->grad().defined()) grads.push_back(params[k]->grad());
    if (grads.empty()) {
      *total_norm = 0.0;
    } else {
      std::vector<at::Tensor> norms;
      norms.reserve(grads.size());
      at::Tensor total;
      if (std::isinf(norm_type)) {
        for (auto& g : grads) norms.push_back(g.abs().max());
        total = at::stack(norms).max();
      } else {
        for (auto& g : grads) norms.push_back(at::norm(g, norm_type));
        total = at::norm(at::stack(norms), norm_type);
      }
      auto coef = (max_norm / (total + 1e-6)).clamp_max(1.0);
      for (auto& g : grads) g.mul_(coef.to(g.device()));
      *total_norm = total.item<double>();
    }
  })
}
