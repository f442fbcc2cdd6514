// sum - CUDA kernel (spec/ops/sum.rst).
//
// What: y[o] = the sum of the K values of x in output o's slice (the reduced
// set and the output shape as the reference's reduce_plan).
// Launch shape: cuda/reduce_common.cuh: one thread per output walking its
// slice (innermost axis kept, many outputs), or one block per (output, part)
// with a shared-memory tree sum and, when K is split into parts, a second
// kernel adding the parts of each output in order.
// Accumulator width: int32 (the reference adds in int64). sum_b2: every
// partial sum s of an output (any sum of at most K of its terms, whatever the
// order or split: a thread's, a tree node's, a part's, or their combination)
// satisfies |s| <= K * R(p_x) <= R(p_y) <= R(32) once op_c3 holds (validated
// before the kernel runs), so int32 accumulation in any order never wraps and
// equals the reference's int64 sum; sum_b1: the final value has precision
// p_y, so it is stored as is.
#include "cuda/reduce_common.cuh"

namespace cvm::cuda {
namespace {

struct SumOp {
  using Acc = int32_t;
  static constexpr int32_t identity = 0;
  __host__ __device__ static int32_t combine(int32_t a, int32_t b) { return a + b; }
  __host__ __device__ static int32_t finalize(int32_t a, bool) { return a; }
};

}  // namespace

std::unique_ptr<NodeKernel> make_sum(const NodeSpec& spec) {
  return std::make_unique<reduce::ReduceKernel<SumOp>>(spec, "sum");
}

}  // namespace cvm::cuda
