// Lemmas for spec/ops/relu.rst.
//
// relu_b1: for every input precision p_x in [1, 32] (p_y = p_x) and every
// |x| <= R(p_x): 0 <= y = max(x, 0) <= R(p_x) = R(p_y), and y fits int32.
#include "element_operands.h"
#include "lemma.h"

namespace cvm::proofs {
namespace {

// `minus` lowers the output precision (0 for the spec's rule p_y = p_x).
void fill(Query& q, int minus) {
  const UnaryOperand v = declare_unary_operand(q, minus);
  const z3::expr y = z3::ite(v.x > 0, v.x, q.num(0));
  q.claim(0 <= y && y <= range_expr(q, v.py));
  q.claim(fits_int32(q, y));
}

const Register registered({
    Goal{.label = "relu_b1",
         .statement = "0 <= max(x, 0) <= R(p_x) = R(p_y); fits int32",
         .math = R"(0 \le \max(x, 0) \le R(p_x) = R(p_y) \le 2^{31}-1)",
         .negative_control = false,
         .cases = single_case("all precisions", [](Query& q) { fill(q, 0); })},
    Goal{.label = "relu_b1_neg_precision_minus_one",
         .statement = "weakened rule p_y = p_x - 1 must be refuted",
         .math = R"(p_y = p_x - 1 \;\Rightarrow\; \max(x, 0) \le R(p_y))",
         .negative_control = true,
         .cases = single_case("all precisions", [](Query& q) { fill(q, 1); })},
});

}  // namespace
}  // namespace cvm::proofs
