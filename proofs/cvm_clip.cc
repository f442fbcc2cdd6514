// Lemmas for spec/ops/cvm_clip.rst.
//
// cvm_clip_b1: for every attribute precision in [1, 32] (cvm_clip_c1;
// p_y = precision), every input precision p_x in [1, 32] and every
// |x| <= R(p_x): with alpha = R(precision), y = clip(x, -alpha, alpha)
// satisfies |y| <= alpha = R(p_y), and alpha and y fit int32.
#include "cvm/rules/scalar.h"
#include "lemma.h"
#include "z3_arith.h"

namespace cvm::proofs {
namespace {

// `minus` lowers the output precision; `alpha_plus` widens the clip bound
// (both 0 for the spec's rule).
void fill(Query& q, int minus, int alpha_plus) {
  const z3::expr px = q.var("p_x");
  const z3::expr prec = q.var("precision");
  const z3::expr x = q.var("x");
  q.assume(1 <= px && px <= 32);
  q.assume(1 <= prec && prec <= 32);  // cvm_clip_c1
  const z3::expr py = prec - minus;   // precision rule p_y = precision
  q.assume(1 <= py);
  q.assume(within_range(q, x, px));
  const z3::expr alpha = range_expr(q, prec) + alpha_plus;
  const z3::expr y = rules::clip(x, -alpha, alpha);  // the reference kernel's formula
  // The widened control keeps only the output claims, so its counterexample
  // shows an output outside R(p_y).
  if (alpha_plus == 0) q.claim(fits_int32(q, alpha));
  q.claim(within_range(q, y, py));
  q.claim(fits_int32(q, y));
}

const Register registered({
    Goal{.label = "cvm_clip_b1",
         .statement = "|clip(x, -alpha, alpha)| <= alpha = R(precision) = R(p_y); alpha fits int32",
         .math = R"(|\operatorname{clip}(x, -\alpha, \alpha)| \le \alpha = R(\mathit{precision}) = R(p_y))",
         .negative_control = false,
         .cases = single_case("all precisions", [](Query& q) { fill(q, 0, 0); })},
    Goal{.label = "cvm_clip_b1_neg_precision_minus_one",
         .statement = "weakened rule p_y = precision - 1 must be refuted",
         .math = R"(p_y = \mathit{precision} - 1 \;\Rightarrow\; |y| \le R(p_y))",
         .negative_control = true,
         .cases = single_case("all precisions", [](Query& q) { fill(q, 1, 0); })},
    Goal{.label = "cvm_clip_b1_neg_alpha_plus_one",
         .statement = "clip bound alpha = R(precision) + 1 must be refuted",
         .math = R"(\alpha = R(\mathit{precision}) + 1 \;\Rightarrow\; |y| \le R(p_y))",
         .negative_control = true,
         .cases = single_case("all precisions", [](Query& q) { fill(q, 0, 1); })},
});

}  // namespace
}  // namespace cvm::proofs
