// Lemmas for spec/ops/cvm_right_shift.rst.
//
// For every attribute precision in [1, 32] (c1; p_y = precision), shift_bit
// b in [1, 32] (c2), input precision p_x in [1, 32] (no relation required)
// and every |x| <= R(p_x), with
//   t = (x >> (b - 1)) + 1, T = t >> 1   (rules::rounding_shift_sum/_halve,
//                                         the reference kernel's functions),
//   y = clip(T, -alpha, alpha), alpha = R(precision):
//   cvm_right_shift_b1: |y| <= alpha = R(p_y), y fits int32;
//   cvm_right_shift_b2: t in [-(2^31 - 2), 2^31] (fits int64, the width the
//                       reference uses) and T in [-(2^30 - 1), 2^30] fits int32.
// q * 2^(b-1) is non-linear for symbolic b, so the goals split over b (each
// case linear); p_x, precision and x stay symbolic.
// Negative controls: b1 with p_y = precision - 1; b2 claiming t fits int32
// at shift_bit 1 (the int32 rounding step upstream's CPU backend uses),
// refuted at x = 2^31 - 1.
#include "cvm/rules/scalar.h"
#include "lemma.h"
#include "z3_arith.h"

namespace cvm::proofs {
namespace {

struct Vars {
  z3::expr prec, t, T;
};

Vars setup(Query& q, int b) {
  const z3::expr px = q.var("p_x");
  const z3::expr prec = q.var("precision");
  const z3::expr x = q.var("x");
  q.assume(1 <= px && px <= 32);
  q.assume(1 <= prec && prec <= 32);  // c1; b in [1, 32] by the case (c2)
  q.assume(within_range(q, x, px));
  // The reference kernel's two steps (Z3 division by the numeral 2^(b-1),
  // then by 2: floor division, as the arithmetic shifts).
  const z3::expr t = rules::rounding_shift_sum(x, b);
  const z3::expr T = rules::rounding_shift_halve(t);
  return {prec, t, T};
}

void fill_b1(Query& q, int b, int minus) {
  const Vars v = setup(q, b);
  const z3::expr alpha = range_expr(q, v.prec);
  const z3::expr py = v.prec - minus;  // precision rule p_y = precision
  q.assume(1 <= py);
  const z3::expr y = rules::clip(v.T, -alpha, alpha);
  q.claim(within_range(q, y, py));
  q.claim(fits_int32(q, y));
}

void fill_b2(Query& q, int b, bool t_in_int32) {
  const Vars v = setup(q, b);
  if (t_in_int32) {
    q.claim(fits_int32(q, v.t));
    return;
  }
  q.claim(-q.num((int64_t{1} << 31) - 2) <= v.t && v.t <= q.num(int64_t{1} << 31));
  q.claim(fits_int64(q, v.t));
  q.claim(-q.num((int64_t{1} << 30) - 1) <= v.T && v.T <= q.num(int64_t{1} << 30));
  q.claim(fits_int32(q, v.T));
}

// One case per shift_bit b in [1, 32] (c2); the control needs only b = 1.
const Register registered({
    Goal{.label = "cvm_right_shift_b1",
         .statement = "|clip(round(x / 2^b), -alpha, alpha)| <= alpha = R(precision) = R(p_y)",
         .math = R"(|\operatorname{clip}(\operatorname{round}(x / 2^b), -\alpha, \alpha)| \le \alpha = R(p_y))",
         .negative_control = false,
         .cases = split_over("shift_bit", 1, 32, [](Query& q, int b) { fill_b1(q, b, 0); })},
    Goal{.label = "cvm_right_shift_b1_neg_precision_minus_one",
         .statement = "weakened rule p_y = precision - 1 must be refuted",
         .math = R"(p_y = \mathit{precision} - 1 \;\Rightarrow\; |y| \le R(p_y))",
         .negative_control = true,
         .cases = split_over("shift_bit", 1, 32, [](Query& q, int b) { fill_b1(q, b, 1); })},
    Goal{.label = "cvm_right_shift_b2",
         .statement = "t = (x >> (b-1)) + 1 in [-(2^31-2), 2^31] (int64); T = t >> 1 in "
                      "[-(2^30-1), 2^30] fits int32",
         .math = R"(t = (x \gg (b - 1)) + 1 \in [-(2^{31} - 2), 2^{31}],\ |t \gg 1| \le 2^{30})",
         .negative_control = false,
         .cases = split_over("shift_bit", 1, 32, [](Query& q, int b) { fill_b2(q, b, false); })},
    Goal{.label = "cvm_right_shift_b2_neg_t_in_int32",
         .statement = "rounding step t computed in int32 at shift_bit 1 must be refuted "
                      "(x = 2^31 - 1 gives t = 2^31)",
         .math = R"(b = 1 \;\Rightarrow\; |t| \le 2^{31}-1)",
         .negative_control = true,
         .cases = single_case("shift_bit = 1", [](Query& q) { fill_b2(q, 1, true); })},
});

}  // namespace
}  // namespace cvm::proofs
