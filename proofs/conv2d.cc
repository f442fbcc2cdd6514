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
#include "lemma.h"

#include <string>

namespace cvm::proofs {
namespace {

constexpr int64_t kInt32Max = 2147483647;
constexpr int64_t kMaxK = int64_t{1} << 30;        // K <= |w| <= the maximal tensor size
constexpr int64_t kInt64Bound = int64_t{1} << 45;  // the page's bound on the accumulator

z3::expr within(const z3::expr& v, const z3::expr& bound) { return -bound <= v && v <= bound; }

// Declares K, b = bits(K), p_x = px, p_w = pw and p = p_x + p_w (+ b when
// `with_bits`); returns {K, p}.
std::pair<z3::expr, z3::expr> declare_k(Query& q, int px, int pw, bool with_bits) {
  const z3::expr k = q.var("K");
  const z3::expr b = q.var("bits_K");
  const z3::expr pxv = q.var("p_x");
  const z3::expr pwv = q.var("p_w");
  const z3::expr p = q.var("p");
  q.assume(1 <= k && k <= q.num(kMaxK));
  q.assume(1 <= b && b <= 31);
  q.assume(pow2_expr(q, b - 1) <= k && k < pow2_expr(q, b));
  q.assume(pxv == px && pwv == pw);
  q.assume(p == (with_bits ? q.num(px + pw) + b : q.num(px + pw)));
  return {k, p};
}

// [per (p_x, p_w)] of conv2d_b1: K * A <= 2^(p-2) - 1.
void fill_ka(Query& q, int px, int pw, bool with_bits) {
  const auto [k, p] = declare_k(q, px, pw, with_bits);
  const z3::expr ka = k * q.num(range_of(px) * range_of(pw));
  q.claim(ka <= pow2_expr(q, p - 2) - 1);
}

// The output side: p, p_b, use_bias symbolic; |s| <= S <= 2^(p-2) - 1 is what
// the per-(p_x, p_w) cases prove. `bias_plus` is 1 for the rule, 0 for the
// weakened control. `b2` adds conv2d_b2's claims on the biased sum.
void fill_out(Query& q, int bias_plus, bool b2) {
  const z3::expr p = q.var("p");
  const z3::expr pb = q.var("p_b");
  const z3::expr use_bias = q.var("use_bias");
  const z3::expr py = q.var("p_y");
  const z3::expr sb = q.var("S");  // K * A
  const z3::expr s = q.var("s");   // the sum of the K terms
  const z3::expr bias = q.var("b_n");
  q.assume(3 <= p && p <= 47);  // p_x + p_w + b in [1 + 1 + 1, 8 + 8 + 31]
  q.assume(1 <= pb && pb <= 32);
  q.assume(use_bias == 0 || use_bias == 1);
  q.assume(py == z3::ite(use_bias == 1, z3::ite(p >= pb, p, pb) + bias_plus, p));
  q.assume(py <= 32);  // op_c3
  q.assume(0 <= sb && sb <= pow2_expr(q, p - 2) - 1);
  q.assume(within(s, sb));
  q.assume(within(bias, range_expr(q, pb)));
  const z3::expr ry = range_expr(q, py);
  if (!b2) {
    const z3::expr y = z3::ite(use_bias == 1, s + bias, s);
    q.claim(within(y, ry));
    q.claim(within(y, q.num(kInt32Max)));
    return;
  }
  const z3::expr biased_bound = sb + range_expr(q, pb);
  q.claim(sb <= ry);
  q.claim(ry <= q.num(kInt32Max));
  q.claim(z3::implies(use_bias == 1, within(s + bias, biased_bound) && biased_bound <= ry));
}

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

// [per (p_x, p_w), sums] of conv2d_b2: the induction step.
void fill_sums(Query& q, int px, int pw) {
  const auto [k, p] = declare_k(q, px, pw, true);
  const z3::expr a = q.num(range_of(px) * range_of(pw));
  const z3::expr j = q.var("j");     // terms added so far
  const z3::expr sj = q.var("s_j");  // partial sum of the first j terms
  const z3::expr t = q.var("term");  // x^(...) * w[o, c, u, v], |t| <= A by [term]
  q.assume(0 <= j && j < k);
  q.assume(within(sj, j * a));  // induction hypothesis
  q.assume(within(t, a));
  const z3::expr s1 = sj + t;
  const z3::expr ka = k * a;
  q.claim(within(s1, (j + 1) * a));
  q.claim(within(s1, ka));
  q.claim(ka <= pow2_expr(q, p - 2) - 1);
  q.claim(ka + q.num(kInt32Max) < q.num(kInt64Bound));  // |b| <= R(p_b) <= 2^31 - 1
}

std::string case_name(int px, int pw) {
  return "p_x = " + std::to_string(px) + ", p_w = " + std::to_string(pw);
}

// conv2d_b1 and its controls: the 64 K * A cases, then the output case.
auto b1_cases(bool with_bits, int bias_plus) {
  return [with_bits, bias_plus](const auto& each) {
    for (int px = 1; px <= 8; ++px)
      for (int pw = 1; pw <= 8; ++pw)
        each(case_name(px, pw) + ", K * A",
             [px, pw, with_bits](Query& q) { fill_ka(q, px, pw, with_bits); });
    each("output", [bias_plus](Query& q) { fill_out(q, bias_plus, false); });
  };
}

const Register registered({
    Goal{.label = "conv2d_b1",
         .statement = "|y[n, o, r, q]| <= R(p_y) <= 2^31 - 1: |s| <= K R(p_x) R(p_w) <= 2^(p-2) - 1 "
                      "<= R(p), and |s + b| <= R(max(p, p_b) + 1), for all K <= 2^30, "
                      "p_x, p_w <= 8, p_b, use_bias",
         .negative_control = false,
         .cases = b1_cases(true, 1)},
    Goal{.label = "conv2d_b1_neg_without_bits_k",
         .statement = "weakened rule p = p_x + p_w (no bits(K)) must be refuted",
         .negative_control = true,
         .cases = b1_cases(false, 1)},
    Goal{.label = "conv2d_b1_neg_bias_without_plus_one",
         .statement = "weakened rule p_y = max(p, p_b) with a bias must be refuted",
         .negative_control = true,
         .cases = b1_cases(true, 0)},
    Goal{.label = "conv2d_b2",
         .statement = "|x^ w| <= R(p_x) R(p_w) = A (x^ a padded read); every partial sum |s_j| <= j A <= K A and the "
                      "biased sum |s + b| <= K A + R(p_b) are < 2^45 (int64), and with op_c3 "
                      "<= R(p_y) <= 2^31 - 1 (int32)",
         .negative_control = false,
         .cases =
             [](const auto& each) {
               for (int px = 1; px <= 8; ++px)
                 for (int pw = 1; pw <= 8; ++pw) {
                   each(case_name(px, pw) + ", term", [px, pw](Query& q) { fill_term(q, px, pw); });
                   each(case_name(px, pw) + ", sums", [px, pw](Query& q) { fill_sums(q, px, pw); });
                 }
               each("bias", [](Query& q) { fill_out(q, 1, true); });
             }},
});

}  // namespace
}  // namespace cvm::proofs
