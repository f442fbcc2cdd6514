// Lemmas for spec/ops/broadcast_max.rst.
//
// broadcast_max_b1: for all precisions p_a, p_b in [1, 32], output precision
// p_y = max(p_a, p_b), and all values |alpha| <= R(p_a), |beta| <= R(p_b):
// y = max(alpha, beta) has |y| <= R(p_y) and fits int32 (where it is stored).
#include "cvm/rules/precision.h"
#include "element_operands.h"
#include "lemma.h"
#include "z3_arith.h"

namespace cvm::proofs {
namespace {

// `only_a` false: the page's rule p_y = max(p_a, p_b); true: the weakened
// rule p_y = p_a (the first operand's precision only).
void fill(Query& q, bool only_a) {
  // op_c3 always holds here.
  const BinaryOperands v =
      declare_binary_operands(q, "alpha", "beta", [only_a](const z3::expr& pa, const z3::expr& pb) {
        return only_a ? pa : rules::larger_precision(pa, pb);  // the runtime's rule
      });
  const z3::expr y = rules::Arith<z3::expr>::max(v.a, v.b);
  q.claim(within_range(q, y, v.py));
  q.claim(fits_int32(q, y));
}

const Register registered({
    Goal{.label = "broadcast_max_b1",
         .statement = "|max(alpha, beta)| <= max(R(p_a), R(p_b)) = R(max(p_a, p_b)) <= 2^31 - 1",
         .math = R"(|\max(\alpha, \beta)| \le R(\max(p_a, p_b)) \le 2^{31}-1)",
         .negative_control = false,
         .cases = single_case("all precisions", [](Query& q) { fill(q, false); })},
    Goal{.label = "broadcast_max_b1_neg_only_a",
         .statement = "weakened rule p_y = p_a (ignoring p_b) must be refuted",
         .math = R"(p_y = p_a \;\Rightarrow\; |\max(\alpha, \beta)| \le R(p_y))",
         .negative_control = true,
         .cases = single_case("all precisions", [](Query& q) { fill(q, true); })},
});

}  // namespace
}  // namespace cvm::proofs
