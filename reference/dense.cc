// dense - reference transcription of spec/ops/dense.rst.
#include "cvm/ops/dense.h"

#include <algorithm>

#include "cvm/op.h"
#include "cvm/rules/precision.h"

namespace cvm {
namespace {

// units >= 1 is the parser's bound (dense_c1, the lower_bound of the page's attribute block).
std::any parse(AttrReader& r) {
  return DenseAttrs{.units = r.int32("units"), .use_bias = r.boolean("use_bias")};
}

int num_inputs(const std::any& attrs) {
  return std::any_cast<const DenseAttrs&>(attrs).use_bias ? 3 : 2;
}

Types infer(const std::any& attrs, const Types& in) {
  const auto& a = std::any_cast<const DenseAttrs&>(attrs);
  const TensorType& x = in[0];
  const TensorType& w = in[1];
  // dense_c2: x is a matrix (M, K).
  CVM_REQUIRE(x.shape.size() == 2, "dense_c2", "x must have rank 2, got shape ",
              shape_str(x.shape));
  const int64_t m = x.shape[0];
  const int64_t k = x.shape[1];
  // dense_c3: w is exactly (units, K).
  CVM_REQUIRE(w.shape == Shape({a.units, k}), "dense_c3", "w must have shape ",
              shape_str({a.units, k}), ", got ", shape_str(w.shape));
  // dense_c4: b is exactly (units).
  if (a.use_bias)
    CVM_REQUIRE(in[2].shape == Shape({a.units}), "dense_c4", "b must have shape ",
                shape_str({a.units}), ", got ", shape_str(in[2].shape));
  // dense_c5: both matrix operands have precision <= 8.
  CVM_REQUIRE(x.precision <= 8 && w.precision <= 8, "dense_c5",
              "x and w must have precision <= 8, got ", x.precision, " and ", w.precision);
  const int p = rules::dot_product_precision(x.precision, w.precision, bits(static_cast<uint64_t>(k)),
                                             a.use_bias, a.use_bias ? in[2].precision : 0);
  return {TensorType{Shape{m, a.units}, p}};
}

int64_t gas_weight(const std::any& attrs, const Types& in, const Types&) {
  const auto& a = std::any_cast<const DenseAttrs&>(attrs);
  const int64_t k = in[1].shape[1];
  return 3 * k + (a.use_bias ? 1 : 0);
}

void kernel(const std::any& attrs, const Inputs& in, const Outputs& out) {
  const auto& a = std::any_cast<const DenseAttrs&>(attrs);
  const Tensor& x = *in[0];
  const Tensor& w = *in[1];
  Tensor& y = *out[0];
  const int64_t m_count = x.shape[0];
  const int64_t k_count = x.shape[1];
  const int64_t units = a.units;
  // The dense_b2 bound on the accumulator: K * R(px) * R(pw) (+ R(pb)).
  const int64_t acc_bound = k_count * prec_max(x.precision) * prec_max(w.precision);
  const int64_t biased_bound = acc_bound + (a.use_bias ? prec_max(in[2]->precision) : 0);
  for (int64_t m = 0; m < m_count; ++m) {
    for (int64_t n = 0; n < units; ++n) {
      int64_t acc = 0;
      for (int64_t k = 0; k < k_count; ++k) {
        acc += int64_t{x.data[static_cast<size_t>(m * k_count + k)]} *
               int64_t{w.data[static_cast<size_t>(n * k_count + k)]};
        CVM_BOUND(acc >= -acc_bound && acc <= acc_bound, "dense_b2", "partial sum ", acc,
                  " at y[", m, ", ", n, "], k = ", k);
      }
      if (a.use_bias) {
        acc += int64_t{in[2]->data[static_cast<size_t>(n)]};
        CVM_BOUND(acc >= -biased_bound && acc <= biased_bound, "dense_b2", "biased sum ", acc,
                  " at y[", m, ", ", n, "]");
      }
      CVM_BOUND(in_precision(acc, y.precision), "dense_b1", "y[", m, ", ", n, "] = ", acc);
      y.data[static_cast<size_t>(m * units + n)] = static_cast<int32_t>(acc);
    }
  }
}

}  // namespace

OpDef op_def_dense() {
  return {.parse_attrs = parse, .num_inputs = num_inputs, .infer = infer, .gas_weight = gas_weight,
          .reference = kernel};
}

}  // namespace cvm
