// Tensor lifecycle, metadata, factories, dtype/device conversion and raw data in and out.
#include "shim.h"

#include <cstring>

// ---- lifecycle and metadata (cannot fail on a live handle, so they return values directly) ----
EXPORT void Tensor_dispose(TH t) { delete t; }
EXPORT int64_t Tensor_dim(TH t) { return t->dim(); }
EXPORT int64_t Tensor_numel(TH t) { return t->numel(); }
EXPORT int32_t Tensor_dtype(TH t) { return static_cast<int32_t>(t->scalar_type()); }
EXPORT int32_t Tensor_device_type(TH t) { return static_cast<int32_t>(t->device().type()); }
EXPORT int32_t Tensor_device_index(TH t) { return t->device().index(); }
EXPORT uint8_t Tensor_requires_grad(TH t) { return t->requires_grad() ? 1 : 0; }
EXPORT uint8_t Tensor_is_leaf(TH t) { return t->is_leaf() ? 1 : 0; }
EXPORT uint8_t Tensor_is_contiguous(TH t) { return t->is_contiguous() ? 1 : 0; }
EXPORT int64_t Tensor_element_size(TH t) { return static_cast<int64_t>(t->element_size()); }
EXPORT void* Tensor_data_ptr(TH t) { return t->data_ptr(); }
// True when both handles view the same storage (used by tests of from_array's no-copy promise).
EXPORT uint8_t Tensor_shares_storage(TH a, TH b) { return a->is_alias_of(*b) ? 1 : 0; }

// Writes up to cap sizes; returns the tensor's dimension count.
EXPORT int64_t Tensor_shape(TH t, int64_t* out, int64_t cap) {
  auto s = t->sizes();
  for (int64_t k = 0; k < static_cast<int64_t>(s.size()) && k < cap; k++) out[k] = s[k];
  return static_cast<int64_t>(s.size());
}
EXPORT int64_t Tensor_stride(TH t, int64_t* out, int64_t cap) {
  auto s = t->strides();
  for (int64_t k = 0; k < static_cast<int64_t>(s.size()) && k < cap; k++) out[k] = s[k];
  return static_cast<int64_t>(s.size());
}

// A second handle to the same tensor (same TensorImpl, so same autograd identity).
EXPORT TH Tensor_alias(TH t) { GUARD_TENSOR(*t) }

// ---- factories ----
#define FACTORY_ARGS int32_t dtype, int32_t device_type, int32_t device_index, uint8_t requires_grad
#define OPTIONS make_options(dtype, device_type, device_index)

EXPORT TH Tensor_empty(const int64_t* shape, int64_t ndim, FACTORY_ARGS) { GUARD_TENSOR(leaf(at::empty(dims(shape, ndim), OPTIONS), requires_grad)) }
EXPORT TH Tensor_zeros(const int64_t* shape, int64_t ndim, FACTORY_ARGS) { GUARD_TENSOR(leaf(at::zeros(dims(shape, ndim), OPTIONS), requires_grad)) }
EXPORT TH Tensor_ones(const int64_t* shape, int64_t ndim, FACTORY_ARGS) { GUARD_TENSOR(leaf(at::ones(dims(shape, ndim), OPTIONS), requires_grad)) }
EXPORT TH Tensor_full(const int64_t* shape, int64_t ndim, ScalarArg value, FACTORY_ARGS) {
  GUARD_TENSOR(leaf(at::full(dims(shape, ndim), to_scalar(value), OPTIONS), requires_grad))
}
EXPORT TH Tensor_rand(const int64_t* shape, int64_t ndim, FACTORY_ARGS) { GUARD_TENSOR(leaf(at::rand(dims(shape, ndim), OPTIONS), requires_grad)) }
EXPORT TH Tensor_randn(const int64_t* shape, int64_t ndim, FACTORY_ARGS) { GUARD_TENSOR(leaf(at::randn(dims(shape, ndim), OPTIONS), requires_grad)) }
EXPORT TH Tensor_randint(int64_t low, int64_t high, const int64_t* shape, int64_t ndim, FACTORY_ARGS) {
  GUARD_TENSOR(leaf(at::randint(low, high, dims(shape, ndim), OPTIONS), requires_grad))
}
EXPORT TH Tensor_arange(ScalarArg start, ScalarArg end, ScalarArg step, FACTORY_ARGS) {
  GUARD_TENSOR(leaf(at::arange(to_scalar(start), to_scalar(end), to_scalar(step), OPTIONS), requires_grad))
}
EXPORT TH Tensor_linspace(double start, double end, int64_t steps, FACTORY_ARGS) {
  GUARD_TENSOR(leaf(at::linspace(start, end, steps, OPTIONS), requires_grad))
}
EXPORT TH Tensor_eye(int64_t n, int64_t m, FACTORY_ARGS) { GUARD_TENSOR(leaf(at::eye(n, m, OPTIONS), requires_grad)) }

