// Lemmas for spec/ops/negative.rst.
//
// negative_b1: for every input precision p_x in [1, 32] (p_y = p_x) and every
// |x| <= R(p_x): y = -x fits int32 and |y| <= R(p_x) = R(p_y).
// Negative controls: p_y = p_x - 1, and admitting x = -2^31 (no precision),
// whose negation does not fit int32.
#include "element_operands.h"
#include "lemma.h"

namespace cvm::proofs {
namespace {

// `minus` lowers the output precision; `int32_min` admits any int32 input
// (including -2^31) instead of |x| <= R(p_x), and drops the precision claim.
void fill(Query& q, int minus, bool int32_min) {
  const UnaryOperand v = declare_unary_operand(q, minus, int32_min);
  const z3::expr y = -v.x;
  q.claim(fits_int32(q, y));
  if (!int32_min) q.claim(within_range(q, y, v.py));
}

const Register registered({
    Goal{.label = "negative_b1",
         .statement = "|-x| = |x| <= R(p_x) = R(p_y); -x fits int32",
         .math = R"(|-x| = |x| \le R(p_x) = R(p_y) \le 2^{31}-1)",
         .negative_control = false,
         .cases = single_case("all precisions", [](Query& q) { fill(q, 0, false); })},
    Goal{.label = "negative_b1_neg_precision_minus_one",
         .statement = "weakened rule p_y = p_x - 1 must be refuted",
         .math = R"(p_y = p_x - 1 \;\Rightarrow\; |-x| \le R(p_y))",
         .negative_control = true,
         .cases = single_case("all precisions", [](Query& q) { fill(q, 1, false); })},
    Goal{.label = "negative_b1_neg_int32_min_input",
         .statement = "admitting x = -2^31 (no precision): -x does not fit int32, must be refuted",
         .math = R"(x = -2^{31} \;\Rightarrow\; |-x| \le 2^{31}-1)",
         .negative_control = true,
         .cases = single_case("any int32 input", [](Query& q) { fill(q, 0, true); })},
});

}  // namespace
}  // namespace cvm::proofs
