// Elementwise arithmetic, comparisons, unary functions, matrix products and reductions.
#include "shim.h"

// ---- binary, tensor with tensor ----
EXPORT TH Tensor_add(TH a, TH b, ScalarArg alpha) { GUARD_TENSOR(at::add(*a, *b, to_scalar(alpha))) }
EXPORT TH Tensor_sub(TH a, TH b, ScalarArg alpha) { GUARD_TENSOR(at::sub(*a, *b, to_scalar(alpha))) }

#define BINARY(name) \
  EXPORT TH Tensor_##name(TH a, TH b) { GUARD_TENSOR(at::name(*a, *b)) }
BINARY(mul)
BINARY(div)
BINARY(pow)
BINARY(minimum)
BINARY(maximum)
BINARY(atan2)
BINARY(remainder)
BINARY(fmod)
BINARY(eq)
BINARY(ne)
BINARY(lt)
BINARY(le)
BINARY(gt)
BINARY(ge)
BINARY(logical_and)
BINARY(logical_or)
BINARY(logical_xor)
BINARY(bitwise_and)
BINARY(bitwise_or)
BINARY(bitwise_xor)
BINARY(matmul)
BINARY(mm)
BINARY(bmm)
BINARY(outer)
BINARY(dot)
BINARY(xlogy)

// ---- binary, tensor with scalar (and scalar with tensor, for the right-hand operators) ----
EXPORT TH Tensor_add_scalar(TH a, ScalarArg b, ScalarArg alpha) { GUARD_TENSOR(at::add(*a, to_scalar(b), to_scalar(alpha))) }
EXPORT TH Tensor_sub_scalar(TH a, ScalarArg b) { GUARD_TENSOR(at::sub(*a, to_scalar(b))) }
EXPORT TH Tensor_rsub_scalar(TH a, ScalarArg b) { GUARD_TENSOR(at::rsub(*a, to_scalar(b))) }
// PyTorch computes `s / x` as x.reciprocal() * s (Tensor.__rtruediv__); keep its rounding.
EXPORT TH Tensor_rdiv_scalar(TH a, ScalarArg b) { GUARD_TENSOR(at::mul(at::reciprocal(*a), to_scalar(b))) }
EXPORT TH Tensor_rpow_scalar(TH a, ScalarArg b) { GUARD_TENSOR(at::pow(to_scalar(b), *a)) }

#define BINARY_SCALAR(name) \
  EXPORT TH Tensor_##name##_scalar(TH a, ScalarArg b) { GUARD_TENSOR(at::name(*a, to_scalar(b))) }
BINARY_SCALAR(mul)
BINARY_SCALAR(div)
BINARY_SCALAR(pow)
BINARY_SCALAR(remainder)
BINARY_SCALAR(fmod)
BINARY_SCALAR(eq)
BINARY_SCALAR(ne)
BINARY_SCALAR(lt)
BINARY_SCALAR(le)
BINARY_SCALAR(gt)
BINARY_SCALAR(ge)
BINARY_SCALAR(bitwise_and)
BINARY_SCALAR(bitwise_or)
BINARY_SCALAR(bitwise_xor)

