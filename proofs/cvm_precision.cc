// Lemmas for spec/ops/cvm_precision.rst.
//
// cvm_precision_b1: for every input precision p_x in [1, 32] and every
// |x| <= R(p_x), with n = |x| and y = 1 if x = 0, else bits(n), where
// bits(n) = b is encoded as 2^(b-1) <= n < 2^b (b symbolic in [1, 64]):
// the magnitude n fits int32, 1 <= y <= 31 = R(6) = R(p_y), y <= p_x - 1
// for x != 0, and y = 1 for p_x = 1.
// Negative controls: p_y = 5 (R(5) = 15), and admitting x = -2^31 (no
// precision), where bits(2^31) = 32 > R(6).
#include "lemma.h"

namespace cvm::proofs {
namespace {

// `py` is the output precision (6 by the rule); `int32_min` admits any int32
// input (including -2^31) instead of |x| <= R(p_x) and keeps only the claims
// about the output precision.
void fill(Query& q, int py, bool int32_min) {
  const z3::expr px = q.var("p_x");
  const z3::expr x = q.var("x");
  const z3::expr b = q.var("bits_n");
  q.assume(1 <= px && px <= 32);
  if (int32_min) {
    q.assume(-q.num(kInt32Max) - 1 <= x && x <= q.num(kInt32Max));  // any int32 value
  } else {
    q.assume(within_range(q, x, px));
  }
  const z3::expr n = z3::ite(x < 0, -x, x);  // computed in int64 by the reference
  // b = bits(n) for n >= 1.
  q.assume(1 <= b && b <= 64);
  q.assume(z3::implies(n >= 1, pow2_expr(q, b - 1) <= n && n < pow2_expr(q, b)));
  const z3::expr y = z3::ite(x == 0, q.num(1), b);
  const z3::expr r_py = q.num(range_of(py));
  q.claim(1 <= y && y <= r_py);
  if (!int32_min) {
    q.claim(fits_int32(q, n));
    q.claim(z3::implies(x != 0, y <= px - 1));
    q.claim(z3::implies(px == 1, y == 1));
    q.claim(y <= q.num(kInt32Max));
  }
}

const Register registered({
    Goal{.label = "cvm_precision_b1",
         .statement = "1 <= y <= bits(R(p_x)) = p_x - 1 <= 31 = R(6) for x != 0, y = 1 for x = 0; "
                      "|x| fits int32",
         .math = R"(1 \le y \le \operatorname{bits}(R(p_x)) = p_x - 1 \le 31 = R(6))",
         .negative_control = false,
         .cases = single_case("all precisions", [](Query& q) { fill(q, 6, false); })},
    Goal{.label = "cvm_precision_b1_neg_precision_five",
         .statement = "weakened rule p_y = 5 must be refuted",
         .math = R"(p_y = 5 \;\Rightarrow\; |y| \le R(p_y))",
         .negative_control = true,
         .cases = single_case("all precisions", [](Query& q) { fill(q, 5, false); })},
    Goal{.label = "cvm_precision_b1_neg_int32_min_input",
         .statement = "admitting x = -2^31 (no precision): bits(2^31) = 32 > R(6), must be refuted",
         .math = R"(x = -2^{31} \;\Rightarrow\; \operatorname{bits}(|x|) \le R(6))",
         .negative_control = true,
         .cases = single_case("any int32 input", [](Query& q) { fill(q, 6, true); })},
});

}  // namespace
}  // namespace cvm::proofs
