// cvm_lut - CUDA kernel.
//
// What: y[j] = table[clip(indices[j], 0, |table| - 1)] (the table taken flat).
// Launch shape: lut_kernel, a 1-D grid-stride loop over the output
// (grid_for(|y|) blocks of 256 threads), one element per iteration:
// coalesced index reads and stores, gathered table reads (the table is the
// second input, constant or not, read in place).
// Bounds: the clamp is the reference's int64 clip of an int32 index, done in
// int64; cvm_lut_b2 (the clamped index lies in [0, |table| - 1]) licenses
// the unchecked read, cvm_lut_b1 (the values are table entries, copied
// unchanged, p_y = p_table) dropping the per-element bound check.
#include "cuda/device_common.cuh"
#include "cvm/intmath.h"
#include "cvm/ops/cvm_lut.h"

namespace cvm::cuda {
namespace {

constexpr unsigned kBlock = 256;

__global__ void lut_kernel(const int32_t* __restrict__ indices, const int32_t* __restrict__ table,
                           int32_t* __restrict__ y, int64_t n, int64_t last) {
  for (int64_t j = grid_start(); j < n; j += grid_stride()) {
    const int64_t c = clip(indices[j], 0, last);
    y[j] = table[c];
  }
}

void run_lut(const CvmLutAttrs&, const DeviceInputs& in, const DeviceOutputs& out,
             cudaStream_t stream) {
  const int64_t n = shape_size(out[0].type.shape);
  const int64_t last = shape_size(in[1].type.shape) - 1;
  lut_kernel<<<grid_for(n, kBlock), kBlock, 0, stream>>>(in[0].data, in[1].data, out[0].data, n,
                                                         last);
  check_launch("cvm_lut");
}

}  // namespace

std::unique_ptr<NodeKernel> make_cvm_lut(const NodeSpec& spec) {
  return function_kernel<CvmLutAttrs>(spec, run_lut);
}

}  // namespace cvm::cuda