// ---- in place (the handle keeps pointing at the same, now modified, tensor) ----
EXPORT int32_t Tensor_add_(TH a, TH b, ScalarArg alpha) { GUARD_STATUS(a->add_(*b, to_scalar(alpha))) }
EXPORT int32_t Tensor_sub_(TH a, TH b, ScalarArg alpha) { GUARD_STATUS(a->sub_(*b, to_scalar(alpha))) }
EXPORT int32_t Tensor_mul_(TH a, TH b) { GUARD_STATUS(a->mul_(*b)) }
EXPORT int32_t Tensor_div_(TH a, TH b) { GUARD_STATUS(a->div_(*b)) }
EXPORT int32_t Tensor_add_scalar_(TH a, ScalarArg b, ScalarArg alpha) { GUARD_STATUS(a->add_(to_scalar(b), to_scalar(alpha))) }
EXPORT int32_t Tensor_mul_scalar_(TH a, ScalarArg b) { GUARD_STATUS(a->mul_(to_scalar(b))) }
EXPORT int32_t Tensor_div_scalar_(TH a, ScalarArg b) { GUARD_STATUS(a->div_(to_scalar(b))) }
EXPORT int32_t Tensor_pow_scalar_(TH a, ScalarArg b) { GUARD_STATUS(a->pow_(to_scalar(b))) }
EXPORT int32_t Tensor_addcmul_(TH a, TH b, TH c, ScalarArg v) { GUARD_STATUS(a->addcmul_(*b, *c, to_scalar(v))) }
EXPORT int32_t Tensor_addcdiv_(TH a, TH b, TH c, ScalarArg v) { GUARD_STATUS(a->addcdiv_(*b, *c, to_scalar(v))) }
EXPORT int32_t Tensor_lerp_(TH a, TH end, ScalarArg w) { GUARD_STATUS(a->lerp_(*end, to_scalar(w))) }
EXPORT int32_t Tensor_clamp_(TH a, const ScalarArg* lo, const ScalarArg* hi) {
  GUARD_STATUS(a->clamp_(to_optional_scalar(lo), to_optional_scalar(hi)))
}
EXPORT int32_t Tensor_zero_(TH a) { GUARD_STATUS(a->zero_()) }
EXPORT int32_t Tensor_fill_(TH a, ScalarArg v) { GUARD_STATUS(a->fill_(to_scalar(v))) }
EXPORT int32_t Tensor_copy_(TH a, TH src, uint8_t non_blocking) { GUARD_STATUS(a->copy_(*src, non_blocking != 0)) }
EXPORT int32_t Tensor_uniform_(TH a, double lo, double hi) { GUARD_STATUS(a->uniform_(lo, hi)) }
EXPORT int32_t Tensor_normal_(TH a, double mean, double std) { GUARD_STATUS(a->normal_(mean, std)) }
EXPORT int32_t Tensor_bernoulli_(TH a, double p) { GUARD_STATUS(a->bernoulli_(p)) }
EXPORT int32_t Tensor_relu_(TH a) { GUARD_STATUS(a->relu_()) }
EXPORT int32_t Tensor_neg_(TH a) { GUARD_STATUS(a->neg_()) }
EXPORT int32_t Tensor_exp_(TH a) { GUARD_STATUS(a->exp_()) }
EXPORT int32_t Tensor_sqrt_(TH a) { GUARD_STATUS(a->sqrt_()) }

// ---- unary ----
#define UNARY(name) \
  EXPORT TH Tensor_##name(TH a) { GUARD_TENSOR(at::name(*a)) }
UNARY(neg)
UNARY(exp)
UNARY(exp2)
UNARY(expm1)
UNARY(log)
UNARY(log2)
UNARY(log10)
UNARY(log1p)
UNARY(sqrt)
UNARY(rsqrt)
UNARY(square)
UNARY(reciprocal)
UNARY(abs)
UNARY(sign)
UNARY(floor)
UNARY(ceil)
UNARY(round)
UNARY(trunc)
UNARY(frac)
UNARY(sin)
UNARY(cos)
UNARY(tan)
UNARY(asin)
UNARY(acos)
UNARY(atan)
UNARY(sinh)
UNARY(cosh)
UNARY(tanh)
UNARY(atanh)
UNARY(erf)
UNARY(erfc)
UNARY(erfinv)
UNARY(sigmoid)
UNARY(relu)
UNARY(silu)
UNARY(mish)
UNARY(log_sigmoid)
UNARY(logical_not)
UNARY(bitwise_not)
UNARY(isnan)
UNARY(isinf)
UNARY(isfinite)
UNARY(lgamma)
UNARY(digamma)

