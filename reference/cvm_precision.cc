// cvm_precision - reference transcription of spec/ops/cvm_precision.rst.
#include <cstdint>

#include "cvm/op.h"

namespace cvm {
namespace {

Types infer(const std::any&, const Types& in) {
  // Shape rule: same shape; precision rule: p_y = 6.
  return {TensorType{in[0].shape, 6}};
}

void kernel(const std::any&, const Inputs& in, const Outputs& out) {
  const Tensor& x = *in[0];
  Tensor& y = *out[0];
  for (int64_t i = 0; i < x.size(); ++i) {
    const int64_t xi = x.data[static_cast<size_t>(i)];
    // |x[i]| in 64 bits: total even for -2^31 (which cannot reach here).
    const uint64_t magnitude = static_cast<uint64_t>(xi < 0 ? -xi : xi);
    const int64_t v = xi == 0 ? 1 : bits(magnitude);
    CVM_BOUND(in_precision(v, y.precision), "cvm_precision_b1", "y[", i, "] = ", v);
    y.data[static_cast<size_t>(i)] = static_cast<int32_t>(v);
  }
}

}  // namespace

const OpDef& op_def_cvm_precision() {
  static const OpDef def{.name = "cvm_precision",
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
