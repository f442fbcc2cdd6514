// Lemmas for spec/ops/where.rst.
//
// where_b1: every output value has the output precision. Cases:
//   * "output value": for all precisions p_c, p_x, p_y in [1, 32] (cond has
//     any precision), p_out = max(p_x, p_y) (<= 32), and all values
//     |c| <= R(p_c), |vx| <= R(p_x), |vy| <= R(p_y):
//     out = (c != 0 ? vx : vy) has |out| <= R(p_out) and fits int32.
//   * "index quotient": the reference's only arithmetic, k = i div r, for
//     every flat index 0 <= i < |S| = d_0 * r <= 2^30 (d_0 >= 1, r >= 1; in
//     the element-wise case r = 1 and cond has |S| elements): 0 <= k <= i
//     < 2^30 (non-negative, fits int64) and k indexes cond (k < d_0, resp.
//     k < |S| for r = 1). Floor division is written k * r <= i < (k + 1) * r.
#include "lemma.h"

namespace cvm::proofs {
namespace {

// `cond_rule` false: the page's rule p_out = max(p_x, p_y); true: upstream's
// p_out = p_cond (errata E-where-1), which must be refuted.
void fill_value(Query& q, bool cond_rule) {
  const z3::expr pc = q.var("p_cond");
  const z3::expr px = q.var("p_x");
  const z3::expr py = q.var("p_y");
  const z3::expr c = q.var("c");
  const z3::expr vx = q.var("vx");
  const z3::expr vy = q.var("vy");
  q.assume(1 <= pc && pc <= 32 && 1 <= px && px <= 32 && 1 <= py && py <= 32);
  const z3::expr pout = cond_rule ? pc : z3::ite(px >= py, px, py);
  q.assume(pout <= 32);  // op_c3 (always holds here)
  q.assume(within_range(q, c, pc));
  q.assume(within_range(q, vx, px));
  q.assume(within_range(q, vy, py));
  const z3::expr out = z3::ite(c != 0, vx, vy);
  q.claim(within_range(q, out, pout));
  q.claim(fits_int32(q, out));
}

void fill_index(Query& q) {
  const z3::expr d0 = q.var("d_0");
  const z3::expr r = q.var("r");
  const z3::expr n = q.var("size");  // |S|
  const z3::expr i = q.var("i");
  const z3::expr k = q.var("k");  // i div r
  q.assume(d0 >= 1 && r >= 1 && n == d0 * r && n <= q.num(int64_t{1} << 30));
  q.assume(0 <= i && i < n);
  q.assume(k * r <= i && i < (k + 1) * r);
  q.claim(0 <= k && k <= i && i < q.num(int64_t{1} << 30) && k <= q.num(kInt64Max));
  q.claim(k < d0);                        // row select: cond has d_0 elements
  q.claim(z3::implies(r == 1, k < n));    // element-wise: cond has |S| elements
}

const Register registered({
    Goal{.label = "where_b1",
         .statement = "|cond != 0 ? x[i] : y[i]| <= max(R(p_x), R(p_y)) = R(p_out) <= 2^31 - 1; "
                      "the index quotient i div r lies in [0, i] and indexes cond",
         .math = R"(|c \ne 0 \mathbin{?} x_i : y_i| \le R(\max(p_x, p_y)) \le 2^{31}-1,\ 0 \le \lfloor i / r \rfloor \le i)",
         .negative_control = false,
         .cases =
             [](const auto& each) {
               each("output value", [](Query& q) { fill_value(q, false); });
               each("index quotient", fill_index);
             }},
    Goal{.label = "where_b1_neg_upstream",
         .statement = "upstream's rule p_out = p_cond (errata E-where-1) must be refuted",
         .math = R"(p_{out} = p_{cond} \;\Rightarrow\; |y| \le R(p_{out}))",
         .negative_control = true,
         .cases = single_case("output value", [](Query& q) { fill_value(q, true); })},
});

}  // namespace
}  // namespace cvm::proofs
