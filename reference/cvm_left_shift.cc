// cvm_left_shift - reference transcription of spec/ops/cvm_left_shift.rst.
#include "cvm/ops/cvm_left_shift.h"

#include "cvm/op.h"
#include "cvm/rules/scalar.h"
#include "clip_shift_attrs.h"
#include "output_loop.h"

namespace cvm {
namespace {

// cvm_left_shift_b2: |T| <= R(p_x) * 2^s <= 2^31 - 2 under cvm_left_shift_c3.
constexpr int64_t kMaxT = (int64_t{1} << 31) - 2;

std::any parse(AttrReader& r) {
  // cvm_left_shift_c1: precision in [1, 32], inclusive.
  // cvm_left_shift_c2: shift_bit in [1, 32], inclusive.
  return parse_shift_attrs<CvmLeftShiftAttrs>(r, "cvm_left_shift_c1", "cvm_left_shift_c2");
}

Types infer(const std::any& attrs, const Types& in) {
  const auto& a = std::any_cast<const CvmLeftShiftAttrs&>(attrs);
  // cvm_left_shift_c3: the shifted input fits int32.
  CVM_REQUIRE(in[0].precision + a.shift_bit <= 32, "cvm_left_shift_c3", "input precision ",
              in[0].precision, " + shift_bit ", a.shift_bit, " exceeds 32");
  return {TensorType{in[0].shape, static_cast<int>(a.precision)}};
}

void kernel(const std::any& attrs, const Inputs& in, const Outputs& out) {
  const auto& a = std::any_cast<const CvmLeftShiftAttrs&>(attrs);
  const Tensor& x = *in[0];
  const int s = static_cast<int>(a.shift_bit);
  const int64_t alpha = prec_max(static_cast<int>(a.precision));
  fill_output(*out[0], "cvm_left_shift_b1", [&](int64_t i) {
    const int64_t t = rules::left_shift<int64_t>(x.data[static_cast<size_t>(i)], s);
    CVM_BOUND(t >= -kMaxT && t <= kMaxT, "cvm_left_shift_b2", "T[", i, "] = ", t);
    return rules::clip(t, -alpha, alpha);
  });
}

}  // namespace

OpDef op_def_cvm_left_shift() {
  return {.parse_attrs = parse, .num_inputs = fixed_inputs<1>, .infer = infer, .reference = kernel};
}

}  // namespace cvm
