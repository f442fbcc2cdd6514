// Lemmas for spec/ops/broadcast_sub.rst.
//
// broadcast_sub_b1: for all precisions p_a, p_b in [1, 32] whose output
// precision p_y = max(p_a, p_b) + 1 is at most 32 (op_c3), and all values
// |alpha| <= R(p_a), |beta| <= R(p_b) (the broadcast reads one element of each
// input): d = alpha - beta has |d| <= R(p_y), fits int64 (where it is formed)
// and int32 (where it is stored). Precisions stay symbolic (range_expr).
#include "element_operands.h"
#include "lemma.h"

namespace cvm::proofs {
namespace {

// `plus` is 1 for the page's rule, 0 for the weakened negative control.
void fill(Query& q, int plus) {
  const BinaryOperands v = declare_sum_operands(q, "alpha", "beta", plus);
  const z3::expr d = v.a - v.b;
  q.claim(within_range(q, d, v.py));
  q.claim(fits_int32(q, d));
  q.claim(fits_int64(q, d));
}

const Register registered({
    Goal{.label = "broadcast_sub_b1",
         .statement = "|alpha - beta| <= R(max(p_a, p_b) + 1) <= 2^31 - 1 (difference fits int64 and int32)",
         .math = R"(|\alpha - \beta| \le R(\max(p_a, p_b) + 1) \le 2^{31}-1)",
         .negative_control = false,
         .cases = single_case("all precisions", [](Query& q) { fill(q, 1); })},
    Goal{.label = "broadcast_sub_b1_neg_without_plus_one",
         .statement = "weakened rule p_y = max(p_a, p_b) must be refuted",
         .math = R"(p_y = \max(p_a, p_b) \;\Rightarrow\; |\alpha - \beta| \le R(p_y))",
         .negative_control = true,
         .cases = single_case("all precisions", [](Query& q) { fill(q, 0); })},
});

}  // namespace
}  // namespace cvm::proofs
