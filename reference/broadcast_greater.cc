// broadcast_greater - reference transcription of spec/ops/broadcast_greater.rst.
#include <algorithm>

#include "cvm/op.h"
#include "cvm/rules/precision.h"
#include "binary_common.h"

namespace cvm {
namespace {

Types infer(const std::any&, const Types& in) {
  const TensorType& a = in[0];
  const TensorType& b = in[1];
  // broadcast_greater_c1: the shapes broadcast (right-aligned, equal dims or a 1).
  const Shape out_shape = broadcast_shapes(a.shape, b.shape, "broadcast_greater_c1");
  // p_y = max(p_a, 2): the output 1 needs precision 2 (upstream gives p_a,
  // unsound for p_a = 1; spec/errata/broadcast_greater.rst E-broadcast_greater-1).
  return {TensorType{out_shape, rules::at_least_two_precision(a.precision)}};
}

void kernel(const std::any&, const Inputs& in, const Outputs& out) {
  const Tensor& a = *in[0];
  const Tensor& b = *in[1];
  Tensor& y = *out[0];
  for (int64_t i = 0; i < y.size(); ++i) {
    const BroadcastOffsets o = broadcast_offsets(i, y.shape, a.shape, b.shape, "broadcast_greater_b2");
    const int64_t va = a.data[static_cast<size_t>(o.a)];
    const int64_t vb = b.data[static_cast<size_t>(o.b)];
    const int64_t v = va > vb ? 1 : 0;
    CVM_BOUND(in_precision(v, y.precision), "broadcast_greater_b1", "y[", i, "] = ", v);
    y.data[static_cast<size_t>(i)] = static_cast<int32_t>(v);
  }
}

}  // namespace

const OpDef& op_def_broadcast_greater() {
  static const OpDef def{.name = "broadcast_greater",
                         .parse_attrs = parse_no_attrs,
                         .num_inputs = fixed_inputs<2>,
                         .num_outputs = 1,
                         .infer = infer,
                         .gas_weight = gas_weight_one,
                         .reference = kernel,
                         .in_place = false};
  return def;
}

}  // namespace cvm
