// Lemmas for spec/ops/elemwise_add.rst.
//
// elemwise_add_b1: for all precisions p_a, p_b in [1, 32] whose output
// precision p_y = max(p_a, p_b) + 1 is at most 32 (op_c3), and all values
// |a| <= R(p_a), |b| <= R(p_b): |a + b| <= R(p_y), and a + b fits int32.
// The precisions are symbolic; R(.) is an if-then-else over them (lemma.h).
#include "element_operands.h"
#include "lemma.h"

namespace cvm::proofs {
namespace {

// `plus` is 1 for the spec's rule, 0 for the weakened negative control.
void fill(Query& q, int plus) {
  const BinaryOperands v = declare_sum_operands(q, "a", "b", plus);
  const z3::expr s = v.a + v.b;
  q.claim(within_range(q, s, v.py));
  q.claim(fits_int32(q, s));
}

const Register registered({
    Goal{.label = "elemwise_add_b1",
         .statement = "|a + b| <= R(max(p_a, p_b) + 1) <= 2^31 - 1",
         .math = R"(|a + b| \le R(\max(p_a, p_b) + 1) \le 2^{31}-1)",
         .negative_control = false,
         .cases = single_case("all precisions", [](Query& q) { fill(q, 1); })},
    Goal{.label = "elemwise_add_b1_neg_without_plus_one",
         .statement = "weakened rule p_y = max(p_a, p_b) must be refuted",
         .math = R"(p_y = \max(p_a, p_b) \;\Rightarrow\; |a + b| \le R(p_y))",
         .negative_control = true,
         .cases = single_case("all precisions", [](Query& q) { fill(q, 0); })},
});

}  // namespace
}  // namespace cvm::proofs
