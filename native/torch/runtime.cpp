// Process-wide state: the last-error string, threads, seeding, grad mode, CUDA discovery.
#include "shim.h"

#include <ATen/CPUGeneratorImpl.h>
#include <ATen/Parallel.h>
#include <ATen/autocast_mode.h>
#include <c10/util/Exception.h>
#include <torch/cuda.h>

#include <cstdlib>
#include <cstring>
#include <string>

namespace {
// One message per thread, overwritten by the next failure on that thread. C# copies it right
// after the failing call, so nothing is ever handed across to be freed (no leak, no ownership).
thread_local std::string last_error;

// libtorch's intra-op pool defaults to one thread per core, which oversubscribes the cores that
// OpenBLAS already uses (measured 5x slower on 2 cores). Default to 1; ROBOTICS_TORCH_THREADS overrides.
struct DefaultThreads {
  DefaultThreads() {
    int n = 1;
    if (const char* env = std::getenv("ROBOTICS_TORCH_THREADS")) {
      int v = std::atoi(env);
      if (v > 0) n = v;
    }
    at::set_num_threads(n);
  }
} default_threads;
}  // namespace

void record_current_exception() noexcept {
  try {
    throw;
  } catch (const c10::Error& e) {
    last_error = e.what_without_backtrace();
  } catch (const std::exception& e) {
    last_error = e.what();
  } catch (...) {
    last_error = "unknown C++ exception in libtorch";
  }
}

EXPORT const char* Torch_last_error() { return last_error.c_str(); }

EXPORT int32_t Torch_set_num_threads(int32_t n) { GUARD_STATUS(at::set_num_threads(n)) }
EXPORT int32_t Torch_get_num_threads() { return at::get_num_threads(); }
EXPORT int32_t Torch_manual_seed(uint64_t seed) { GUARD_STATUS(at::manual_seed(seed)) }

// The CPU generator's full state as a uint8 tensor (torch.get_rng_state), so a checkpoint resumes
// the exact random stream; the lock is the one torch.manual_seed takes.
static at::Tensor cpu_rng_state() {
  auto gen = at::detail::getDefaultCPUGenerator();
  std::lock_guard<std::mutex> lock(gen.mutex());
  return gen.get_state();
}
EXPORT TH Torch_get_rng_state() { GUARD_TENSOR(cpu_rng_state()) }
EXPORT int32_t Torch_set_rng_state(TH state) {
  GUARD_STATUS({
    auto gen = at::detail::getDefaultCPUGenerator();
    std::lock_guard<std::mutex> lock(gen.mutex());
    gen.set_state(*state);
  })
}

// Grad mode is thread-local in libtorch, and a P/Invoke runs on the calling managed thread,
// so a C# no_grad scope maps one-to-one onto at::GradMode.
EXPORT void Torch_set_grad_enabled(uint8_t enabled) { at::GradMode::set_enabled(enabled != 0); }
EXPORT uint8_t Torch_is_grad_enabled() { return at::GradMode::is_enabled() ? 1 : 0; }

// Autocast (mixed precision) is thread-local too. Entering sets the device's flag and lower-precision type and counts
// the nesting; leaving restores what the caller read before entering, and the outermost exit drops the cache of
// weights cast inside the region (PyTorch's torch.autocast does the same).
EXPORT uint8_t Torch_autocast_is_enabled(uint8_t cuda) { return (cuda ? at::autocast::is_enabled() : at::autocast::is_cpu_enabled()) ? 1 : 0; }
EXPORT int8_t Torch_autocast_dtype(uint8_t cuda) {
  return static_cast<int8_t>(cuda ? at::autocast::get_autocast_gpu_dtype() : at::autocast::get_autocast_cpu_dtype());
}
namespace {
void set_autocast(uint8_t cuda, uint8_t enabled, int8_t dtype) {
  auto type = static_cast<at::ScalarType>(dtype);
  if (cuda) {
    at::autocast::set_enabled(enabled != 0);
    at::autocast::set_autocast_gpu_dtype(type);
  } else {
    at::autocast::set_cpu_enabled(enabled != 0);
    at::autocast::set_autocast_cpu_dtype(type);
  }
}
}  // namespace
EXPORT void Torch_autocast_enter(uint8_t cuda, uint8_t enabled, int8_t dtype) {
  set_autocast(cuda, enabled, dtype);
  at::autocast::increment_nesting();
}
EXPORT void Torch_autocast_exit(uint8_t cuda, uint8_t previous_enabled, int8_t previous_dtype) {
  if (at::autocast::decrement_nesting() == 0) at::autocast::clear_cache();
  set_autocast(cuda, previous_enabled, previous_dtype);
}

EXPORT uint8_t Torch_cuda_is_available() {
  try {
    return torch::cuda::is_available() ? 1 : 0;
  } catch (...) {
    return 0;
  }
}
EXPORT int32_t Torch_cuda_device_count() {
  try {
    return static_cast<int32_t>(torch::cuda::device_count());
  } catch (...) {
    return 0;
  }
}
EXPORT int32_t Torch_cuda_manual_seed_all(uint64_t seed) { GUARD_STATUS(torch::cuda::manual_seed_all(seed)) }
EXPORT int32_t Torch_cuda_synchronize(int32_t device) {
  GUARD_STATUS(torch::cuda::synchronize(device))
}
