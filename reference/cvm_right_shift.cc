// cvm_right_shift - reference transcription of spec/ops/cvm_right_shift.rst.
#include "cvm/ops/cvm_right_shift.h"

#include "cvm/op.h"
#include "cvm/rules/scalar.h"
#include "clip_shift_attrs.h"
#include "output_loop.h"

namespace cvm {
namespace {

// cvm_right_shift_b2: t = (x >> (b - 1)) + 1 lies in [-(2^31 - 2), 2^31].
constexpr int64_t kMinSum = -((int64_t{1} << 31) - 2);
constexpr int64_t kMaxSum = int64_t{1} << 31;

std::any parse(AttrReader& r) {
  // cvm_right_shift_c1: precision in [1, 32], inclusive.
  // cvm_right_shift_c2: shift_bit in [1, 32], inclusive.
  return parse_shift_attrs<CvmRightShiftAttrs>(r, "cvm_right_shift_c1", "cvm_right_shift_c2");
}

Types infer(const std::any& attrs, const Types& in) {
  const auto& a = std::any_cast<const CvmRightShiftAttrs&>(attrs);
  return {TensorType{in[0].shape, static_cast<int>(a.precision)}};
}

void kernel(const std::any& attrs, const Inputs& in, const Outputs& out) {
  const auto& a = std::any_cast<const CvmRightShiftAttrs&>(attrs);
  const Tensor& x = *in[0];
  const int b = static_cast<int>(a.shift_bit);
  const int64_t alpha = prec_max(static_cast<int>(a.precision));
  fill_output(*out[0], "cvm_right_shift_b1", [&](int64_t i) {
    // t = (x >> (b - 1)) + 1, exact in int64 (may be 2^31).
    const int64_t t = rules::rounding_shift_sum<int64_t>(x.data[static_cast<size_t>(i)], b);
    CVM_BOUND(t >= kMinSum && t <= kMaxSum, "cvm_right_shift_b2", "t[", i, "] = ", t);
    const int64_t T = rules::rounding_shift_halve(t);
    return rules::clip(T, -alpha, alpha);
  });
}

}  // namespace

OpDef op_def_cvm_right_shift() {
  return {.parse_attrs = parse, .num_inputs = fixed_inputs<1>, .infer = infer, .reference = kernel};
}

}  // namespace cvm
