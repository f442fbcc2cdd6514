// Lemmas for spec/ops/upsampling.rst.
//
// upsampling_b1: every output value is a copy of an input element x_e
// (|x_e| <= R(p_x)), and p_y = p_x; so |y| <= R(p_y) <= 2^31 - 1 for every p_x
// in [1, 32] (symbolic). (The page's remark on the int64 index arithmetic,
// H * s <= 2^24 * 4096 = 2^36, is not part of this goal: it is non-linear in
// two symbolic integers and not what the label claims.)
#include "lemma.h"

namespace cvm::proofs {
namespace {

constexpr int64_t kInt32Max = 2147483647;

z3::expr within(const z3::expr& v, const z3::expr& bound) { return -bound <= v && v <= bound; }

// `minus` is 0 for the rule p_y = p_x, 1 for the weakened control.
void fill_value(Query& q, int minus) {
  const z3::expr px = q.var("p_x");
  const z3::expr x = q.var("x_e");  // the input element the output value copies
  const z3::expr y = q.var("y");
  q.assume(1 <= px && px <= 32);
  const z3::expr py = px - minus;
  q.assume(1 <= py && py <= 32);  // op_c3
  q.assume(within(x, range_expr(q, px)));
  q.assume(y == x);
  q.claim(within(y, range_expr(q, py)));
  q.claim(within(y, q.num(kInt32Max)));
}

const Register registered({
    Goal{.label = "upsampling_b1",
         .statement = "y[n, c, h, w] = x[n, c, h div s, w div s]: |y| <= R(p_x) = R(p_y) <= "
                      "2^31 - 1",
         .negative_control = false,
         .cases =
             [](const auto& each) {
               each("all precisions", [](Query& q) { fill_value(q, 0); });
             }},
    Goal{.label = "upsampling_b1_neg_precision_minus_one",
         .statement = "weakened rule p_y = p_x - 1 must be refuted",
         .negative_control = true,
         .cases = [](const auto& each) { each("all precisions", [](Query& q) { fill_value(q, 1); }); }},
});

}  // namespace
}  // namespace cvm::proofs
