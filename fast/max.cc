// max - fast kernel (spec/ops/max.rst).
//
// The driver is fast/reduce_common.h: the shape is coalesced into kept and
// reduced groups; rows of contiguous values are folded with max into a tile
// of int32 accumulators (innermost axis kept) or contiguous segments are
// max-reduced (innermost axis reduced), both simple loops the compiler
// vectorises; threads split output rows/tiles, or, when there are too few,
// the reduction into a fixed number of parts whose maxima are combined.
//
// Accumulator: int32 starting from INT32_MIN, the identity of max over
// values of precision <= 32 (|v| <= 2^31 - 1, so INT32_MIN is no value);
// every fold covers K >= 1 values, so the result is one of them. max_b1: no
// intermediate value exists beyond the running maximum, which is always a
// value of x (or the identity), so int32 is exact; the maximum does not
// depend on order or split. The default whole reduction (axis = (),
// exclude = false) then takes max(0, .) as the reference does.
#include <algorithm>

#include "fast/reduce_common.h"

namespace cvm::fast {
namespace {

struct MaxOp {
  static constexpr int32_t identity = INT32_MIN;
  static int32_t combine(int32_t a, int32_t b) { return std::max(a, b); }
  static int32_t whole_default(int32_t a) { return std::max(a, 0); }
  static void row(int32_t* __restrict acc, const int32_t* __restrict src, int64_t n) {
    for (int64_t i = 0; i < n; ++i) acc[i] = std::max(acc[i], src[i]);
  }
  static int32_t segment(int32_t acc, const int32_t* __restrict src, int64_t n) {
    int32_t m = INT32_MIN;
    for (int64_t i = 0; i < n; ++i) m = std::max(m, src[i]);
    return std::max(acc, m);
  }
};

}  // namespace

std::unique_ptr<NodeKernel> make_max(const NodeSpec& spec, const KernelOptions&) {
  return std::make_unique<reduce::ReduceKernel<MaxOp>>(spec);
}

}  // namespace cvm::fast
