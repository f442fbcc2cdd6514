// Lemmas for spec/ops/elemwise_add.rst.
//
// elemwise_add_b1: for all precisions p_a, p_b in [1, 32] whose output
// precision p_y = max(p_a, p_b) + 1 is at most 32 (op_c3), and all values
// |a| <= R(p_a), |b| <= R(p_b): |a + b| <= R(p_y), and a + b fits int32.
// The precisions are symbolic; R(.) is an if-then-else over them (lemma.h).
#include "cvm/rules/precision.h"
#include "lemma.h"
#include "z3_arith.h"

namespace cvm::proofs {
namespace {

// `plus` is 1 for the spec's rule, 0 for the weakened negative control.
void fill(Query& q, int plus) {
  const z3::expr pa = q.var("p_a");
  const z3::expr pb = q.var("p_b");
  const z3::expr a = q.var("a");
  const z3::expr b = q.var("b");
  q.assume(1 <= pa && pa <= 32 && 1 <= pb && pb <= 32);
  const z3::expr py = rules::sum_of_two_precision(pa, pb) - (1 - plus);  // the runtime's rule
  q.assume(py <= 32);  // op_c3
  q.assume(-range_expr(q, pa) <= a && a <= range_expr(q, pa));
  q.assume(-range_expr(q, pb) <= b && b <= range_expr(q, pb));
  const z3::expr s = a + b;
  q.claim(-range_expr(q, py) <= s && s <= range_expr(q, py));
  q.claim(-q.num(kInt32Max) <= s && s <= q.num(kInt32Max));
}

const Register registered({
    Goal{.label = "elemwise_add_b1",
         .statement = "|a + b| <= R(max(p_a, p_b) + 1) <= 2^31 - 1",
         .math = R"(|a + b| \le R(\max(p_a, p_b) + 1) \le 2^{31}-1)",
         .negative_control = false,
         .cases = [](const auto& each) { each("all precisions", [](Query& q) { fill(q, 1); }); }},
    Goal{.label = "elemwise_add_b1_neg_without_plus_one",
         .statement = "weakened rule p_y = max(p_a, p_b) must be refuted",
         .math = R"(p_y = \max(p_a, p_b) \;\Rightarrow\; |a + b| \le R(p_y))",
         .negative_control = true,
         .cases = [](const auto& each) { each("all precisions", [](Query& q) { fill(q, 0); }); }},
});

}  // namespace
}  // namespace cvm::proofs
