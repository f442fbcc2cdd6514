// Lemmas for spec/ops/elemwise_sub.rst.
//
// elemwise_sub_b1: for all precisions p_a, p_b in [1, 32] whose output
// precision p_y = max(p_a, p_b) + 1 is at most 32 (op_c3), and all values
// |a| <= R(p_a), |b| <= R(p_b): d = a - b satisfies |d| <= R(p_a) + R(p_b)
// <= R(p_y), and d fits int64 and int32. Precisions are symbolic.
#include "element_operands.h"
#include "lemma.h"

namespace cvm::proofs {
namespace {

// `plus` is 1 for the spec's rule, 0 for the weakened negative control.
void fill(Query& q, int plus) {
  const BinaryOperands v = declare_sum_operands(q, "a", "b", plus);
  const z3::expr d = v.a - v.b;
  const z3::expr sum_r = range_expr(q, v.pa) + range_expr(q, v.pb);
  q.claim(within(d, sum_r));
  q.claim(within_range(q, d, v.py));
  q.claim(-q.num(kInt64Max) - 1 <= d && d <= q.num(kInt64Max));
  q.claim(fits_int32(q, d));
}

const Register registered({
    Goal{.label = "elemwise_sub_b1",
         .statement = "|a - b| <= R(p_a) + R(p_b) <= R(max(p_a, p_b) + 1) <= 2^31 - 1",
         .math = R"(|a - b| \le R(p_a) + R(p_b) \le R(\max(p_a, p_b) + 1) \le 2^{31}-1)",
         .negative_control = false,
         .cases = single_case("all precisions", [](Query& q) { fill(q, 1); })},
    Goal{.label = "elemwise_sub_b1_neg_without_plus_one",
         .statement = "weakened rule p_y = max(p_a, p_b) must be refuted",
         .math = R"(p_y = \max(p_a, p_b) \;\Rightarrow\; |a - b| \le R(p_y))",
         .negative_control = true,
         .cases = single_case("all precisions", [](Query& q) { fill(q, 0); })},
});

}  // namespace
}  // namespace cvm::proofs
