// Lemmas for spec/ops/reshape.rst.
//
// reshape_b1: y[i] = x[i], so |y[i]| <= R(p_x) = R(p_y) <= 2^31 - 1 (p_x
// symbolic in [1, 32]). The shape-inference products the page mentions are
// not modelled here (open).
#include "lemma.h"

namespace cvm::proofs {
namespace {

constexpr int64_t kInt32Max = 2147483647;

void fill_value(Query& q, int minus) {
  const z3::expr px = q.var("p_x");
  const z3::expr x = q.var("x_i");
  const z3::expr y = q.var("y_i");
  q.assume(1 <= px && px <= 32);
  const z3::expr py = px - minus;
  q.assume(1 <= py && py <= 32);  // op_c3
  q.assume(-range_expr(q, px) <= x && x <= range_expr(q, px));
  q.assume(y == x);
  q.claim(-range_expr(q, py) <= y && y <= range_expr(q, py));
  q.claim(-q.num(kInt32Max) <= y && y <= q.num(kInt32Max));
}

const Register registered({
    Goal{.label = "reshape_b1",
         .statement = "y[i] = x[i]: |y[i]| <= R(p_x) = R(p_y) <= 2^31 - 1",
         .negative_control = false,
         .cases =
             [](const auto& each) {
               each("values, all precisions", [](Query& q) { fill_value(q, 0); });
             }},
    Goal{.label = "reshape_b1_neg_precision_minus_one",
         .statement = "weakened rule p_y = p_x - 1 must be refuted",
         .negative_control = true,
         .cases = [](const auto& each) {
           each("values, all precisions", [](Query& q) { fill_value(q, 1); });
         }},
});

}  // namespace
}  // namespace cvm::proofs
