// Lemmas for spec/ops/cvm_left_shift.rst.
//
// For every attribute precision in [1, 32] (c1; p_y = precision), shift_bit
// s in [1, 32] (c2), input precision p_x in [1, 32] with p_x + s <= 32 (c3),
// and every |x| <= R(p_x), with T = x * 2^s and alpha = R(precision):
//   cvm_left_shift_b1: y = clip(T, -alpha, alpha) has |y| <= alpha = R(p_y)
//                      and fits int32;
//   cvm_left_shift_b2: |T| <= R(p_x) * 2^s = 2^(p_x-1+s) - 2^s <= 2^31 - 2,
//                      so T fits int32 (and the int64 the reference uses).
// x * 2^s is non-linear for symbolic s, so the goals split over s (each case
// linear); p_x, precision and x stay symbolic.
// Negative controls: b1 with p_y = precision - 1; b2 without c3
// (p_x + s <= 33 admitted).
#include "cvm/rules/scalar.h"
#include "lemma.h"
#include "z3_arith.h"

namespace cvm::proofs {
namespace {

constexpr int64_t kMaxT = (int64_t{1} << 31) - 2;

struct Vars {
  z3::expr px, prec, x, t, alpha;
};

// Common hypotheses for shift s; `c3_slack` relaxes cvm_left_shift_c3.
Vars setup(Query& q, int s, int c3_slack) {
  const z3::expr px = q.var("p_x");
  const z3::expr prec = q.var("precision");
  const z3::expr x = q.var("x");
  q.assume(1 <= px && px <= 32);
  q.assume(1 <= prec && prec <= 32);      // c1; s in [1, 32] by the case (c2)
  q.assume(px + s <= 32 + c3_slack);      // c3
  q.assume(within_range(q, x, px));
  const z3::expr t = rules::left_shift(x, s);  // the reference kernel's formula
  return {px, prec, x, t, range_expr(q, prec)};
}

void fill_b1(Query& q, int s, int minus) {
  const Vars v = setup(q, s, 0);
  const z3::expr py = v.prec - minus;  // precision rule p_y = precision
  q.assume(1 <= py);
  const z3::expr y = rules::clip(v.t, -v.alpha, v.alpha);
  q.claim(within_range(q, y, py));
  q.claim(fits_int32(q, y));
}

void fill_b2(Query& q, int s, int c3_slack) {
  const Vars v = setup(q, s, c3_slack);
  const z3::expr bound = range_expr(q, v.px) * q.num(int64_t{1} << s);
  q.claim(-bound <= v.t && v.t <= bound);
  q.claim(-q.num(kMaxT) <= v.t && v.t <= q.num(kMaxT));
  q.claim(fits_int32(q, v.t));
}

// One case per shift_bit s in [1, 32] (c2). shift_bit = 32 is always
// rejected by c3 (p_x >= 1), so it is still a case: its hypotheses are
// unsatisfiable, proving it vacuously.
const Register registered({
    Goal{.label = "cvm_left_shift_b1",
         .statement = "|clip(x << s, -alpha, alpha)| <= alpha = R(precision) = R(p_y); fits int32",
         .math = R"(|\operatorname{clip}(x \cdot 2^s, -\alpha, \alpha)| \le \alpha = R(p_y) \le 2^{31}-1)",
         .negative_control = false,
         .cases = split_over("shift_bit", 1, 32, [](Query& q, int s) { fill_b1(q, s, 0); })},
    Goal{.label = "cvm_left_shift_b1_neg_precision_minus_one",
         .statement = "weakened rule p_y = precision - 1 must be refuted",
         .math = R"(p_y = \mathit{precision} - 1 \;\Rightarrow\; |y| \le R(p_y))",
         .negative_control = true,
         .cases = split_over("shift_bit", 1, 32, [](Query& q, int s) { fill_b1(q, s, 1); })},
    Goal{.label = "cvm_left_shift_b2",
         .statement = "|x << s| <= R(p_x) * 2^s <= 2^31 - 2 under p_x + s <= 32; fits int32",
         .math = R"(|x \cdot 2^s| \le R(p_x) \, 2^s \le 2^{31} - 2,\ p_x + s \le 32)",
         .negative_control = false,
         .cases = split_over("shift_bit", 1, 32, [](Query& q, int s) { fill_b2(q, s, 0); })},
    Goal{.label = "cvm_left_shift_b2_neg_without_c3",
         .statement = "admitting p_x + shift_bit = 33 must be refuted",
         .math = R"(p_x + s = 33 \;\Rightarrow\; |x \cdot 2^s| \le 2^{31}-1)",
         .negative_control = true,
         .cases = split_over("shift_bit", 1, 32, [](Query& q, int s) { fill_b2(q, s, 1); })},
});

}  // namespace
}  // namespace cvm::proofs