// *_like: dtype < 0 keeps the source dtype; the device always follows the source.
static at::TensorOptions like_options(const at::Tensor& t, int32_t dtype) {
  auto o = t.options();
  if (dtype >= 0) o = o.dtype(static_cast<at::ScalarType>(dtype));
  return o;
}
EXPORT TH Tensor_zeros_like(TH t, int32_t dtype, uint8_t rg) { GUARD_TENSOR(leaf(at::zeros_like(*t, like_options(*t, dtype)), rg)) }
EXPORT TH Tensor_ones_like(TH t, int32_t dtype, uint8_t rg) { GUARD_TENSOR(leaf(at::ones_like(*t, like_options(*t, dtype)), rg)) }
EXPORT TH Tensor_full_like(TH t, ScalarArg v, int32_t dtype, uint8_t rg) {
  GUARD_TENSOR(leaf(at::full_like(*t, to_scalar(v), like_options(*t, dtype)), rg))
}
EXPORT TH Tensor_empty_like(TH t, int32_t dtype, uint8_t rg) { GUARD_TENSOR(leaf(at::empty_like(*t, like_options(*t, dtype)), rg)) }
EXPORT TH Tensor_rand_like(TH t, int32_t dtype, uint8_t rg) { GUARD_TENSOR(leaf(at::rand_like(*t, like_options(*t, dtype)), rg)) }
EXPORT TH Tensor_randn_like(TH t, int32_t dtype, uint8_t rg) { GUARD_TENSOR(leaf(at::randn_like(*t, like_options(*t, dtype)), rg)) }

// ---- conversion ----
EXPORT TH Tensor_to(TH t, int32_t dtype, int32_t device_type, int32_t device_index, uint8_t non_blocking, uint8_t copy) {
  GUARD_TENSOR(t->to(c10::Device(static_cast<c10::DeviceType>(device_type), static_cast<c10::DeviceIndex>(device_index)),
                     dtype < 0 ? t->scalar_type() : static_cast<at::ScalarType>(dtype), non_blocking != 0, copy != 0))
}
EXPORT TH Tensor_clone(TH t) { GUARD_TENSOR(t->clone()) }
EXPORT TH Tensor_contiguous(TH t) { GUARD_TENSOR(t->contiguous()) }
EXPORT TH Tensor_detach(TH t) { GUARD_TENSOR(t->detach()) }

// ---- raw data in and out ----
// Copies host memory into a new CPU tensor (the array may move or die afterwards).
EXPORT TH Tensor_from_buffer(const void* data, const int64_t* shape, int64_t ndim, int32_t dtype) {
  try {
    auto t = at::empty(dims(shape, ndim), at::TensorOptions().dtype(static_cast<at::ScalarType>(dtype)));
    if (t.numel() > 0) std::memcpy(t.data_ptr(), data, t.nbytes());
    return wrap(std::move(t));
  } catch (...) {
    record_current_exception();
    return nullptr;
  }
}

// Wraps memory the caller keeps alive (a pinned managed array) without copying. `release` is
// called with `context` once libtorch frees the storage, from whichever thread drops the last reference.
EXPORT TH Tensor_from_blob(void* data, const int64_t* shape, int64_t ndim, int32_t dtype,
                           void (*release)(void*), void* context) {
  try {
    auto t = at::from_blob(
        data, dims(shape, ndim), [release, context](void*) { release(context); },
        at::TensorOptions().dtype(static_cast<at::ScalarType>(dtype)));
    return wrap(std::move(t));
  } catch (...) {
    record_current_exception();
    return nullptr;
  }
}

// Copies the tensor's elements, in row-major order, into `dst` (exactly nbytes long), from any
// device, dtype-checked by the caller. Non-contiguous tensors are made contiguous first.
EXPORT int32_t Tensor_copy_to_buffer(TH t, void* dst, int64_t nbytes) {
  GUARD_STATUS({
    auto c = t->detach().to(at::kCPU).contiguous();
    TORCH_CHECK(static_cast<int64_t>(c.nbytes()) == nbytes, "copy_to_buffer: the tensor holds ", c.nbytes(),
                " bytes but the destination holds ", nbytes);
    if (nbytes > 0) std::memcpy(dst, c.data_ptr(), static_cast<size_t>(nbytes));
  })
}

// Copies host memory into an existing tensor (any device), matching element count and dtype.
EXPORT int32_t Tensor_copy_from_buffer(TH t, const void* src, int64_t nbytes) {
  GUARD_STATUS({
    TORCH_CHECK(static_cast<int64_t>(t->nbytes()) == nbytes, "copy_from_buffer: the tensor holds ", t->nbytes(),
                " bytes but the source holds ", nbytes);
    auto host = at::empty(t->sizes(), t->options().device(at::kCPU).requires_grad(false));
    if (nbytes > 0) std::memcpy(host.data_ptr(), src, static_cast<size_t>(nbytes));
    at::NoGradGuard g;
    t->copy_(host);
  })
}
