// where - reference transcription of spec/ops/where.rst.
#include <algorithm>

#include "cvm/op.h"

namespace cvm {
namespace {

Types infer(const std::any&, const Types& in) {
  const TensorType& cond = in[0];
  const TensorType& x = in[1];
  const TensorType& y = in[2];
  // where_c1: the two branches have one shape.
  CVM_REQUIRE(x.shape == y.shape, "where_c1", "x ", shape_str(x.shape), " and y ",
              shape_str(y.shape), " must have equal shapes");
  // where_c2: cond matches x element-wise, or is a row mask of length d_0.
  CVM_REQUIRE(cond.shape == x.shape || (cond.shape.size() == 1 && cond.shape[0] == x.shape[0]),
              "where_c2", "cond ", shape_str(cond.shape), " must equal x ", shape_str(x.shape),
              " or be 1-D of length ", x.shape[0]);
  // Precision: max(p_x, p_y), not upstream's p_cond (errata E-where-1).
  return {TensorType{x.shape, std::max(x.precision, y.precision)}};
}

void kernel(const std::any&, const Inputs& in, const Outputs& out) {
  const Tensor& cond = *in[0];
  const Tensor& x = *in[1];
  const Tensor& y = *in[2];
  Tensor& z = *out[0];
  // r: the number of elements each cond value governs (1 element-wise, |x| / d_0 for rows;
  // both give 1 when x has rank 1). The full row is selected (errata E-where-2).
  const int64_t r = cond.shape == x.shape ? 1 : x.size() / x.shape[0];
  for (int64_t i = 0; i < z.size(); ++i) {
    const int32_t c = cond.data[static_cast<size_t>(i / r)];  // i, r >= 0: div = quot
    const int64_t v = c != 0 ? x.data[static_cast<size_t>(i)] : y.data[static_cast<size_t>(i)];
    CVM_BOUND(in_precision(v, z.precision), "where_b1", "out[", i, "] = ", v);
    z.data[static_cast<size_t>(i)] = static_cast<int32_t>(v);
  }
}

}  // namespace

OpDef op_def_where() {
  return {.num_inputs = fixed_inputs<3>, .infer = infer, .reference = kernel};
}

}  // namespace cvm
