// where - fast kernel.
//
// What: out[i] = cond[i / r] != 0 ? x[i] : y[i], r = 1 when cond has x's
// shape (element-wise) and r = |x| / d_0 when cond is a row mask of length
// d_0 (whole rows are selected, errata E-where-2).
// How: element-wise mode is a contiguous select loop the compiler vectorises
// (SSE2 portable; AVX2 vpblendvb via fast/elem_common_avx2.cc); row mode
// copies whole (partial, at chunk edges) rows from x or y with memcpy, one
// cond read per row. Split over the pool in static chunks of >= 16K output
// elements; the row index is computed once per chunk, not per element.
// Bounds: where_b1: every output is a value of x or y, copied unchanged;
// the only arithmetic is the row quotient on non-negative values < 2^30.
#include <cstring>

#include "cvm/op.h"
#include "fast/elem_common.h"

namespace cvm::fast {
namespace {

void run(const NoAttrs&, const Inputs& in, const Outputs& out, const Exec& exec) {
  const Tensor& cond = *in[0];
  const Tensor& x = *in[1];
  const Tensor& y = *in[2];
  Tensor& z = *out[0];
  const int32_t* cp = cond.data.data();
  const int32_t* xp = x.data.data();
  const int32_t* yp = y.data.data();
  int32_t* zp = z.data.data();
  if (z.size() == 0) return;
  if (cond.shape == x.shape) {
    const ElemWhereChunk fn = use_avx2(exec.isa) ? &elem_avx2::where_chunk : &where_chunk;
    exec.parallel_for(z.size(), kElemGrain, [&](int64_t b, int64_t e) { fn(cp + b, xp + b, yp + b, zp + b, e - b); });
    return;
  }
  const int64_t r = z.size() / x.shape[0];  // elements per row
  exec.parallel_for(z.size(), kElemGrain, [&](int64_t b, int64_t e) {
    int64_t row = b / r;
    int64_t pos = b;
    while (pos < e) {
      const int64_t row_end = std::min((row + 1) * r, e);
      const int32_t* src = cp[row] != 0 ? xp : yp;
      std::memcpy(zp + pos, src + pos, static_cast<size_t>(row_end - pos) * sizeof(int32_t));
      pos = row_end;
      ++row;
    }
  });
}

}  // namespace

std::unique_ptr<NodeKernel> make_where(const NodeSpec& spec, const KernelOptions&) {
  return function_kernel<NoAttrs>(spec, run);
}

}  // namespace cvm::fast
