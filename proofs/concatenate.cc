// Lemmas for spec/ops/concatenate.rst.
//
// concatenate_b1: y[d] is a value of the input x_k with o_k <= d_a < o_k + s_k,
// so |y[d]| <= R(p_k) <= R(p_y) with p_y = max over all inputs' precisions,
// and y[d] fits int32. The max over m inputs is modelled as max(p_k, p_rest),
// p_rest the maximum precision of the other inputs (any value in [1, 32]; with
// m = 1, p_rest = p_k). Also: the coordinate d_a - o_k read from x_k lies in
// [0, s_k), and offsets/coordinates are below 2^30 (they fit the int64 the
// reference uses), given o_k + s_k <= the output dim <= 2^24 (op_c2).
#include "cvm/rules/precision.h"
#include "lemma.h"
#include "z3_arith.h"

namespace cvm::proofs {
namespace {

// weaken = 0: the spec's rule max(p_k, p_rest); 1: min(p_k, p_rest) instead.
void fill(Query& q, int weaken) {
  const z3::expr pk = q.var("p_k");
  const z3::expr prest = q.var("p_rest");
  const z3::expr x = q.var("x_k_e");
  const z3::expr y = q.var("y");
  const z3::expr ok = q.var("o_k");
  const z3::expr sk = q.var("s_k");
  const z3::expr sy = q.var("y_dim_a");
  const z3::expr da = q.var("d_a");
  q.assume(1 <= pk && pk <= 32 && 1 <= prest && prest <= 32);
  // The runtime's rule (folded over the inputs: p_rest is the fold of the others).
  const z3::expr py = weaken == 0 ? rules::larger_precision(pk, prest) : z3::ite(pk <= prest, pk, prest);
  q.assume(py <= 32);  // op_c3
  q.assume(within_range(q, x, pk));
  q.assume(y == x);
  // Offsets: o_k is a sum of earlier lengths, o_k + s_k <= sum of all = y's dim <= 2^24.
  q.assume(0 <= ok && 1 <= sk && ok + sk <= sy && sy <= q.num(int64_t{1} << 24));
  q.assume(ok <= da && da < ok + sk);
  q.claim(within_range(q, y, py));
  q.claim(fits_int32(q, y));
  q.claim(0 <= da - ok && da - ok < sk);
  q.claim(da < q.num(int64_t{1} << 30) && ok + sk <= q.num(int64_t{1} << 30));
}

const Register registered({
    Goal{.label = "concatenate_b1",
         .statement = "y[d] = x_k[..., d_a - o_k, ...] with 0 <= d_a - o_k < s_k: "
                      "|y[d]| <= R(p_k) <= R(max_k p_k) <= 2^31 - 1; offsets < 2^30",
         .math = R"(|y[d]| = |x_k[\ldots, d_a - o_k, \ldots]| \le R(p_k) \le R(\max_k p_k) \le 2^{31}-1,\ o_k < 2^{30})",
         .negative_control = false,
         .cases = single_case("all precisions", [](Query& q) { fill(q, 0); })},
    Goal{.label = "concatenate_b1_neg_min_precision",
         .statement = "weakened rule p_y = min of the precisions must be refuted",
         .math = R"(p_y = \min_k p_k \;\Rightarrow\; |y| \le R(p_y))",
         .negative_control = true,
         .cases = single_case("all precisions", [](Query& q) { fill(q, 1); })},
});

}  // namespace
}  // namespace cvm::proofs
