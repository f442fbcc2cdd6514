// Lemmas for spec/ops/sum.rst.
//
// K = |x| div |y| is the number of terms of every output sum, 1 <= K <= 2^30
// (tensor_c3), with b = bits(K) encoded as 2^(b-1) <= K < 2^b, b in [1, 31].
// The precision rule is p_y = p_x + b, and op_c3 gives p_y <= 32.
//
// The product K * R(p_x) is non-linear in two symbolic integers, so every
// goal splits over p_x in [1, 32]: R(p_x) is then a constant A and K * A is
// linear, while K and b stay symbolic.
//
// sum_b2 (partial sums, int64 accumulator): by induction over the number j of
// terms added so far. Base j = 0: s = 0. Step: |s_j| <= j * A and a term
// |t| <= A give |s_j + t| <= (j + 1) * A <= K * A, and K * A < 2^61 (fits
// int64, no op_c3 needed); with op_c3 also K * A <= R(p_y) <= 2^31 - 1, so an
// int32 accumulator cannot wrap either.
// sum_b1: the final sum (j = K terms, |y| <= K * A by sum_b2) lies within
// R(p_y) and fits int32.
#include "cvm/rules/precision.h"
#include "lemma.h"
#include "z3_arith.h"

#include <string>

namespace cvm::proofs {
namespace {

constexpr int64_t kMaxK = int64_t{1} << 30;  // the maximal tensor size

// sum_b1 for one p_x. `with_bits` false drops bits(K) from the rule (control).
void fill_b1(Query& q, int px, bool with_bits) {
  const auto [k, b] = declare_bits_k(q, kMaxK);
  const z3::expr pxv = q.var("p_x");
  const z3::expr y = q.var("y");
  q.assume(pxv == px);
  const z3::expr py = with_bits ? rules::sum_precision(q.num(px), b) : q.num(px);  // the runtime's rule
  q.assume(py <= 32);  // op_c3
  const z3::expr ka = k * q.num(range_of(px));
  q.assume(within(y, ka));  // a sum of K values of precision p_x (sum_b2)
  q.claim(ka <= range_expr(q, py));
  q.claim(within_range(q, y, py));
  q.claim(fits_int32(q, y));
}

// sum_b2 induction step for one p_x. `op_c3` assumes p_y <= 32 and claims
// the R(p_y) / int32 bounds; without it only the int64 bound is claimed,
// unless `claim_int32` (the negative control) asks for int32 anyway.
void fill_b2(Query& q, int px, bool op_c3, bool claim_int32) {
  const auto [k, b] = declare_bits_k(q, kMaxK);
  const z3::expr pxv = q.var("p_x");
  q.assume(pxv == px);
  const z3::expr a = q.num(range_of(px));
  const z3::expr s1 = sum_step(q, k, a);  // the next term is an element of x
  const z3::expr ka = k * a;
  q.claim(ka < q.ctx().int_val("2305843009213693952"));  // 2^61
  const z3::expr py = rules::sum_precision(q.num(px), b);  // the runtime's rule
  if (op_c3) {
    q.assume(py <= 32);
    q.claim(ka <= range_expr(q, py));
    q.claim(within_range(q, s1, py));
  }
  if (op_c3 || claim_int32) q.claim(fits_int32(q, s1));
}

const Register registered({
    Goal{.label = "sum_b1",
         .statement = "|y[o]| <= K * R(p_x) <= R(p_x + bits(K)) = R(p_y) <= 2^31 - 1 for all "
                      "K in [1, 2^30], p_x in [1, 32] with p_y <= 32",
         .math = R"(|y| \le K R(p_x) \le R(p_x + \operatorname{bits}(K)) = R(p_y) \le 2^{31}-1)",
         .negative_control = false,
         .cases = split_over("p_x", 1, 32, [](Query& q, int px) { fill_b1(q, px, true); })},
    Goal{.label = "sum_b1_neg_without_bits_k",
         .statement = "weakened rule p_y = p_x (no bits(K)) must be refuted",
         .math = R"(p_y = p_x \;\Rightarrow\; |y| \le R(p_y))",
         .negative_control = true,
         .cases = split_over("p_x", 1, 32, [](Query& q, int px) { fill_b1(q, px, false); })},
    Goal{.label = "sum_b2",
         .statement = "every partial sum of j <= K terms has |s_j| <= j * R(p_x) <= K * R(p_x) "
                      "< 2^61 (int64); with op_c3 also <= R(p_y) <= 2^31 - 1 (int32)",
         .math = R"(|s_j| \le j R(p_x) \le K R(p_x) < 2^{61};\ \mathrm{op\_c3} \Rightarrow |s_j| \le R(p_y))",
         .negative_control = false,
         .cases =
             [](const auto& each) {
               for (int px = 1; px <= 32; ++px) {
                 each("p_x = " + std::to_string(px) + ", op_c3",
                      [px](Query& q) { fill_b2(q, px, true, false); });
                 each("p_x = " + std::to_string(px) + ", int64 only",
                      [px](Query& q) { fill_b2(q, px, false, false); });
               }
             }},
    Goal{.label = "sum_b2_neg_int32_without_op_c3",
         .statement = "without op_c3 (p_y unbounded) a partial sum need not fit int32: must be "
                      "refuted",
         .math = R"(\neg\,\mathrm{op\_c3} \;\Rightarrow\; |s_j| \le 2^{31}-1)",
         .negative_control = true,
         .cases = split_over("p_x", 1, 32, [](Query& q, int px) { fill_b2(q, px, false, true); })},
});

}  // namespace
}  // namespace cvm::proofs
