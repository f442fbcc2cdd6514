// Lemmas for spec/ops/conv2d.rst.
//
// K = (C/g) * K_H * K_W, the number of terms of s, is the size of w divided
// by O, so 1 <= K <= |w| <= 2^30 (tensor_c3); K is symbolic, with
// b = bits(K) encoded as 2^(b-1) <= K < 2^b, b in [1, 31]. p_x, p_w in [1, 8]
// (conv2d_c14), p_b in [1, 32], use_bias in {0, 1}, and
//   p = p_x + p_w + b,  p_y = use_bias ? max(p, p_b) + 1 : p,  p_y <= 32 (op_c3).
// A = R(p_x) * R(p_w) bounds every product term: a padded read
// x^ is 0 or a value of x, so |x^| <= R(p_x).
//
// K * A is a product of symbolic integers, so the steps that need it split
// over (p_x, p_w) in [1, 8]^2 (64 cases): A is then a constant and K * A
// linear, with K and b symbolic. The step from |s| <= 2^(p-2) - 1 to the
// output bound needs neither K nor A; it is one query with p, p_b, use_bias
// and all values symbolic. Each goal is the conjunction of its cases:
//
// conv2d_b1:
//   [per (p_x, p_w)] K * A <= 2^(p-2) - 1  (for every K <= 2^30, even without op_c3);
//   [output] |s| <= S <= 2^(p-2) - 1 gives |y| <= R(p_y) <= 2^31 - 1, where
//            y = s or s + b with |b| <= R(p_b), q = max(p, p_b):
//            |s + b| <= (2^(q-2) - 1) + (2^(q-1) - 1) <= R(q + 1).
// conv2d_b2:
//   [per (p_x, p_w), term] |x^ * w| <= A for x^ = 0 (padding) or |x^| <= R(p_x),
//            and |w| <= R(p_w);
//   [per (p_x, p_w), sums] induction over the number j < K of terms added
//            (base j = 0: s = 0): |s_j| <= j * A and |t| <= A give
//            |s_j + t| <= (j + 1) * A <= K * A <= 2^(p-2) - 1, and
//            K * A + (2^31 - 1) < 2^45, so partial and biased sums fit the
//            page's int64 bound even without op_c3;
//   [bias] with |s| <= S <= 2^(p-2) - 1: |s + b| <= S + R(p_b) <= R(p_y), and
//            S <= R(p_y) <= 2^31 - 1 (int32) under op_c3.
// The goals and cases are built by dot_product_goals (lemma.cc), shared by
// dense and conv2d; this file gives the bounds and the [term] case.
#include "lemma.h"

namespace cvm::proofs {
namespace {

constexpr int64_t kMaxK = int64_t{1} << 30;        // K <= |w| <= the maximal tensor size
constexpr int64_t kInt64Bound = int64_t{1} << 45;  // the page's bound on the accumulator

// [per (p_x, p_w), term] of conv2d_b2 (non-linear in the two values).
void fill_term(Query& q, int px, int pw) {
  const z3::expr pxv = q.var("p_x");
  const z3::expr pwv = q.var("p_w");
  const z3::expr in_padding = q.var("in_padding");  // 1: the read cell lies in the padding
  const z3::expr x = q.var("x_cell");               // the cell of x, when it is one
  const z3::expr w = q.var("w_oc_uv");
  q.assume(pxv == px && pwv == pw);
  q.assume(in_padding == 0 || in_padding == 1);
  q.assume(within(x, q.num(range_of(px))) && within(w, q.num(range_of(pw))));
  const z3::expr xhat = z3::ite(in_padding == 1, q.num(0), x);  // the padded read
  q.claim(within(xhat * w, q.num(range_of(px) * range_of(pw))));
}

const Register registered(dot_product_goals(DotProduct{
    .op = "conv2d",
    .max_k = kMaxK,
    .int64_bound = kInt64Bound,
    .term = fill_term,
    .b1_statement = "|y[n, o, r, q]| <= R(p_y) <= 2^31 - 1: |s| <= K R(p_x) R(p_w) <= 2^(p-2) - 1 "
                      "<= R(p), and |s + b| <= R(max(p, p_b) + 1), for all K <= 2^30, "
                      "p_x, p_w <= 8, p_b, use_bias",
    .b1_math = R"(|s| \le K R(p_x) R(p_w) \le 2^{p-2} - 1,\ |y| \le R(p_y) \le 2^{31}-1,\ K \le 2^{30})",
    .b2_statement = "|x^ w| <= R(p_x) R(p_w) = A (x^ a padded read); every partial sum |s_j| <= j A <= K A and the "
                      "biased sum |s + b| <= K A + R(p_b) are < 2^45 (int64), and with op_c3 "
                      "<= R(p_y) <= 2^31 - 1 (int32)",
    .b2_math = R"(|s_j| \le j A \le K A,\ |s + b| \le K A + R(p_b) < 2^{45},\ A = R(p_x) R(p_w))",
}));

}  // namespace
}  // namespace cvm::proofs
