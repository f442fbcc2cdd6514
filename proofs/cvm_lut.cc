// Lemmas for spec/ops/cvm_lut.rst.
//
// cvm_lut_b1: for all table precisions p_t in [1, 32], output precision
// p_y = p_t, and every table entry |v| <= R(p_t) (the output value is the
// entry selected, modelled as a symbolic table element): |y| <= R(p_y) and y
// fits int32 (where it is stored).
//
// cvm_lut_b2: for every table size T = |t| in [1, 2^30] (in_dim = T,
// cvm_lut_c1) and every index of any precision p_i in [1, 32],
// |idx| <= R(p_i): c = clip(idx, 0, T - 1) = min(max(idx, 0), T - 1) has
// 0 <= c <= T - 1 (and fits int64, where the clamp is done).
#include "cvm/rules/scalar.h"
#include "lemma.h"
#include "z3_arith.h"

namespace cvm::proofs {
namespace {

// `index_rule` false: the page's rule p_y = p_t; true: the weakened rule
// p_y = p_indices (the wrong input's precision).
void fill_value(Query& q, bool index_rule) {
  const z3::expr pt = q.var("p_t");
  const z3::expr pi = q.var("p_indices");
  const z3::expr v = q.var("table_entry");
  q.assume(1 <= pt && pt <= 32 && 1 <= pi && pi <= 32);
  const z3::expr py = index_rule ? pi : pt;
  q.assume(py <= 32);  // op_c3 (always holds here)
  q.assume(within_range(q, v, pt));
  const z3::expr y = v;  // y[j] = t_flat[c]
  q.claim(within_range(q, y, py));
  q.claim(fits_int32(q, y));
}

// `minus` is 1 for the page's clamp to [0, T - 1], 0 for the weakened
// clamp to [0, T], which must be refuted.
void fill_index(Query& q, int minus) {
  const z3::expr pi = q.var("p_indices");
  const z3::expr idx = q.var("idx");
  const z3::expr t = q.var("T");  // |t| = in_dim
  q.assume(1 <= pi && pi <= 32);
  q.assume(within_range(q, idx, pi));
  q.assume(1 <= t && t <= q.num(int64_t{1} << 30));  // tensor_c1 .. c3
  const z3::expr hi = t - minus;
  const z3::expr c = rules::clip(idx, q.num(0), hi);  // the reference kernel's clamp
  q.claim(0 <= c && c <= t - 1);
  q.claim(c <= q.num(kInt64Max));
}

const Register registered({
    Goal{.label = "cvm_lut_b1",
         .statement = "|y[j]| = |t_flat[c]| <= R(p_t) = R(p_y) <= 2^31 - 1",
         .math = R"(|y[j]| = |t[c]| \le R(p_t) = R(p_y) \le 2^{31}-1)",
         .negative_control = false,
         .cases = single_case("all precisions", [](Query& q) { fill_value(q, false); })},
    Goal{.label = "cvm_lut_b1_neg_index_precision",
         .statement = "weakened rule p_y = p_indices must be refuted",
         .math = R"(p_y = p_{indices} \;\Rightarrow\; |y| \le R(p_y))",
         .negative_control = true,
         .cases = single_case("all precisions", [](Query& q) { fill_value(q, true); })},
    Goal{.label = "cvm_lut_b2",
         .statement = "0 <= clip(indices[j], 0, |t| - 1) <= |t| - 1 for every int32 index and "
                      "1 <= |t| <= 2^30",
         .math = R"(0 \le \operatorname{clip}(i, 0, |t| - 1) \le |t| - 1,\ 1 \le |t| \le 2^{30})",
         .negative_control = false,
         .cases = single_case("all indices", [](Query& q) { fill_index(q, 1); })},
    Goal{.label = "cvm_lut_b2_neg_clip_to_size",
         .statement = "weakened clamp clip(indices[j], 0, |t|) must be refuted",
         .math = R"(0 \le \operatorname{clip}(i, 0, |t|) \le |t| - 1)",
         .negative_control = true,
         .cases = single_case("all indices", [](Query& q) { fill_index(q, 0); })},
});

}  // namespace
}  // namespace cvm::proofs
