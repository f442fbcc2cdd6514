// Lemmas for spec/ops/broadcast_max.rst.
//
// broadcast_max_b1: for all precisions p_a, p_b in [1, 32], output precision
// p_y = max(p_a, p_b), and all values |alpha| <= R(p_a), |beta| <= R(p_b):
// y = max(alpha, beta) has |y| <= R(p_y) and fits int32 (where it is stored).
#include "cvm/rules/precision.h"
#include "lemma.h"
#include "z3_arith.h"

namespace cvm::proofs {
namespace {

// `only_a` false: the page's rule p_y = max(p_a, p_b); true: the weakened
// rule p_y = p_a (the first operand's precision only).
void fill(Query& q, bool only_a) {
  const z3::expr pa = q.var("p_a");
  const z3::expr pb = q.var("p_b");
  const z3::expr alpha = q.var("alpha");
  const z3::expr beta = q.var("beta");
  q.assume(1 <= pa && pa <= 32 && 1 <= pb && pb <= 32);
  const z3::expr py = only_a ? pa : rules::larger_precision(pa, pb);  // the runtime's rule
  q.assume(py <= 32);  // op_c3 (always holds here)
  q.assume(-range_expr(q, pa) <= alpha && alpha <= range_expr(q, pa));
  q.assume(-range_expr(q, pb) <= beta && beta <= range_expr(q, pb));
  const z3::expr y = rules::Arith<z3::expr>::max(alpha, beta);
  q.claim(-range_expr(q, py) <= y && y <= range_expr(q, py));
  q.claim(-q.num(kInt32Max) <= y && y <= q.num(kInt32Max));
}

const Register registered({
    Goal{.label = "broadcast_max_b1",
         .statement = "|max(alpha, beta)| <= max(R(p_a), R(p_b)) = R(max(p_a, p_b)) <= 2^31 - 1",
         .math = R"(|\max(\alpha, \beta)| \le R(\max(p_a, p_b)) \le 2^{31}-1)",
         .negative_control = false,
         .cases = [](const auto& each) { each("all precisions", [](Query& q) { fill(q, false); }); }},
    Goal{.label = "broadcast_max_b1_neg_only_a",
         .statement = "weakened rule p_y = p_a (ignoring p_b) must be refuted",
         .math = R"(p_y = p_a \;\Rightarrow\; |\max(\alpha, \beta)| \le R(p_y))",
         .negative_control = true,
         .cases = [](const auto& each) { each("all precisions", [](Query& q) { fill(q, true); }); }},
});

}  // namespace
}  // namespace cvm::proofs