EXPORT TH Tensor_softplus(TH a, double beta, double threshold) { GUARD_TENSOR(at::softplus(*a, beta, threshold)) }
EXPORT TH Tensor_gelu(TH a, uint8_t tanh_approx) { GUARD_TENSOR(at::gelu(*a, tanh_approx ? "tanh" : "none")) }
EXPORT TH Tensor_elu(TH a, double alpha) { GUARD_TENSOR(at::elu(*a, alpha)) }
EXPORT TH Tensor_leaky_relu(TH a, double slope) { GUARD_TENSOR(at::leaky_relu(*a, slope)) }
EXPORT TH Tensor_hardtanh(TH a, double lo, double hi) { GUARD_TENSOR(at::hardtanh(*a, lo, hi)) }
EXPORT TH Tensor_nan_to_num(TH a, double nan, double posinf, double neginf) { GUARD_TENSOR(at::nan_to_num(*a, nan, posinf, neginf)) }
EXPORT TH Tensor_clamp(TH a, const ScalarArg* lo, const ScalarArg* hi) {
  GUARD_TENSOR(at::clamp(*a, to_optional_scalar(lo), to_optional_scalar(hi)))
}
EXPORT TH Tensor_clamp_tensor(TH a, TH lo, TH hi) { GUARD_TENSOR(at::clamp(*a, opt(lo), opt(hi))) }
EXPORT TH Tensor_lerp(TH a, TH end, TH weight) { GUARD_TENSOR(at::lerp(*a, *end, *weight)) }
EXPORT TH Tensor_where(TH cond, TH a, TH b) { GUARD_TENSOR(at::where(*cond, *a, *b)) }
EXPORT TH Tensor_where_scalar(TH cond, TH a, ScalarArg b) { GUARD_TENSOR(at::where(*cond, *a, to_scalar(b))) }
EXPORT TH Tensor_addmm(TH bias, TH a, TH b, ScalarArg beta, ScalarArg alpha) {
  GUARD_TENSOR(at::addmm(*bias, *a, *b, to_scalar(beta), to_scalar(alpha)))
}
EXPORT TH Tensor_einsum(const char* equation, const TH* ts, int64_t n) { GUARD_TENSOR(at::einsum(equation, to_vector(ts, n))) }
EXPORT TH Tensor_softmax(TH a, int64_t dim) { GUARD_TENSOR(at::softmax(*a, dim)) }
EXPORT TH Tensor_log_softmax(TH a, int64_t dim) { GUARD_TENSOR(at::log_softmax(*a, dim)) }

// ---- reductions ----
// dtype < 0: keep PyTorch's default accumulation dtype.
static c10::optional<at::ScalarType> opt_dtype(int32_t dtype) {
  if (dtype < 0) return c10::nullopt;
  return static_cast<at::ScalarType>(dtype);
}
// ndim < 0 means "over all dimensions".
static at::OptionalIntArrayRef opt_dims(const int64_t* d, int64_t n) {
  if (n < 0) return c10::nullopt;
  return dims(d, n);
}

