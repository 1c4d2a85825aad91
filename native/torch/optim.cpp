// Optimizer steps over a whole parameter group in one call, plus zero_grad and the _foreach_
// helpers. State tensors (moments, momentum buffers) and step counts are owned by C#, which
// passes them in, so saving an optimizer is saving ordinary tensors.
#include "shim.h"

#include <ATen/Parallel.h>

#include <cmath>

// GCC/Clang build the fused loop twice (AVX2 and baseline) and pick at load time; MSVC gets one build.
#if defined(_MSC_VER)
#define ROBOTICS_TARGET_CLONES
#define ROBOTICS_ALWAYS_INLINE __forceinline
#else
#define ROBOTICS_TARGET_CLONES __attribute__((target_clones("avx2", "default")))
#define ROBOTICS_ALWAYS_INLINE __attribute__((always_inline)) inline
#endif

namespace {

struct AdamConfig {
  double lr, beta1, beta2, eps, weight_decay;
  bool decoupled, amsgrad, maximize;
};

struct AdamScalars {
  float b1, a1, b2, a2, wd, eps, bc2, neg_step, sign;
  bool l2;
};

// Single-pass Adam for CPU float32 contiguous tensors: reads grad/param/moments once instead of
// the seven passes the op-by-op form makes. Same float arithmetic, in the same order, as the
// op-by-op form below, so both paths give the same numbers. The branch on L2 decay sits outside
// the loop so the loop vectorises.
template <bool L2>
ROBOTICS_ALWAYS_INLINE void adam_loop(float* __restrict p, const float* __restrict g, float* __restrict m,
                                                     float* __restrict v, int64_t begin, int64_t end, const AdamScalars& c) {
#pragma omp simd
  for (int64_t i = begin; i < end; i++) {
    float gi = c.sign * g[i];
    if (L2) gi = gi + c.wd * p[i];
    float mi = m[i] * c.b1;
    mi = mi + c.a1 * gi;
    float vi = v[i] * c.b2;
    vi = vi + c.a2 * gi * gi;
    m[i] = mi;
    v[i] = vi;
    const float denom = std::sqrt(vi) / c.bc2 + c.eps;
    p[i] = p[i] + c.neg_step * (mi / denom);
  }
}

ROBOTICS_TARGET_CLONES void adam_kernel(float* p, const float* g, float* m, float* v, int64_t begin,
                                                                   int64_t end, const AdamScalars c) {
  if (c.l2)
    adam_loop<true>(p, g, m, v, begin, end, c);
  else
    adam_loop<false>(p, g, m, v, begin, end, c);
}

void adam_fused_cpu(float* p, const float* g, float* m, float* v, int64_t n, const AdamConfig& c, double step_size, double bc2_sqrt) {
  const AdamScalars s{static_cast<float>(c.beta1),       static_cast<float>(1 - c.beta1), static_cast<float>(c.beta2),
                      static_cast<float>(1 - c.beta2),   static_cast<float>(c.weight_decay), static_cast<float>(c.eps),
                      static_cast<float>(bc2_sqrt),      static_cast<float>(-step_size), c.maximize ? -1.0f : 1.0f,
                      !c.decoupled && c.weight_decay != 0};
  at::parallel_for(0, n, 1 << 16, [&](int64_t begin, int64_t end) { adam_kernel(p, g, m, v, begin, end, s); });
}

bool fusable(const at::Tensor& p, const at::Tensor& g, const at::Tensor& m, const at::Tensor& v) {
  auto ok = [&](const at::Tensor& t) {
    return t.device().is_cpu() && t.scalar_type() == at::kFloat && t.is_contiguous() && t.numel() == p.numel();
  };
  return ok(p) && ok(g) && ok(m) && ok(v);
}

}  // namespace

