// Lemmas for spec/ops/strided_slice.rst.
//
// strided_slice_b1: y[k] is an element v of x, |v| <= R(p_x), p_y = p_x.
// strided_slice_b2, per axis: d in [1, 2^24] (tensor_c2), hat b, hat e any
// int64, s any non-zero int64 (c1); b, e are the clipped begin/end, the range
// is non-empty (c2), D = |e - b| >= 1, a = |s|, m = (D - 1) div a (so
// o = 1 + m) and 0 <= k <= m. The product s * k is non-linear, so the goal is
// compositional:
//   product:    a >= 1, 0 <= k <= m, m * a <= D - 1  =>  0 <= a * k <= D - 1
//               (symbolic a, k, m, D, no large constants);
//   coordinate: with P = |s * k| in [0, D - 1] (the product case), the source
//               coordinate b + sign(s) P lies in [0, d - 1], and
//               |s * k| <= d - 1 < 2^25 fits int64 (linear, ite for the clips).
#include "cvm/rules/scalar.h"
#include "lemma.h"
#include "z3_arith.h"

namespace cvm::proofs {
namespace {

using rules::clip;  // the reference kernel's clip (cvm/rules/scalar.h)

// `shift` 0 for the spec's rule p_y = p_x, -1 for the control p_y = p_x - 1.
void fill_b1(Query& q, int shift) {
  const z3::expr px = q.var("p_x");
  const z3::expr v = q.var("v");
  q.assume(1 <= px && px <= 32);
  const z3::expr py = px + shift;
  q.assume(1 <= py);
  q.assume(within_range(q, v, px));
  q.claim(within_range(q, v, py));
  q.claim(fits_int32(q, v));
}

void fill_product(Query& q) {
  const z3::expr a = q.var("abs_s"), k = q.var("k"), m = q.var("m"), dd = q.var("D");
  q.assume(a >= 1 && dd >= 1);
  q.assume(m * a <= dd - 1 && dd - 1 < (m + 1) * a);  // m = (D - 1) div |s|
  q.assume(0 <= k && k <= m);
  q.claim(0 <= a * k && a * k <= dd - 1);
}

// `clamp_e` false drops the clip of e (control: the coordinate leaves the axis).
void fill_coordinate(Query& q, bool clamp_e) {
  const z3::expr d = q.var("d");
  const z3::expr bh = q.var("begin_i"), eh = q.var("end_i"), s = q.var("s");
  const z3::expr p = q.var("abs_s_times_k");
  const z3::expr i64 = q.num(kInt64Max);
  q.assume(1 <= d && d <= q.num(kMaxDim));
  q.assume(-i64 - 1 <= bh && bh <= i64 && -i64 - 1 <= eh && eh <= i64);
  q.assume(-i64 - 1 <= s && s <= i64 && s != 0);  // strided_slice_c1
  const z3::expr lo = z3::ite(s > 0, q.num(0), q.num(-1));
  const z3::expr hi = z3::ite(s > 0, d, d - 1);
  const z3::expr b = clip(bh + z3::ite(bh < 0, d, q.num(0)), lo, hi);
  const z3::expr e0 = eh + z3::ite(eh < 0, d, q.num(0));
  const z3::expr e = clamp_e ? clip(e0, lo, hi) : e0;
  q.assume(z3::ite(s > 0, b < e, e < b));  // strided_slice_c2
  const z3::expr dd = z3::ite(e >= b, e - b, b - e);
  q.assume(0 <= p && p <= dd - 1);  // the product case
  const z3::expr sk = z3::ite(s > 0, p, -p);  // s * k
  const z3::expr c = b + sk;
  q.claim(0 <= c && c <= d - 1);
  q.claim(within(sk, d - 1));
  q.claim(d - 1 < q.num(int64_t{1} << 25));
  q.claim(within(sk, i64) && within(c, i64));
}

const Register registered({
    Goal{.label = "strided_slice_b1",
         .statement = "every y value is an element of x: |y| <= R(p_x) = R(p_y) <= 2^31 - 1",
         .math = R"(|y| \le R(p_x) = R(p_y) \le 2^{31}-1)",
         .negative_control = false,
         .cases = single_case("all p_x", [](Query& q) { fill_b1(q, 0); })},
    Goal{.label = "strided_slice_b1_neg_py_minus_one",
         .statement = "weakened rule p_y = p_x - 1 must be refuted",
         .math = R"(p_y = p_x - 1 \;\Rightarrow\; |y| \le R(p_y))",
         .negative_control = true,
         .cases = single_case("all p_x", [](Query& q) { fill_b1(q, -1); })},
    Goal{.label = "strided_slice_b2",
         .statement = "every source coordinate b_i + s_i k_i lies in [0, d_i - 1], and "
                      "|s_i k_i| <= |e_i - b_i| - 1 <= d_i - 1 < 2^25 (int64), for all int64 "
                      "begin, end and non-zero stride",
         .math = R"(0 \le b_i + s_i k_i \le d_i - 1,\ |s_i k_i| \le d_i - 1 < 2^{25})",
         .negative_control = false,
         .cases =
             [](const auto& each) {
               each("product |s| k <= |e - b| - 1", fill_product);
               each("coordinate", [](Query& q) { fill_coordinate(q, true); });
             }},
    Goal{.label = "strided_slice_b2_neg_end_unclamped",
         .statement = "without clamping the end the coordinate can leave the axis: must be refuted",
         .math = R"(e_i \text{ unclamped} \;\Rightarrow\; b_i + s_i k_i \le d_i - 1)",
         .negative_control = true,
         .cases = single_case("coordinate", [](Query& q) { fill_coordinate(q, false); })},
});

}  // namespace
}  // namespace cvm::proofs
