// Lemmas for spec/ops/broadcast_sub.rst.
//
// broadcast_sub_b1: for all precisions p_a, p_b in [1, 32] whose output
// precision p_y = max(p_a, p_b) + 1 is at most 32 (op_c3), and all values
// |alpha| <= R(p_a), |beta| <= R(p_b) (the broadcast reads one element of each
// input): d = alpha - beta has |d| <= R(p_y), fits int64 (where it is formed)
// and int32 (where it is stored). Precisions stay symbolic (range_expr).
#include "cvm/rules/precision.h"
#include "lemma.h"
#include "z3_arith.h"

namespace cvm::proofs {
namespace {

constexpr int64_t kInt64Max = 9223372036854775807;

// `plus` is 1 for the page's rule, 0 for the weakened negative control.
void fill(Query& q, int plus) {
  const z3::expr pa = q.var("p_a");
  const z3::expr pb = q.var("p_b");
  const z3::expr alpha = q.var("alpha");
  const z3::expr beta = q.var("beta");
  q.assume(1 <= pa && pa <= 32 && 1 <= pb && pb <= 32);
  const z3::expr py = rules::sum_of_two_precision(pa, pb) - (1 - plus);  // the runtime's rule
  q.assume(py <= 32);  // op_c3
  q.assume(-range_expr(q, pa) <= alpha && alpha <= range_expr(q, pa));
  q.assume(-range_expr(q, pb) <= beta && beta <= range_expr(q, pb));
  const z3::expr d = alpha - beta;
  q.claim(-range_expr(q, py) <= d && d <= range_expr(q, py));
  q.claim(-q.num(kInt32Max) <= d && d <= q.num(kInt32Max));
  q.claim(-q.num(kInt64Max) <= d && d <= q.num(kInt64Max));
}

const Register registered({
    Goal{.label = "broadcast_sub_b1",
         .statement = "|alpha - beta| <= R(max(p_a, p_b) + 1) <= 2^31 - 1 (difference fits int64 and int32)",
         .math = R"(|\alpha - \beta| \le R(\max(p_a, p_b) + 1) \le 2^{31}-1)",
         .negative_control = false,
         .cases = [](const auto& each) { each("all precisions", [](Query& q) { fill(q, 1); }); }},
    Goal{.label = "broadcast_sub_b1_neg_without_plus_one",
         .statement = "weakened rule p_y = max(p_a, p_b) must be refuted",
         .math = R"(p_y = \max(p_a, p_b) \;\Rightarrow\; |\alpha - \beta| \le R(p_y))",
         .negative_control = true,
         .cases = [](const auto& each) { each("all precisions", [](Query& q) { fill(q, 0); }); }},
});

}  // namespace
}  // namespace cvm::proofs
