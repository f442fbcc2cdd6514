// Lemmas for spec/ops/broadcast_mul.rst.
//
// broadcast_mul_b1: for all precisions p_a, p_b in [1, 32] with output
// precision p_y = p_a + p_b <= 32 (op_c3), and all values |alpha| <= R(p_a),
// |beta| <= R(p_b): q = alpha * beta has |q| <= R(p_y), fits int64 (where it
// is formed) and int32 (where it is stored).
//
// The product of two symbolic values, or of two symbolic R(.), is
// non-linear, so the goal is the chain
//   |alpha * beta| <= R(p_a) * R(p_b) <= R(p_a + p_b) <= 2^31 - 1 < 2^63 - 1
// proved in cases:
//   * "product bound": for all U, W >= 0 and |alpha| <= U, |beta| <= W:
//     |alpha * beta| <= U * W (symbolic U, W; in particular U = R(p_a),
//     W = R(p_b)). One non-linear query that Z3 decides.
//   * "p_a = k" for k in [1, 31] (p_b >= 1 and op_c3 leave no other p_a):
//     R(k) is a constant, so R(k) * R(p_b) is linear in the if-then-else
//     R(p_b); for every symbolic p_b in [1, 32] with k + p_b <= 32:
//     R(k) * R(p_b) <= R(k + p_b), and the bound fits int32 and int64.
#include <string>

#include "cvm/rules/precision.h"
#include "lemma.h"
#include "z3_arith.h"

namespace cvm::proofs {
namespace {

// |alpha * beta| <= U * W for |alpha| <= U, |beta| <= W.
void fill_product(Query& q) {
  const z3::expr alpha = q.var("alpha");
  const z3::expr beta = q.var("beta");
  const z3::expr u = q.var("U");
  const z3::expr w = q.var("W");
  q.assume(u >= 0 && w >= 0);
  q.assume(-u <= alpha && alpha <= u);
  q.assume(-w <= beta && beta <= w);
  const z3::expr prod = alpha * beta;
  q.claim(-(u * w) <= prod && prod <= u * w);
}

// R(p_a) * R(p_b) <= R(p_y) with p_y = p_a + p_b + delta (delta = 0: the
// page's rule; negative: a weakened rule), and the bound fits int32 / int64.
void fill_precision(Query& q, int pa_value, int delta) {
  const z3::expr pa = q.var("p_a");
  const z3::expr pb = q.var("p_b");
  q.assume(pa == pa_value);
  q.assume(1 <= pb && pb <= 32);
  q.assume(pa + pb <= 32);  // op_c3 for the page's rule
  const z3::expr py = rules::product_precision(pa, pb) + delta;  // the runtime's rule
  q.assume(1 <= py);  // a weakened rule must still give a precision
  const z3::expr bound = q.num(range_of(pa_value)) * range_expr(q, pb);  // R(p_a) * R(p_b)
  q.claim(bound <= range_expr(q, py));
  q.claim(bound <= q.num(kInt32Max));
  q.claim(bound <= q.num(kInt64Max));
}

template <int Delta>
void all_cases(const EachCase& each) {
  each("product bound", fill_product);
  each_value(each, "p_a", 1, 31, [](Query& q, int pa) { fill_precision(q, pa, Delta); });
}

const Register registered({
    Goal{.label = "broadcast_mul_b1",
         .statement = "|alpha * beta| <= R(p_a) * R(p_b) <= R(p_a + p_b) <= 2^31 - 1 (the product "
                      "fits int64 and int32)",
         .math = R"(|\alpha \beta| \le R(p_a) R(p_b) \le R(p_a + p_b) \le 2^{31}-1)",
         .negative_control = false,
         .cases = [](const auto& each) { all_cases<0>(each); }},
    // p_a + p_b - 1 would still be sound (R(p_a) R(p_b) <= 2^(p_a+p_b-2) - 1);
    // two bits less is not.
    Goal{.label = "broadcast_mul_b1_neg_minus_two",
         .statement = "weakened rule p_y = p_a + p_b - 2 must be refuted",
         .math = R"(p_y = p_a + p_b - 2 \;\Rightarrow\; |\alpha \beta| \le R(p_y))",
         .negative_control = true,
         .cases = [](const auto& each) { all_cases<-2>(each); }},
});

}  // namespace
}  // namespace cvm::proofs
