// Lemmas for spec/ops/slice_like.rst.
//
// slice_like_b1: y[d] = x[d], and d is an index of x: on a cropped axis i in A
// shape(y)[i] = shape(like)[i] <= shape(x)[i] (slice_like_c3), on the others
// shape(y)[i] = shape(x)[i]; so 0 <= d_i < shape(x)[i], and
// |y[d]| <= R(p_x) = R(p_y) <= 2^31 - 1. One axis i is modelled, with
// membership in A symbolic; precisions symbolic.
#include "lemma.h"

namespace cvm::proofs {
namespace {

// minus = 1 weakens the precision rule; drop_c3 = true drops slice_like_c3.
void fill(Query& q, int minus, bool drop_c3) {
  const z3::expr px = q.var("p_x");
  const z3::expr x = q.var("x_d");
  const z3::expr y = q.var("y_d");
  const z3::expr in_a = q.var("axis_in_A");  // 1 if axis i is cropped, else 0
  const z3::expr xd = q.var("x_dim_i");
  const z3::expr ld = q.var("like_dim_i");
  const z3::expr di = q.var("d_i");
  q.assume(1 <= px && px <= 32);
  const z3::expr py = px - minus;
  q.assume(1 <= py && py <= 32);  // op_c3
  q.assume(within_range(q, x, px));
  q.assume(y == x);
  q.assume(0 <= in_a && in_a <= 1);
  q.assume(1 <= xd && xd <= q.num(kMaxDim) && 1 <= ld && ld <= q.num(kMaxDim));
  if (!drop_c3) q.assume(z3::implies(in_a == 1, ld <= xd));  // slice_like_c3
  const z3::expr yd = z3::ite(in_a == 1, ld, xd);            // shape rule
  q.assume(0 <= di && di < yd);
  q.claim(0 <= di && di < xd);
  q.claim(within_range(q, y, py));
  q.claim(fits_int32(q, y));
}

const Register registered({
    Goal{.label = "slice_like_b1",
         .statement = "0 <= d_i < shape(x)[i] for every index d of y, and "
                      "|y[d]| = |x[d]| <= R(p_x) = R(p_y) <= 2^31 - 1",
         .math = R"(0 \le d_i < \operatorname{shape}(x)_i,\ |y[d]| = |x[d]| \le R(p_x) = R(p_y) \le 2^{31}-1)",
         .negative_control = false,
         .cases = single_case("all precisions and axes", [](Query& q) { fill(q, 0, false); })},
    Goal{.label = "slice_like_b1_neg_precision_minus_one",
         .statement = "weakened rule p_y = p_x - 1 must be refuted",
         .math = R"(p_y = p_x - 1 \;\Rightarrow\; |y| \le R(p_y))",
         .negative_control = true,
         .cases = single_case("all precisions and axes", [](Query& q) { fill(q, 1, false); })},
    Goal{.label = "slice_like_b1_neg_without_c3",
         .statement = "without slice_like_c3 (like may be longer than x) d may leave x: refuted",
         .math = R"(\neg\,\mathrm{c3} \;\Rightarrow\; d_i < \operatorname{shape}(x)_i)",
         .negative_control = true,
         .cases = single_case("all precisions and axes", [](Query& q) { fill(q, 0, true); })},
});

}  // namespace
}  // namespace cvm::proofs
