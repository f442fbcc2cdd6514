// Lemmas for spec/ops/broadcast_add.rst.
//
// broadcast_add_b1: for all precisions p_a, p_b in [1, 32] whose output
// precision p_y = max(p_a, p_b) + 1 is at most 32 (op_c3), and all values
// |alpha| <= R(p_a), |beta| <= R(p_b) (the broadcast reads one element of each
// input): s = alpha + beta has |s| <= R(p_y), fits int64 (where it is formed)
// and int32 (where it is stored). Precisions stay symbolic (range_expr).
#include "element_operands.h"
#include "lemma.h"

namespace cvm::proofs {
namespace {

// `plus` is 1 for the page's rule, 0 for the weakened negative control.
void fill(Query& q, int plus) {
  const BinaryOperands v = declare_sum_operands(q, "alpha", "beta", plus);
  const z3::expr s = v.a + v.b;
  q.claim(within_range(q, s, v.py));
  q.claim(fits_int32(q, s));
  q.claim(fits_int64(q, s));
}

const Register registered({
    Goal{.label = "broadcast_add_b1",
         .statement = "|alpha + beta| <= R(max(p_a, p_b) + 1) <= 2^31 - 1 (sum fits int64 and int32)",
         .math = R"(|\alpha + \beta| \le R(\max(p_a, p_b) + 1) \le 2^{31}-1)",
         .negative_control = false,
         .cases = single_case("all precisions", [](Query& q) { fill(q, 1); })},
    Goal{.label = "broadcast_add_b1_neg_without_plus_one",
         .statement = "weakened rule p_y = max(p_a, p_b) must be refuted",
         .math = R"(p_y = \max(p_a, p_b) \;\Rightarrow\; |\alpha + \beta| \le R(p_y))",
         .negative_control = true,
         .cases = single_case("all precisions", [](Query& q) { fill(q, 0); })},
});

}  // namespace
}  // namespace cvm::proofs
