// Lemmas for spec/ops/broadcast_greater.rst.
//
// broadcast_greater_b1: for all precisions p_a, p_b in [1, 32], output
// precision p_y = max(p_a, 2), and all values |alpha| <= R(p_a),
// |beta| <= R(p_b): y = (alpha > beta ? 1 : 0) has |y| <= R(p_y) and fits
// int32 (where it is stored).
#include "cvm/rules/precision.h"
#include "lemma.h"
#include "z3_arith.h"

namespace cvm::proofs {
namespace {

// `upstream` false: the page's rule p_y = max(p_a, 2); true: upstream's
// p_y = p_a (errata E-broadcast_greater-1), which must be refuted at p_a = 1.
void fill(Query& q, bool upstream) {
  const z3::expr pa = q.var("p_a");
  const z3::expr pb = q.var("p_b");
  const z3::expr alpha = q.var("alpha");
  const z3::expr beta = q.var("beta");
  q.assume(1 <= pa && pa <= 32 && 1 <= pb && pb <= 32);
  const z3::expr py = upstream ? pa : rules::at_least_two_precision(pa);  // the runtime's rule
  q.assume(py <= 32);  // op_c3 (always holds here)
  q.assume(-range_expr(q, pa) <= alpha && alpha <= range_expr(q, pa));
  q.assume(-range_expr(q, pb) <= beta && beta <= range_expr(q, pb));
  const z3::expr y = z3::ite(alpha > beta, q.num(1), q.num(0));
  q.claim(-range_expr(q, py) <= y && y <= range_expr(q, py));
  q.claim(-q.num(kInt32Max) <= y && y <= q.num(kInt32Max));
}

const Register registered({
    Goal{.label = "broadcast_greater_b1",
         .statement = "|(alpha > beta ? 1 : 0)| <= 1 = R(2) <= R(max(p_a, 2)) <= 2^31 - 1",
         .math = R"(|[\alpha > \beta]| \le 1 = R(2) \le R(\max(p_a, 2)) \le 2^{31}-1)",
         .negative_control = false,
         .cases = [](const auto& each) { each("all precisions", [](Query& q) { fill(q, false); }); }},
    Goal{.label = "broadcast_greater_b1_neg_upstream",
         .statement = "upstream's rule p_y = p_a (errata E-broadcast_greater-1) must be refuted (p_a = 1 cannot hold the value 1)",
         .math = R"(p_y = p_a \;\Rightarrow\; |[\alpha > \beta]| \le R(p_y))",
         .negative_control = true,
         .cases = [](const auto& each) { each("all precisions", [](Query& q) { fill(q, true); }); }},
});

}  // namespace
}  // namespace cvm::proofs
