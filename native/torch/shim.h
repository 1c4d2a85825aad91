// Shared by every translation unit of the libtorch shim: the handle type, the scalar and
// option decoders, and the error guard that keeps C++ exceptions on this side of the boundary.
#pragma once

#include <ATen/ATen.h>
#include <cstdint>
#include <vector>

#if defined(_WIN32)
#define EXPORT extern "C" __declspec(dllexport)
#else
#define EXPORT extern "C" __attribute__((visibility("default")))
#endif

// A tensor crosses the boundary as a heap-allocated at::Tensor (one refcount on its TensorImpl).
// C# owns it through a SafeHandle and frees it with Tensor_dispose.
typedef at::Tensor* TH;

// A PyTorch Scalar as C# passes it: by value, blittable. kind 0 = floating, 1 = integral, 2 = bool.
struct ScalarArg {
  double d;
  int64_t i;
  int32_t kind;
};

// Records the exception being handled (call only from inside a catch block) as this thread's
// last error. c10::Error loses its C++ backtrace: the message is what a user can act on.
void record_current_exception() noexcept;

inline at::Scalar to_scalar(const ScalarArg& s) {
  switch (s.kind) {
    case 1: return at::Scalar(s.i);
    case 2: return at::Scalar(s.i != 0);
    default: return at::Scalar(s.d);
  }
}

inline c10::optional<at::Scalar> to_optional_scalar(const ScalarArg* s) {
  if (s == nullptr) return c10::nullopt;
  return to_scalar(*s);
}

inline TH wrap(at::Tensor t) { return new at::Tensor(std::move(t)); }

// Optional tensor arguments arrive as NULL handles.
inline c10::optional<at::Tensor> opt(TH t) {
  if (t == nullptr) return c10::nullopt;
  return *t;
}
inline at::Tensor or_undefined(TH t) { return t == nullptr ? at::Tensor() : *t; }

inline std::vector<at::Tensor> to_vector(const TH* ts, int64_t n) {
  std::vector<at::Tensor> v;
  v.reserve(static_cast<size_t>(n));
  for (int64_t k = 0; k < n; k++) v.push_back(*ts[k]);
  return v;
}

inline at::IntArrayRef dims(const int64_t* p, int64_t n) { return at::IntArrayRef(p, static_cast<size_t>(n)); }

// dtype < 0 means "the default dtype"; device_type follows c10::DeviceType (0 = CPU, 1 = CUDA).
inline at::TensorOptions make_options(int32_t dtype, int32_t device_type, int32_t device_index) {
  auto o = at::TensorOptions().device(
      c10::Device(static_cast<c10::DeviceType>(device_type), static_cast<c10::DeviceIndex>(device_index)));
  if (dtype >= 0) o = o.dtype(static_cast<at::ScalarType>(dtype));
  return o;
}

// at:: factories ignore TensorOptions::requires_grad (only torch:: ones honour it), so it is set after.
inline at::Tensor leaf(at::Tensor t, uint8_t requires_grad) {
  if (requires_grad) t.requires_grad_(true);
  return t;
}

// The guards. Every export's body runs inside one of these; failures become NULL or -1 plus a
// thread-local message that C# reads with Torch_last_error.
#define GUARD_TENSOR(...)               \
  try {                                 \
    return wrap(__VA_ARGS__);                  \
  } catch (...) {                       \
    record_current_exception();         \
    return nullptr;                     \
  }

#define GUARD_STATUS(...)               \
  try {                                 \
    __VA_ARGS__;                               \
    return 0;                           \
  } catch (...) {                       \
    record_current_exception();         \
    return -1;                          \
  }

// Two tensors out (values/indices, output/weights): written to out-parameters, status returned.
#define GUARD_PAIR(expr, out0, out1)    \
  try {                                 \
    auto r_ = (expr);                   \
    *(out0) = wrap(std::get<0>(r_));    \
    *(out1) = wrap(std::get<1>(r_));    \
    return 0;                           \
  } catch (...) {                       \
    record_current_exception();         \
    return -1;                          \
  }
