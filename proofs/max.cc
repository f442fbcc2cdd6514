// Lemmas for spec/ops/max.rst.
//
// max_b1: the reference keeps a running maximum acc. It starts at 0 in the
// default whole reduction (axis empty, exclude false) and at the first
// element of the slice otherwise; each step sets acc' = (v > acc ? v : acc)
// for an element v of x. Invariant |acc| <= R(p_x), by induction: the start
// (0 or an element) satisfies it and the step preserves it. So the output
// (the final acc) has |y| <= R(p_x) = R(p_y) <= 2^31 - 1 for every p_x in
// [1, 32] (symbolic).
#include "lemma.h"

namespace cvm::proofs {
namespace {

// `minus` is 0 for the rule p_y = p_x, 1 for the weakened control.
void fill(Query& q, int minus) {
  const z3::expr px = q.var("p_x");
  const z3::expr whole_default = q.var("whole_default");  // 1: axis empty and exclude false
  const z3::expr first = q.var("x_first");                // first element of the slice
  const z3::expr acc = q.var("acc");                      // running maximum so far
  const z3::expr v = q.var("x_next");                     // next element of the slice
  q.assume(1 <= px && px <= 32);
  const z3::expr py = px - minus;
  q.assume(1 <= py && py <= 32);  // op_c3
  q.assume(whole_default == 0 || whole_default == 1);
  const z3::expr rx = range_expr(q, px);
  q.assume(within(first, rx) && within(v, rx));
  q.assume(within(acc, rx));  // induction hypothesis
  const z3::expr acc0 = z3::ite(whole_default == 1, q.num(0), first);
  const z3::expr acc1 = z3::ite(v > acc, v, acc);
  const z3::expr ry = range_expr(q, py);
  for (const z3::expr& e : {acc0, acc1}) {
    q.claim(within(e, rx));  // invariant: base and step
    q.claim(within(e, ry));  // every value the output can take
    q.claim(fits_int32(q, e));
  }
}

const Register registered({
    Goal{.label = "max_b1",
         .statement = "the running maximum (start 0 or an element, step max(acc, v)) stays within "
                      "R(p_x) = R(p_y) <= 2^31 - 1, so every output value does",
         .math = R"(|\max_i x_i| \le R(p_x) = R(p_y) \le 2^{31}-1)",
         .negative_control = false,
         .cases = single_case("all precisions", [](Query& q) { fill(q, 0); })},
    Goal{.label = "max_b1_neg_precision_minus_one",
         .statement = "weakened rule p_y = p_x - 1 must be refuted",
         .math = R"(p_y = p_x - 1 \;\Rightarrow\; |y| \le R(p_y))",
         .negative_control = true,
         .cases = single_case("all precisions", [](Query& q) { fill(q, 1); })},
});

}  // namespace
}  // namespace cvm::proofs