EXPORT TH Tensor_sum(TH a, int32_t dtype) { GUARD_TENSOR(at::sum(*a, opt_dtype(dtype))) }
EXPORT TH Tensor_sum_dim(TH a, const int64_t* d, int64_t n, uint8_t keepdim, int32_t dtype) {
  GUARD_TENSOR(at::sum(*a, opt_dims(d, n), keepdim != 0, opt_dtype(dtype)))
}
EXPORT TH Tensor_mean(TH a, int32_t dtype) { GUARD_TENSOR(at::mean(*a, opt_dtype(dtype))) }
EXPORT TH Tensor_mean_dim(TH a, const int64_t* d, int64_t n, uint8_t keepdim, int32_t dtype) {
  GUARD_TENSOR(at::mean(*a, opt_dims(d, n), keepdim != 0, opt_dtype(dtype)))
}
EXPORT TH Tensor_prod(TH a, int32_t dtype) { GUARD_TENSOR(at::prod(*a, opt_dtype(dtype))) }
EXPORT TH Tensor_prod_dim(TH a, int64_t d, uint8_t keepdim, int32_t dtype) { GUARD_TENSOR(at::prod(*a, d, keepdim != 0, opt_dtype(dtype))) }
EXPORT TH Tensor_max(TH a) { GUARD_TENSOR(at::max(*a)) }
EXPORT TH Tensor_min(TH a) { GUARD_TENSOR(at::min(*a)) }
EXPORT int32_t Tensor_max_dim(TH a, int64_t d, uint8_t keepdim, TH* values, TH* indices) {
  GUARD_PAIR(at::max(*a, d, keepdim != 0), values, indices)
}
EXPORT int32_t Tensor_min_dim(TH a, int64_t d, uint8_t keepdim, TH* values, TH* indices) {
  GUARD_PAIR(at::min(*a, d, keepdim != 0), values, indices)
}
EXPORT TH Tensor_amax(TH a, const int64_t* d, int64_t n, uint8_t keepdim) { GUARD_TENSOR(at::amax(*a, dims(d, n), keepdim != 0)) }
EXPORT TH Tensor_amin(TH a, const int64_t* d, int64_t n, uint8_t keepdim) { GUARD_TENSOR(at::amin(*a, dims(d, n), keepdim != 0)) }
// has_dim = 0: over the flattened tensor.
EXPORT TH Tensor_argmax(TH a, uint8_t has_dim, int64_t d, uint8_t keepdim) {
  GUARD_TENSOR(at::argmax(*a, has_dim ? c10::optional<int64_t>(d) : c10::nullopt, keepdim != 0))
}
EXPORT TH Tensor_argmin(TH a, uint8_t has_dim, int64_t d, uint8_t keepdim) {
  GUARD_TENSOR(at::argmin(*a, has_dim ? c10::optional<int64_t>(d) : c10::nullopt, keepdim != 0))
}
EXPORT TH Tensor_logsumexp(TH a, const int64_t* d, int64_t n, uint8_t keepdim) { GUARD_TENSOR(at::logsumexp(*a, dims(d, n), keepdim != 0)) }
EXPORT TH Tensor_std(TH a, const int64_t* d, int64_t n, int64_t correction, uint8_t keepdim) {
  GUARD_TENSOR(at::std(*a, opt_dims(d, n), c10::optional<int64_t>(correction), keepdim != 0))
}
EXPORT TH Tensor_var(TH a, const int64_t* d, int64_t n, int64_t correction, uint8_t keepdim) {
  GUARD_TENSOR(at::var(*a, opt_dims(d, n), c10::optional<int64_t>(correction), keepdim != 0))
}
EXPORT TH Tensor_norm(TH a, double p, const int64_t* d, int64_t n, uint8_t keepdim) {
  GUARD_TENSOR(n < 0 ? at::norm(*a, p) : at::norm(*a, p, dims(d, n), keepdim != 0))
}
EXPORT TH Tensor_cumsum(TH a, int64_t d) { GUARD_TENSOR(at::cumsum(*a, d)) }
EXPORT TH Tensor_cumprod(TH a, int64_t d) { GUARD_TENSOR(at::cumprod(*a, d)) }
EXPORT TH Tensor_all(TH a) { GUARD_TENSOR(at::all(*a)) }
EXPORT TH Tensor_any(TH a) { GUARD_TENSOR(at::any(*a)) }
EXPORT TH Tensor_all_dim(TH a, int64_t d, uint8_t keepdim) { GUARD_TENSOR(at::all(*a, d, keepdim != 0)) }
EXPORT TH Tensor_any_dim(TH a, int64_t d, uint8_t keepdim) { GUARD_TENSOR(at::any(*a, d, keepdim != 0)) }
EXPORT int32_t Tensor_sort(TH a, int64_t d, uint8_t descending, TH* values, TH* indices) {
  GUARD_PAIR(at::sort(*a, d, descending != 0), values, indices)
}
EXPORT int32_t Tensor_topk(TH a, int64_t k, int64_t d, uint8_t largest, uint8_t sorted, TH* values, TH* indices) {
  GUARD_PAIR(at::topk(*a, k, d, largest != 0, sorted != 0), values, indices)
}
EXPORT TH Tensor_argsort(TH a, int64_t d, uint8_t descending) { GUARD_TENSOR(at::argsort(*a, d, descending != 0)) }
EXPORT TH Tensor_multinomial(TH probs, int64_t n, uint8_t replacement) { GUARD_TENSOR(at::multinomial(*probs, n, replacement != 0)) }
EXPORT TH Tensor_bernoulli(TH probs) { GUARD_TENSOR(at::bernoulli(*probs)) }
// 1 = true, 0 = false, -1 = error.
EXPORT int32_t Tensor_allclose(TH a, TH b, double rtol, double atol, uint8_t equal_nan) {
  try {
    return at::allclose(*a, *b, rtol, atol, equal_nan != 0) ? 1 : 0;
  } catch (...) {
    record_current_exception();
    return -1;
  }
}
EXPORT int32_t Tensor_equal(TH a, TH b) {
  try {
    return at::equal(*a, *b) ? 1 : 0;
  } catch (...) {
    record_current_exception();
    return -1;
  }
}
