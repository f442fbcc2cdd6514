// Lemmas for spec/ops/take.rst.
//
// take_b1: for all precisions p_x in [1, 32], output precision p_y = p_x,
// and every element |v| <= R(p_x) of x (the output value is the element
// gathered, modelled as a symbolic element of x, with or without an axis):
// |y| <= R(p_y) and y fits int32 (where it is stored).
//
// take_b2: the clamped position lies in the gathered range, for every index
// of any precision p_i in [1, 32], |idx| <= R(p_i):
//   * "no axis": for every |x| in [1, 2^30]: 0 <= clip(idx, 0, |x| - 1)
//     <= |x| - 1;
//   * "axis": for every rank n in [1, 6], every axis in [-n, n - 1]
//     (take_c1), normalised to a = axis + n if negative, and every dim
//     d_a in [1, 2^24]: 0 <= a <= n - 1 and 0 <= clip(idx, 0, d_a - 1)
//     <= d_a - 1.
// The clamp is done in int64; the claims include that c fits int64.
#include "cvm/rules/scalar.h"
#include "cvm/rules/take_index.h"
#include "lemma.h"
#include "z3_arith.h"

namespace cvm::proofs {
namespace {

// `minus` is 0 for the page's rule p_y = p_x, 1 for the weakened control.
void fill_value(Query& q, int minus) {
  const z3::expr px = q.var("p_x");
  const z3::expr v = q.var("x_element");
  q.assume(1 <= px && px <= 32);
  const z3::expr py = px - minus;
  q.assume(1 <= py && py <= 32);  // op_c3
  q.assume(within_range(q, v, px));
  const z3::expr y = v;  // y = x_flat[c] or x[u, c, v]
  q.claim(within_range(q, y, py));
  q.claim(fits_int32(q, y));
}

// `minus` 1: the reference kernel's clamp clip(idx, 0, size - 1)
// (rules::take_clip); 0: the weakened clip(idx, 0, size).
z3::expr clamp(Query& q, const z3::expr& idx, const z3::expr& size, int minus) {
  return minus == 1 ? rules::take_clip(idx, size) : rules::clip(idx, q.num(0), size);
}

void fill_index_flat(Query& q, int minus) {
  const z3::expr pi = q.var("p_indices");
  const z3::expr idx = q.var("idx");
  const z3::expr size = q.var("size_x");  // |x|
  q.assume(1 <= pi && pi <= 32);
  q.assume(within_range(q, idx, pi));
  q.assume(1 <= size && size <= q.num(int64_t{1} << 30));  // tensor_c1 .. c3
  const z3::expr c = clamp(q, idx, size, minus);
  q.claim(0 <= c && c <= size - 1 && c <= q.num(kInt64Max));
}

void fill_index_axis(Query& q, int minus) {
  const z3::expr pi = q.var("p_indices");
  const z3::expr idx = q.var("idx");
  const z3::expr n = q.var("n");  // rank of x
  const z3::expr axis = q.var("axis");
  const z3::expr da = q.var("d_a");
  q.assume(1 <= pi && pi <= 32);
  q.assume(within_range(q, idx, pi));
  q.assume(1 <= n && n <= 6);               // tensor rank limit
  q.assume(-n <= axis && axis <= n - 1);    // take_c1
  q.assume(1 <= da && da <= q.num(int64_t{1} << 24));  // dim limit
  const z3::expr a = z3::ite(axis < 0, axis + n, axis);
  q.claim(0 <= a && a <= n - 1);
  const z3::expr c = clamp(q, idx, da, minus);
  q.claim(0 <= c && c <= da - 1 && c <= q.num(kInt64Max));
}

const Register registered({
    Goal{.label = "take_b1",
         .statement = "|y| = |some element of x| <= R(p_x) = R(p_y) <= 2^31 - 1",
         .math = R"(|y| = |x[e]| \le R(p_x) = R(p_y) \le 2^{31}-1)",
         .negative_control = false,
         .cases = single_case("all precisions", [](Query& q) { fill_value(q, 0); })},
    Goal{.label = "take_b1_neg_minus_one",
         .statement = "weakened rule p_y = p_x - 1 must be refuted",
         .math = R"(p_y = p_x - 1 \;\Rightarrow\; |y| \le R(p_y))",
         .negative_control = true,
         .cases = single_case("all precisions", [](Query& q) { fill_value(q, 1); })},
    Goal{.label = "take_b2",
         .statement = "0 <= clip(idx, 0, |x| - 1) <= |x| - 1 (no axis); normalised axis in "
                      "[0, n - 1] and 0 <= clip(idx, 0, d_a - 1) <= d_a - 1 (axis)",
         .math = R"(0 \le \operatorname{clip}(i, 0, d - 1) \le d - 1)",
         .negative_control = false,
         .cases =
             [](const auto& each) {
               each("no axis", [](Query& q) { fill_index_flat(q, 1); });
               each("axis", [](Query& q) { fill_index_axis(q, 1); });
             }},
    Goal{.label = "take_b2_neg_clip_to_size",
         .statement = "weakened clamp clip(idx, 0, d_a) (axis) must be refuted",
         .math = R"(0 \le \operatorname{clip}(i, 0, d_a) \le d_a - 1)",
         .negative_control = true,
         .cases = single_case("axis", [](Query& q) { fill_index_axis(q, 0); })},
});

}  // namespace
}  // namespace cvm::proofs
