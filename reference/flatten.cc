// flatten - reference transcription of spec/ops/flatten.rst.
#include "cvm/op.h"

namespace cvm {
namespace {

Types infer(const std::any&, const Types& in) {
  const Shape& s = in[0].shape;
  // Shape rule: (d_0, prod_{k >= 1} d_k); the empty product is 1.
  int64_t rest = 1;
  for (size_t k = 1; k < s.size(); ++k) rest *= s[k];  // <= |x| <= 2^30
  return {TensorType{Shape{s[0], rest}, in[0].precision}};
}

void kernel(const std::any&, const Inputs& in, const Outputs& out) {
  const Tensor& x = *in[0];
  Tensor& y = *out[0];
  for (int64_t i = 0; i < y.size(); ++i) {
    const int64_t v = x.data[static_cast<size_t>(i)];
    CVM_BOUND(in_precision(v, y.precision), "flatten_b1", "y[", i, "] = ", v);
    y.data[static_cast<size_t>(i)] = static_cast<int32_t>(v);
  }
}

}  // namespace

const OpDef& op_def_flatten() {
  static const OpDef def{.name = "flatten",
                         .parse_attrs = parse_no_attrs,
                         .num_inputs = fixed_inputs<1>,
                         .num_outputs = 1,
                         .infer = infer,
                         .gas_weight = gas_weight_one,
                         .reference = kernel,
                         .in_place = true};
  return def;
}

}  // namespace cvm
