// Lemmas for spec/ops/broadcast_greater.rst.
//
// broadcast_greater_b1: for all precisions p_a, p_b in [1, 32], output
// precision p_y = max(p_a, 2), and all values |alpha| <= R(p_a),
// |beta| <= R(p_b): y = (alpha > beta ? 1 : 0) has |y| <= R(p_y) and fits
// int32 (where it is stored).
#include "cvm/rules/precision.h"
#include "element_operands.h"
#include "lemma.h"
#include "z3_arith.h"

namespace cvm::proofs {
namespace {

// `upstream` false: the page's rule p_y = max(p_a, 2); true: upstream's
// p_y = p_a (errata E-broadcast_greater-1), which must be refuted at p_a = 1.
void fill(Query& q, bool upstream) {
  // op_c3 always holds here.
  const BinaryOperands v =
      declare_binary_operands(q, "alpha", "beta", [upstream](const z3::expr& pa, const z3::expr&) {
        return upstream ? pa : rules::at_least_two_precision(pa);  // the runtime's rule
      });
  const z3::expr y = z3::ite(v.a > v.b, q.num(1), q.num(0));
  q.claim(within_range(q, y, v.py));
  q.claim(fits_int32(q, y));
}

const Register registered({
    Goal{.label = "broadcast_greater_b1",
         .statement = "|(alpha > beta ? 1 : 0)| <= 1 = R(2) <= R(max(p_a, 2)) <= 2^31 - 1",
         .math = R"(|[\alpha > \beta]| \le 1 = R(2) \le R(\max(p_a, 2)) \le 2^{31}-1)",
         .negative_control = false,
         .cases = single_case("all precisions", [](Query& q) { fill(q, false); })},
    Goal{.label = "broadcast_greater_b1_neg_upstream",
         .statement = "upstream's rule p_y = p_a (errata E-broadcast_greater-1) must be refuted (p_a = 1 cannot hold the value 1)",
         .math = R"(p_y = p_a \;\Rightarrow\; |[\alpha > \beta]| \le R(p_y))",
         .negative_control = true,
         .cases = single_case("all precisions", [](Query& q) { fill(q, true); })},
});

}  // namespace
}  // namespace cvm::proofs
