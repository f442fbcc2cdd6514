// Lemmas for spec/ops/broadcast_div.rst.
//
// broadcast_div_b1: for all precisions p_a, p_b in [1, 32], output precision
// p_y = p_a, and all values |alpha| <= R(p_a), |beta| <= R(p_b) (0 included):
// y = 0 if beta = 0, else alpha quot beta (truncation toward zero), has
// |y| <= R(p_y), fits int64 (where it is formed) and int32 (where stored).
//
// quot is modelled exactly: with m = |alpha| div |beta| (floor division of
// non-negative values: m * |beta| <= |alpha| < (m + 1) * |beta|),
// alpha quot beta = m if alpha and beta have the same sign, else -m.
// The terms m * |beta| are non-linear, so the goal has two cases:
//   * "quotient bound": for all A >= 0, B >= 1 and m with
//     m * B <= A < (m + 1) * B: 0 <= m <= A (symbolic A, B; in particular
//     A = |alpha|, B = |beta|).
//   * "all precisions": with 0 <= m <= |alpha| (the first case) for
//     beta != 0, the element formula y satisfies the bounds; symbolic
//     precisions and values, linear.
#include "lemma.h"

namespace cvm::proofs {
namespace {

void fill_quotient(Query& q) {
  const z3::expr a = q.var("A");
  const z3::expr b = q.var("B");
  const z3::expr m = q.var("m");
  q.assume(a >= 0 && b >= 1);
  q.assume(m * b <= a && a < (m + 1) * b);  // m = A div B
  q.claim(0 <= m && m <= a);
}

// `minus` is 0 for the page's rule p_y = p_a, 1 for the weakened control.
void fill_element(Query& q, int minus) {
  const z3::expr pa = q.var("p_a");
  const z3::expr pb = q.var("p_b");
  const z3::expr alpha = q.var("alpha");
  const z3::expr beta = q.var("beta");
  const z3::expr m = q.var("m");  // |alpha| div |beta| when beta != 0
  q.assume(1 <= pa && pa <= 32 && 1 <= pb && pb <= 32);
  const z3::expr py = pa - minus;
  q.assume(1 <= py && py <= 32);  // op_c3
  q.assume(within_range(q, alpha, pa));
  q.assume(within_range(q, beta, pb));
  const z3::expr abs_a = z3::ite(alpha >= 0, alpha, -alpha);
  q.assume(z3::implies(beta != 0, 0 <= m && m <= abs_a));  // case "quotient bound"
  const z3::expr quot = z3::ite((alpha >= 0) == (beta >= 0), m, -m);
  const z3::expr y = z3::ite(beta == 0, q.num(0), quot);
  q.claim(within_range(q, y, py));
  q.claim(fits_int32(q, y));
  q.claim(fits_int64(q, y));
}

const Register registered({
    Goal{.label = "broadcast_div_b1",
         .statement = "|y| <= |alpha| <= R(p_a) = R(p_y) <= 2^31 - 1 for y = (beta = 0 ? 0 : alpha "
                      "quot beta) (fits int64 and int32)",
         .math = R"(|\alpha \mathbin{\mathrm{quot}} \beta| \le |\alpha| \le R(p_a) = R(p_y) \le 2^{31}-1)",
         .negative_control = false,
         .cases =
             [](const auto& each) {
               each("quotient bound", fill_quotient);
               each("all precisions", [](Query& q) { fill_element(q, 0); });
             }},
    Goal{.label = "broadcast_div_b1_neg_minus_one",
         .statement = "weakened rule p_y = p_a - 1 must be refuted",
         .math = R"(p_y = p_a - 1 \;\Rightarrow\; |y| \le R(p_y))",
         .negative_control = true,
         .cases =
             [](const auto& each) {
               each("quotient bound", fill_quotient);
               each("all precisions", [](Query& q) { fill_element(q, 1); });
             }},
});

}  // namespace
}  // namespace cvm::proofs
