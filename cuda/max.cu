// max - CUDA kernel (spec/ops/max.rst).
//
// What: y[o] = the maximum of the K values of x in output o's slice (the
// reduced set and the output shape as the reference's reduce_plan); with the
// default axis = () and exclude = false the reference starts its fold from 0
// (a quirk), so that output is max(0, maximum of x).
// Launch shape: cuda/reduce_common.cuh: one thread per output walking its
// slice (innermost axis kept, many outputs), or one block per (output, part)
// with a shared-memory tree maximum and, when K is split into parts, a second
// kernel folding the parts of each output.
// Accumulator: int32 starting from INT32_MIN, the identity of max over values
// of precision <= 32 (|v| <= 2^31 - 1, so INT32_MIN is no value); every
// output folds K >= 1 values (every part is non-empty), so the result is one
// of them. max_b1: the running maximum is always a value of x (or the
// identity), so int32 is exact, and the maximum depends on no order or split.
// The quirk is applied once, to the final value: max(max(x), 0) equals the
// reference's fold from 0.
#include <climits>

#include "cuda/reduce_common.cuh"

namespace cvm::cuda {
namespace {

struct MaxOp {
  using Acc = int32_t;
  static constexpr int32_t identity = INT32_MIN;
  __host__ __device__ static int32_t combine(int32_t a, int32_t b) { return a > b ? a : b; }
  __host__ __device__ static int32_t finalize(int32_t a, bool whole_default) {
    return whole_default && a < 0 ? 0 : a;
  }
};

}  // namespace

std::unique_ptr<NodeKernel> make_max(const NodeSpec& spec) {
  return std::make_unique<reduce::ReduceKernel<MaxOp>>(spec, "max");
}

}  // namespace cvm::cuda
