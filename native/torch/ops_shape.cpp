// Views, joins and splits, and indexing (select, gather/scatter, masks, Python-style [] indices).
#include "shim.h"

#include <ATen/TensorIndexing.h>
#include <limits>

EXPORT TH Tensor_reshape(TH a, const int64_t* s, int64_t n) { GUARD_TENSOR(a->reshape(dims(s, n))) }
EXPORT TH Tensor_view(TH a, const int64_t* s, int64_t n) { GUARD_TENSOR(a->view(dims(s, n))) }
EXPORT TH Tensor_flatten(TH a, int64_t start, int64_t end) { GUARD_TENSOR(a->flatten(start, end)) }
EXPORT TH Tensor_unflatten(TH a, int64_t d, const int64_t* s, int64_t n) { GUARD_TENSOR(a->unflatten(d, dims(s, n))) }
EXPORT TH Tensor_narrow(TH a, int64_t d, int64_t start, int64_t length) { GUARD_TENSOR(a->narrow(d, start, length)) }
EXPORT TH Tensor_slice(TH a, int64_t d, int64_t start, int64_t end, int64_t step) { GUARD_TENSOR(a->slice(d, start, end, step)) }
EXPORT TH Tensor_select(TH a, int64_t d, int64_t index) { GUARD_TENSOR(a->select(d, index)) }
EXPORT TH Tensor_squeeze(TH a) { GUARD_TENSOR(a->squeeze()) }
EXPORT TH Tensor_squeeze_dim(TH a, int64_t d) { GUARD_TENSOR(a->squeeze(d)) }
EXPORT TH Tensor_unsqueeze(TH a, int64_t d) { GUARD_TENSOR(a->unsqueeze(d)) }
EXPORT TH Tensor_transpose(TH a, int64_t d0, int64_t d1) { GUARD_TENSOR(a->transpose(d0, d1)) }
EXPORT TH Tensor_permute(TH a, const int64_t* p, int64_t n) { GUARD_TENSOR(a->permute(dims(p, n))) }
EXPORT TH Tensor_t(TH a) { GUARD_TENSOR(a->t()) }
EXPORT TH Tensor_expand(TH a, const int64_t* s, int64_t n) { GUARD_TENSOR(a->expand(dims(s, n))) }
EXPORT TH Tensor_broadcast_to(TH a, const int64_t* s, int64_t n) { GUARD_TENSOR(at::broadcast_to(*a, dims(s, n))) }
EXPORT TH Tensor_repeat(TH a, const int64_t* r, int64_t n) { GUARD_TENSOR(a->repeat(dims(r, n))) }
EXPORT TH Tensor_repeat_interleave(TH a, int64_t repeats, int64_t d) { GUARD_TENSOR(at::repeat_interleave(*a, repeats, d)) }
EXPORT TH Tensor_flip(TH a, const int64_t* d, int64_t n) { GUARD_TENSOR(a->flip(dims(d, n))) }
EXPORT TH Tensor_roll(TH a, const int64_t* shifts, const int64_t* d, int64_t n) { GUARD_TENSOR(a->roll(dims(shifts, n), dims(d, n))) }
EXPORT TH Tensor_movedim(TH a, int64_t src, int64_t dst) { GUARD_TENSOR(a->movedim(src, dst)) }
EXPORT TH Tensor_tril(TH a, int64_t k) { GUARD_TENSOR(a->tril(k)) }
EXPORT TH Tensor_triu(TH a, int64_t k) { GUARD_TENSOR(a->triu(k)) }
EXPORT TH Tensor_diag(TH a, int64_t k) { GUARD_TENSOR(a->diag(k)) }
EXPORT TH Tensor_nonzero(TH a) { GUARD_TENSOR(a->nonzero()) }
EXPORT TH Tensor_one_hot(TH a, int64_t classes) { GUARD_TENSOR(at::one_hot(*a, classes)) }
EXPORT TH Tensor_pad(TH a, const int64_t* pad, int64_t n, double value) { GUARD_TENSOR(at::constant_pad_nd(*a, dims(pad, n), value)) }

