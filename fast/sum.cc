// sum - fast kernel (spec/ops/sum.rst).
//
// The driver is fast/reduce_common.h: the shape is coalesced into kept and
// reduced groups; rows of contiguous values are added into a tile of int32
// accumulators (innermost axis kept) or contiguous segments are summed
// (innermost axis reduced), both simple loops the compiler vectorises;
// threads split output rows/tiles, or, when there are too few, the reduction
// into a fixed number of parts whose exact partial sums are added in order.
//
// Accumulator width: int32. sum_b2: every partial sum s of an output (any
// sum of at most K of its terms, whatever the order or split) satisfies
// |s| <= K * R(p_x) <= R(p_y) <= R(32) once op_c3 holds (validated before the
// kernel runs), so int32 accumulation in any order, per-part partial sums and
// their combination never wrap and equal the reference's int64 sum; sum_b1:
// the final value has precision p_y, so it is stored as is.
#include "fast/reduce_common.h"

namespace cvm::fast {
namespace {

struct SumOp {
  static constexpr int32_t identity = 0;
  static int32_t combine(int32_t a, int32_t b) { return a + b; }
  static int32_t whole_default(int32_t a) { return a; }
  static void row(int32_t* __restrict acc, const int32_t* __restrict src, int64_t n) {
    for (int64_t i = 0; i < n; ++i) acc[i] += src[i];
  }
  static int32_t segment(int32_t acc, const int32_t* __restrict src, int64_t n) {
    int32_t s = 0;
    for (int64_t i = 0; i < n; ++i) s += src[i];
    return acc + s;
  }
};

}  // namespace

std::unique_ptr<NodeKernel> make_sum(const NodeSpec& spec, const KernelOptions&) {
  return std::make_unique<reduce::ReduceKernel<SumOp>>(spec);
}

}  // namespace cvm::fast
