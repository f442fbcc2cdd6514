// Lemmas for spec/ops/get_valid_counts.rst.
//
// x has shape (B, N, K) with 2 <= K <= 31 (get_valid_counts_c2) and
// N * K <= |x| <= 2^30. The count precision is np(N * K) = bits(N * K + 1) + 1,
// with b = bits(N * K + 1) encoded as 2^(b-1) <= N * K + 1 < 2^b, b in [1, 31].
// The goal splits over K in [2, 31] so N * K is linear while N and b stay
// symbolic. The count c_b (rows with score > threshold) satisfies 0 <= c_b <= N.
// Each y value is either an element v of x (|v| <= R(p_x)) or the fill -1,
// and p_y = max(p_x, 2) with p_x symbolic in [1, 32].
#include "cvm/rules/precision.h"
#include "lemma.h"
#include "z3_arith.h"

#include <string>

namespace cvm::proofs {
namespace {

constexpr int64_t kMaxSize = int64_t{1} << 30;

// `min_py` is 2 for the spec's rule, 1 for upstream's p_y = p_x (errata
// E-get_valid_counts-1), which must be refuted.
void fill(Query& q, int k, int min_py) {
  const z3::expr n = q.var("N");
  const z3::expr kk = q.var("K");
  const z3::expr b = q.var("bits_NK1");
  const z3::expr c = q.var("valid_count");
  const z3::expr px = q.var("p_x");
  const z3::expr v = q.var("v");       // an element of x
  const z3::expr fill_row = q.var("is_fill");
  q.assume(kk == k);
  q.assume(0 <= n && n * k <= q.num(kMaxSize));
  // Upstream's rule (the control): a row of y exists and is filled (fewer
  // rows kept than N), so the counterexample is a concrete case.
  if (min_py == 1) q.assume(n >= 1);
  q.assume(1 <= b && b <= 31);
  q.assume(pow2_expr(q, b - 1) <= n * k + 1 && n * k + 1 < pow2_expr(q, b));
  q.assume(0 <= c && c <= n);  // number of rows kept in one batch
  const z3::expr pvc = rules::number_precision_from_bits(b);  // the runtime's rule np(N K)
  q.assume(1 <= px && px <= 32);
  q.assume(within_range(q, v, px));
  q.assume(0 <= fill_row && fill_row <= 1);
  if (min_py == 1) q.assume(z3::implies(fill_row == 1, c < n));
  const z3::expr y = z3::ite(fill_row == 1, q.num(-1), v);
  // The runtime's rule max(p_x, 2), or (the control, min_py = 1) upstream's p_x.
  const z3::expr py = min_py == 2 ? rules::at_least_two_precision(px) : px;
  q.claim(pvc <= 32);
  q.claim(n <= range_expr(q, pvc));
  q.claim(within_range(q, c, pvc));
  q.claim(fits_int32(q, c));
  q.claim(py <= 32);
  q.claim(within_range(q, y, py));
  q.claim(fits_int32(q, y));
}

const Register registered({
    Goal{.label = "get_valid_counts_b1",
         .statement = "0 <= valid_count[b] <= N <= R(np(N * K)) with np(N * K) <= 32, and every "
                      "y value (an element of x or -1) has |y| <= R(max(p_x, 2)) <= 2^31 - 1, for "
                      "all K in [2, 31], N * K <= 2^30, p_x in [1, 32]",
         .math = R"(0 \le c_b \le N \le R(\operatorname{np}(N K)),\ |y| \le R(\max(p_x, 2)) \le 2^{31}-1)",
         .negative_control = false,
         .cases = split_over("K", 2, 31, [](Query& q, int k) { fill(q, k, 2); })},
    Goal{.label = "get_valid_counts_b1_neg_upstream",
         .statement = "upstream's rule p_y = p_x (errata E-get_valid_counts-1) cannot hold the -1 fill: must be refuted",
         .math = R"(p_y = p_x \;\Rightarrow\; |y| \le R(p_y))",
         .negative_control = true,
         .cases = split_over("K", 2, 31, [](Query& q, int k) { fill(q, k, 1); })},
});

}  // namespace
}  // namespace cvm::proofs
