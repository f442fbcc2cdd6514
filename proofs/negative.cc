// Lemmas for spec/ops/negative.rst.
//
// negative_b1: for every input precision p_x in [1, 32] (p_y = p_x) and every
// |x| <= R(p_x): y = -x fits int32 and |y| <= R(p_x) = R(p_y).
// Negative controls: p_y = p_x - 1, and admitting x = -2^31 (no precision),
// whose negation does not fit int32.
#include "lemma.h"

namespace cvm::proofs {
namespace {

z3::expr fits_int32(Query& q, const z3::expr& v) {
  return -q.num(kInt32Max) <= v && v <= q.num(kInt32Max);  // |v| <= 2^31 - 1
}

// `minus` lowers the output precision; `int32_min` admits any int32 input
// (including -2^31) instead of |x| <= R(p_x), and drops the precision claim.
void fill(Query& q, int minus, bool int32_min) {
  const z3::expr px = q.var("p_x");
  const z3::expr x = q.var("x");
  q.assume(1 <= px && px <= 32);
  const z3::expr py = px - minus;  // precision rule p_y = p_x
  q.assume(1 <= py && py <= 32);
  if (int32_min) {
    q.assume(-q.num(kInt32Max) - 1 <= x && x <= q.num(kInt32Max));  // any int32 value
  } else {
    q.assume(-range_expr(q, px) <= x && x <= range_expr(q, px));
  }
  const z3::expr y = -x;
  q.claim(fits_int32(q, y));
  if (!int32_min) q.claim(-range_expr(q, py) <= y && y <= range_expr(q, py));
}

const Register registered({
    Goal{.label = "negative_b1",
         .statement = "|-x| = |x| <= R(p_x) = R(p_y); -x fits int32",
         .math = R"(|-x| = |x| \le R(p_x) = R(p_y) \le 2^{31}-1)",
         .negative_control = false,
         .cases = [](const auto& each) {
           each("all precisions", [](Query& q) { fill(q, 0, false); });
         }},
    Goal{.label = "negative_b1_neg_precision_minus_one",
         .statement = "weakened rule p_y = p_x - 1 must be refuted",
         .math = R"(p_y = p_x - 1 \;\Rightarrow\; |-x| \le R(p_y))",
         .negative_control = true,
         .cases = [](const auto& each) {
           each("all precisions", [](Query& q) { fill(q, 1, false); });
         }},
    Goal{.label = "negative_b1_neg_int32_min_input",
         .statement = "admitting x = -2^31 (no precision): -x does not fit int32, must be refuted",
         .math = R"(x = -2^{31} \;\Rightarrow\; |-x| \le 2^{31}-1)",
         .negative_control = true,
         .cases = [](const auto& each) {
           each("any int32 input", [](Query& q) { fill(q, 0, true); });
         }},
});

}  // namespace
}  // namespace cvm::proofs
