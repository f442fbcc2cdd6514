// cvm_right_shift - reference transcription of spec/ops/cvm_right_shift.rst.
#include "cvm/ops/cvm_right_shift.h"

#include "cvm/op.h"
#include "cvm/rules/scalar.h"

namespace cvm {
namespace {

// cvm_right_shift_b2: t = (x >> (b - 1)) + 1 lies in [-(2^31 - 2), 2^31].
constexpr int64_t kMinSum = -((int64_t{1} << 31) - 2);
constexpr int64_t kMaxSum = int64_t{1} << 31;

// Upstream's parameter struct for the op: keys, value types, required keys
// and parser bounds (checked before parse, attr_c0 ... attr_c4).
constexpr AttrSpec kAttrs[] = {
    {.key = "precision", .type = AttrType::kInt, .required = true},
    {.key = "is_sign", .type = AttrType::kBool, .required = false},
    {.key = "shift_bit", .type = AttrType::kInt, .required = true},
};

std::any parse(AttrReader& r) {
  CvmRightShiftAttrs a;
  a.precision = r.int32("precision");
  a.shift_bit = r.int32("shift_bit");
  // is_sign must parse as a bool but has no effect (see the page's Quirk).
  a.is_sign = r.boolean("is_sign", true);
  // cvm_right_shift_c1: precision in [1, 32], inclusive.
  CVM_REQUIRE(a.precision >= 1 && a.precision <= 32, "cvm_right_shift_c1",
              "precision = ", a.precision, " must lie in [1, 32]");
  // cvm_right_shift_c2: shift_bit in [1, 32], inclusive.
  CVM_REQUIRE(a.shift_bit >= 1 && a.shift_bit <= 32, "cvm_right_shift_c2",
              "shift_bit = ", a.shift_bit, " must lie in [1, 32]");
  return a;
}

Types infer(const std::any& attrs, const Types& in) {
  const auto& a = std::any_cast<const CvmRightShiftAttrs&>(attrs);
  return {TensorType{in[0].shape, static_cast<int>(a.precision)}};
}

void kernel(const std::any& attrs, const Inputs& in, const Outputs& out) {
  const auto& a = std::any_cast<const CvmRightShiftAttrs&>(attrs);
  const Tensor& x = *in[0];
  Tensor& y = *out[0];
  const int b = static_cast<int>(a.shift_bit);
  const int64_t alpha = prec_max(static_cast<int>(a.precision));
  for (int64_t i = 0; i < x.size(); ++i) {
    // t = (x >> (b - 1)) + 1, exact in int64 (may be 2^31).
    const int64_t t = rules::rounding_shift_sum<int64_t>(x.data[static_cast<size_t>(i)], b);
    CVM_BOUND(t >= kMinSum && t <= kMaxSum, "cvm_right_shift_b2", "t[", i, "] = ", t);
    const int64_t T = rules::rounding_shift_halve(t);
    const int64_t v = rules::clip(T, -alpha, alpha);
    CVM_BOUND(in_precision(v, y.precision), "cvm_right_shift_b1", "y[", i, "] = ", v);
    y.data[static_cast<size_t>(i)] = static_cast<int32_t>(v);
  }
}

}  // namespace

const OpDef& op_def_cvm_right_shift() {
  static const OpDef def{.name = "cvm_right_shift",
                         .parse_attrs = parse,
                         .num_inputs = fixed_inputs<1>,
                         .num_outputs = 1,
                         .infer = infer,
                         .gas_weight = gas_weight_one,
                         .reference = kernel,
                         .in_place = true,
                         .attr_schema = {.has_parser = true, .fields = kAttrs}};
  return def;
}

}  // namespace cvm
