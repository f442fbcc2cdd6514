// Lemmas for spec/ops/expand_dims.rst.
//
// expand_dims_b1: every output value is a copy of an input value x (|x| <= R(p_x)),
// and the precision rule is p_y = p_x; so |y| <= R(p_y) <= 2^31 - 1 for every
// p_x in [1, 32]. The precision is symbolic (range_expr).
#include "lemma.h"

namespace cvm::proofs {
namespace {

constexpr int64_t kInt32Max = 2147483647;

// `minus` is 0 for the spec's rule p_y = p_x, 1 for the weakened control.
void fill(Query& q, int minus) {
  const z3::expr px = q.var("p_x");
  const z3::expr x = q.var("x_e");  // the input element the output value copies
  const z3::expr y = q.var("y");
  q.assume(1 <= px && px <= 32);
  const z3::expr py = px - minus;
  q.assume(1 <= py && py <= 32);  // op_c3
  q.assume(-range_expr(q, px) <= x && x <= range_expr(q, px));
  q.assume(y == x);
  q.claim(-range_expr(q, py) <= y && y <= range_expr(q, py));
  q.claim(-q.num(kInt32Max) <= y && y <= q.num(kInt32Max));
}

const Register registered({
    Goal{.label = "expand_dims_b1",
         .statement = "y[i] = x[i]: |y[i]| <= R(p_x) = R(p_y), and y[i] fits int32",
         .negative_control = false,
         .cases = [](const auto& each) { each("all precisions", [](Query& q) { fill(q, 0); }); }},
    Goal{.label = "expand_dims_b1_neg_precision_minus_one",
         .statement = "weakened rule p_y = p_x - 1 must be refuted",
         .negative_control = true,
         .cases = [](const auto& each) { each("all precisions", [](Query& q) { fill(q, 1); }); }},
});

}  // namespace
}  // namespace cvm::proofs
