// Lemmas for spec/ops/clip.rst.
//
// clip_b1: for all attributes a_min < a_max in [-(2^31-1), 2^31-1] (clip_c1,
// clip_c2), with m = max(|a_min|, |a_max|) and the output precision
// p_y = np(m) = bits(m + 1) + 1 at most 32 (op_c3), for every input
// precision p_x in [1, 32] and every |x| <= R(p_x): y = clip(x, a_min, a_max)
// satisfies |y| <= m <= R(p_y) and fits int32. bits(m + 1) = b is encoded as
// 2^(b-1) <= m + 1 < 2^b with b symbolic.
// Negative control: the rule without its trailing +1, p_y = bits(m + 1),
// must be refuted (e.g. m = 2). (Dropping the inner +1 instead, bits(m) + 1,
// would still be sound: np only over-estimates, see the page's Quirk.)
// Upstream's rule is the page's rule (kept for compatibility), so clip has no
// errata entry. Its over-estimate is shown by the control clip_b1_neg_minimal:
// "p_y is the least precision holding m" is refuted (at some m = 2^k - 1).
#include "cvm/rules/precision.h"
#include "cvm/rules/scalar.h"
#include "lemma.h"
#include "z3_arith.h"

namespace cvm::proofs {
namespace {

// `plus` is the trailing +1 of np (1 for the spec's rule). `minimal` replaces
// the claims by "p_y is the least precision that holds m" (R(p_y - 1) < m),
// the control that shows np's over-estimate.
void fill(Query& q, int plus, bool minimal = false) {
  const z3::expr px = q.var("p_x");
  const z3::expr amin = q.var("a_min");
  const z3::expr amax = q.var("a_max");
  const z3::expr x = q.var("x");
  const z3::expr b = q.var("bits_m_plus_1");
  q.assume(1 <= px && px <= 32);
  q.assume(within_range(q, x, px));
  // clip_c1: both bounds in [-(2^31-1), 2^31-1]; clip_c2: a_min < a_max.
  q.assume(fits_int32(q, amin));
  q.assume(fits_int32(q, amax));
  q.assume(amin < amax);
  const z3::expr abs_min = z3::ite(amin < 0, -amin, amin);
  const z3::expr abs_max = z3::ite(amax < 0, -amax, amax);
  const z3::expr m = z3::ite(abs_min >= abs_max, abs_min, abs_max);
  // b = bits(m + 1), m + 1 >= 1.
  q.assume(1 <= b && b <= 64);
  q.assume(pow2_expr(q, b - 1) <= m + 1 && m + 1 < pow2_expr(q, b));
  // The runtime's rule p_y = np(m) = bits(m + 1) + 1; the control drops the + 1.
  const z3::expr py = rules::number_precision_from_bits(b) - (1 - plus);
  q.assume(1 <= py && py <= 32);  // op_c3
  if (minimal) {
    q.claim(range_expr(q, py - 1) < m);
    return;
  }
  const z3::expr y = rules::clip(x, amin, amax);  // the reference kernel's formula
  q.claim(-m <= y && y <= m);
  q.claim(within_range(q, y, py));
  q.claim(fits_int32(q, y));
}

const Register registered({
    Goal{.label = "clip_b1",
         .statement = "|clip(x, a_min, a_max)| <= max(|a_min|, |a_max|) <= R(np(max(|a_min|, |a_max|)))",
         .math = R"(|\operatorname{clip}(x, a_{min}, a_{max})| \le m \le R(\operatorname{np}(m)),\ m = \max(|a_{min}|, |a_{max}|))",
         .negative_control = false,
         .cases = single_case("all attributes", [](Query& q) { fill(q, 1); })},
    Goal{.label = "clip_b1_neg_without_plus_one",
         .statement = "weakened rule p_y = bits(max(|a_min|, |a_max|) + 1) must be refuted",
         .math = R"(p_y = \operatorname{bits}(m + 1) \;\Rightarrow\; |y| \le R(p_y))",
         .negative_control = true,
         .cases = single_case("all attributes", [](Query& q) { fill(q, 0); })},
    Goal{.label = "clip_b1_neg_minimal",
         .statement = "np is not minimal: the claim R(p_y - 1) < max(|a_min|, |a_max|) must be "
                      "refuted (the page's Quirk: upstream's rule, kept, over-estimates by one at "
                      "2^k - 1; sound, only loose)",
         .math = R"(R(\operatorname{np}(m) - 1) < m)",
         .negative_control = true,
         .cases = single_case("all attributes", [](Query& q) { fill(q, 1, true); })},
});

}  // namespace
}  // namespace cvm::proofs