// ---- gather / scatter / masks ----
EXPORT TH Tensor_index_select(TH a, int64_t d, TH idx) { GUARD_TENSOR(a->index_select(d, *idx)) }
EXPORT TH Tensor_gather(TH a, int64_t d, TH idx) { GUARD_TENSOR(a->gather(d, *idx)) }
EXPORT TH Tensor_scatter(TH a, int64_t d, TH idx, TH src) { GUARD_TENSOR(a->scatter(d, *idx, *src)) }
EXPORT TH Tensor_scatter_value(TH a, int64_t d, TH idx, ScalarArg v) { GUARD_TENSOR(a->scatter(d, *idx, to_scalar(v))) }
EXPORT TH Tensor_scatter_add(TH a, int64_t d, TH idx, TH src) { GUARD_TENSOR(a->scatter_add(d, *idx, *src)) }
EXPORT TH Tensor_index_add(TH a, int64_t d, TH idx, TH src) { GUARD_TENSOR(a->index_add(d, *idx, *src)) }
EXPORT TH Tensor_masked_fill(TH a, TH mask, ScalarArg v) { GUARD_TENSOR(a->masked_fill(*mask, to_scalar(v))) }
EXPORT TH Tensor_masked_fill_tensor(TH a, TH mask, TH v) { GUARD_TENSOR(a->masked_fill(*mask, *v)) }
EXPORT int32_t Tensor_masked_fill_(TH a, TH mask, ScalarArg v) { GUARD_STATUS(a->masked_fill_(*mask, to_scalar(v))) }
EXPORT TH Tensor_masked_select(TH a, TH mask) { GUARD_TENSOR(a->masked_select(*mask)) }

// ---- joins and splits ----
EXPORT TH Tensor_cat(const TH* ts, int64_t n, int64_t d) { GUARD_TENSOR(at::cat(to_vector(ts, n), d)) }
EXPORT TH Tensor_stack(const TH* ts, int64_t n, int64_t d) { GUARD_TENSOR(at::stack(to_vector(ts, n), d)) }

// Splits write up to cap handles to `out` and return how many pieces there are (-1 on error).
// The caller sizes `out` from the shape; more pieces than cap is reported, never overrun.
static int64_t write_pieces(const std::vector<at::Tensor>& pieces, TH* out, int64_t cap) {
  const auto n = static_cast<int64_t>(pieces.size());
  TORCH_CHECK(n <= cap, "split produced ", n, " pieces but only ", cap, " were expected");
  for (int64_t k = 0; k < n; k++) out[k] = wrap(pieces[k]);
  return n;
}
#define GUARD_PIECES(expr)                  \
  try {                                     \
    return write_pieces((expr), out, cap);  \
  } catch (...) {                           \
    record_current_exception();             \
    return -1;                              \
  }
EXPORT int64_t Tensor_chunk(TH a, int64_t chunks, int64_t d, TH* out, int64_t cap) { GUARD_PIECES(a->chunk(chunks, d)) }
EXPORT int64_t Tensor_split(TH a, int64_t size, int64_t d, TH* out, int64_t cap) { GUARD_PIECES(a->split(size, d)) }
EXPORT int64_t Tensor_split_sizes(TH a, const int64_t* sizes, int64_t n, int64_t d, TH* out, int64_t cap) {
  GUARD_PIECES(a->split_with_sizes(dims(sizes, n), d))
}
EXPORT int64_t Tensor_unbind(TH a, int64_t d, TH* out, int64_t cap) { GUARD_PIECES(a->unbind(d)) }

// ---- Python-style indexing: t[0, 1:3, None, ..., mask] ----
// One index per entry; kind: 0 integer (start), 1 slice (start/stop/step, INT64_MIN = omitted),
// 2 None (new axis), 3 Ellipsis, 4 tensor (integer or bool), 5 bool.
struct IndexArg {
  int64_t kind;
  int64_t start;
  int64_t stop;
  int64_t step;
  TH tensor;
};

static std::vector<at::indexing::TensorIndex> to_indices(const IndexArg* idx, int64_t n) {
  using namespace at::indexing;
  constexpr int64_t omitted = std::numeric_limits<int64_t>::min();
  std::vector<TensorIndex> v;
  v.reserve(static_cast<size_t>(n));
  for (int64_t k = 0; k < n; k++) {
    const auto& e = idx[k];
    switch (e.kind) {
      case 0: v.emplace_back(e.start); break;
      case 1:
        v.emplace_back(Slice(e.start == omitted ? c10::optional<int64_t>() : e.start,
                             e.stop == omitted ? c10::optional<int64_t>() : e.stop,
                             e.step == omitted ? c10::optional<int64_t>() : e.step));
        break;
      case 2: v.emplace_back(None); break;
      case 3: v.emplace_back(Ellipsis); break;
      case 4: v.emplace_back(*e.tensor); break;
      case 5: v.emplace_back(e.start != 0); break;
      default: TORCH_CHECK(false, "unknown index kind ", e.kind);
    }
  }
  return v;
}

EXPORT TH Tensor_index(TH a, const IndexArg* idx, int64_t n) { GUARD_TENSOR(a->index(to_indices(idx, n))) }
EXPORT int32_t Tensor_index_put_(TH a, const IndexArg* idx, int64_t n, TH value) { GUARD_STATUS(a->index_put_(to_indices(idx, n), *value)) }
EXPORT int32_t Tensor_index_put_scalar_(TH a, const IndexArg* idx, int64_t n, ScalarArg value) {
  GUARD_STATUS(a->index_put_(to_indices(idx, n), to_scalar(value)))
}