// Adam / AdamW (decoupled = 1) with PyTorch's defaults and semantics: per-parameter step counts
// (steps[k], incremented here), parameters without a gradient skipped, amsgrad optional
// (max_exp_avg_sq may be NULL when it is off).
EXPORT int32_t Optim_adam_step(const TH* params, const TH* exp_avg, const TH* exp_avg_sq, const TH* max_exp_avg_sq,
                               int64_t* steps, int64_t n, double lr, double beta1, double beta2, double eps,
                               double weight_decay, uint8_t decoupled, uint8_t amsgrad, uint8_t maximize) {
  GUARD_STATUS({
    at::NoGradGuard no_grad;
    const AdamConfig c{lr, beta1, beta2, eps, weight_decay, decoupled != 0, amsgrad != 0, maximize != 0};
    for (int64_t k = 0; k < n; k++) {
      at::Tensor& p = *params[k];
      const at::Tensor& grad = p.grad();
      if (!grad.defined()) continue;
      at::Tensor& m = *exp_avg[k];
      at::Tensor& v = *exp_avg_sq[k];
      const int64_t step = ++steps[k];
      if (c.decoupled && c.weight_decay != 0) p.mul_(1 - lr * weight_decay);
      const double bc1 = 1 - std::pow(beta1, static_cast<double>(step));
      const double bc2 = 1 - std::pow(beta2, static_cast<double>(step));
      const double step_size = lr / bc1;
      const double bc2_sqrt = std::sqrt(bc2);
      if (!c.amsgrad && fusable(p, grad, m, v)) {
        adam_fused_cpu(p.data_ptr<float>(), grad.data_ptr<float>(), m.data_ptr<float>(), v.data_ptr<float>(), p.numel(), c,
                       step_size, bc2_sqrt);
        continue;
      }
      at::Tensor g = c.maximize ? -grad : grad;
      if (!c.decoupled && weight_decay != 0) g = g.add(p, weight_decay);
      m.mul_(beta1).add_(g, 1 - beta1);
      v.mul_(beta2).addcmul_(g, g, 1 - beta2);
      at::Tensor denom;
      if (c.amsgrad) {
        at::Tensor& vmax = *max_exp_avg_sq[k];
        at::maximum_out(vmax, vmax, v);
        denom = (vmax.sqrt() / bc2_sqrt).add_(eps);
      } else {
        denom = (v.sqrt() / bc2_sqrt).add_(eps);
      }
      p.addcdiv_(m, denom, -step_size);
    }
  })
}

// SGD with optional momentum / dampening / Nesterov, as torch.optim.SGD. The momentum buffer
// starts as a copy of the first gradient (steps[k] == 0), like PyTorch's lazily created one.
EXPORT int32_t Optim_sgd_step(const TH* params, const TH* momentum_buffers, int64_t* steps, int64_t n, double lr,
                              double momentum, double dampening, double weight_decay, uint8_t nesterov, uint8_t maximize) {
  GUARD_STATUS({
    at::NoGradGuard no_grad;
    for (int64_t k = 0; k < n; k++) {
      at::Tensor& p = *params[k];
      const at::Tensor& grad = p.grad();
      if (!grad.defined()) continue;
      at::Tensor g = weight_decay != 0 ? grad.add(p, weight_decay) : grad;
      if (momentum != 0) {
        at::Tensor& buf = *momentum_buffers[k];
        if (steps[k] == 0)
          buf.copy_(g);
        else
          buf.mul_(momentum).add_(g, 1 - dampening);
        g = nesterov ? g.add(buf, momentum) : buf;
      }
      steps[k]++;
      p.add_(g, maximize ? lr : -lr);
    }
  })
}

// set_to_none = 1 drops the gradients (PyTorch 2's default; backward then writes fresh ones
// instead of accumulating into zeros); 0 zeroes them in place.
EXPORT int32_t Optim_zero_grad(const TH* params, int64_t n, uint8_t set_to_none) {
  GUARD_STATUS({
    for (int64_t k = 0; k < n; k++) {
      at::Tensor& g = params[k]->mutable_grad();
      if (!g.defined()) continue;
      if (set_to_none) {
        g.reset();
      } else {
        if (g.grad_fn())
          g = g.detach();
        else
          g.requires_grad_(false);
        g.zero_();
      }
    }
  })
}

// torch._foreach_mul_ / _foreach_add_: one call for a whole list (the soft target update).
EXPORT int32_t Tensor_foreach_mul_scalar_(const TH* ts, int64_t n, ScalarArg s) {
  GUARD_STATUS(at::_foreach_mul_(to_vector(ts, n), to_scalar(s)))
}
EXPORT int32_t Tensor_foreach_add_list_(const TH* ts, const TH* others, int64_t n, ScalarArg alpha) {
  GUARD_STATUS(at::_foreach_add_(to_vector(ts, n), to_vector(others, n), to_scalar(alpha)))
}
EXPORT int32_t Tensor_foreach_zero_(const TH* ts, int64_t n) { GUARD_STATUS(at::_foreach_zero_(to_vector(ts, n))) }
