// cvm_lut - fast kernel.
//
// What: y[j] = table[clip(indices[j], 0, |table| - 1)].
// How: the index is clamped in int32 (|table| <= 2^30, so |table| - 1 fits),
// then looked up; a contiguous loop over the indices (AVX2: vpmaxsd/vpminsd
// clamp and vpgatherdd, fast/elem_common_avx2.cc), split over the pool in
// static chunks of >= 16K elements.
// Bounds: cvm_lut_b2: the clamped index lies in [0, |table| - 1], so every
// (gathered) read is inside the table; cvm_lut_b1: the values are table
// entries, copied unchanged.
#include "cvm/ops/cvm_lut.h"

#include "cvm/op.h"
#include "fast/elem_common.h"

namespace cvm::fast {
namespace {

void run(const CvmLutAttrs&, const Inputs& in, const Outputs& out, const Exec& exec) {
  const Tensor& indices = *in[0];
  const Tensor& table = *in[1];
  Tensor& y = *out[0];
  const ElemLutChunk fn = use_avx2(exec.isa) ? &elem_avx2::lut_chunk : &lut_chunk;
  const int32_t* ip = indices.data.data();
  const int32_t* tp = table.data.data();
  const auto last = static_cast<int32_t>(table.size() - 1);
  int32_t* yp = y.data.data();
  exec.parallel_for(y.size(), kElemGrain, [&](int64_t b, int64_t e) { fn(ip + b, tp, last, yp + b, e - b); });
}

}  // namespace

std::unique_ptr<NodeKernel> make_cvm_lut(const NodeSpec& spec, const KernelOptions&) {
  return function_kernel<CvmLutAttrs>(spec, run);
}

}  // namespace cvm::fast
