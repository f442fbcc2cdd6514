// Index safety of the upsampling reference kernel
// (spec/ops/upsampling.rst, upsampling_b2). The kernel reads
// x[n, c, h div s, w div s] for every output index (n, c, h, w), computing
// h div s and w div s with upsampling_source (include/cvm/rules/
// upsampling_index.h), which this file instantiates with Z3 expressions.
//
// [axis]: with d in [1, 2^24] (tensor_c2), s in [1, 4096] (upsampling_c1)
//   and 0 <= j < d s (y's extent by the shape rule), the source
//   t = upsampling_source(j, s) = j div s lies in [0, d): t s <= j < d s,
//   so t < d. One case covers both spatial axes (the same statement with H
//   or W for d). The product d s and the division by s are handled by the
//   [order] and [division] cases of proofs/index_facts.h, whose instances
//   [axis] assumes.
// [batch and channel]: n and c index y, of shape (N, C, H s, W s), so they
//   index x, of shape (N, C, H, W).
//
// Negative control upsampling_b2_neg_round_up: a deliberately wrong copy of
// the rule, written here and never in the runtime, rounding up,
// (j + s - 1) div s, reads row d for the last output rows when s >= 2; it
// must be refuted.
#include "cvm/rules/upsampling_index.h"
#include "index_facts.h"
#include "index_lemmas.h"
#include "lemma.h"
#include "z3_arith.h"

namespace cvm::proofs {
namespace {

using A = rules::Arith<z3::expr>;

// `round_up` uses the control's (j + s - 1) div s instead of the rule.
void fill_axis(Query& q, bool round_up) {
  const z3::expr d = q.var("d");
  const z3::expr s = q.var("s");
  const z3::expr j = q.var("j");
  q.assume(1 <= d && d <= q.num(kMaxDim));
  q.assume(1 <= s && s <= 4096);  // upsampling_c1
  q.assume(0 <= j && j < d * s);  // j indexes y's axis of extent d s
  const z3::expr t = round_up ? A::floor_div(j + s - 1, s) : rules::upsampling_source(j, s);
  q.assume(division(j, s) && order(d, t, s));
  q.claim(0 <= t && t < d);
}

void fill_batch_channel(Query& q) {
  const z3::expr n_count = q.var("N"), c_count = q.var("C");
  const z3::expr n = q.var("n"), c = q.var("c");
  q.assume(1 <= n_count && n_count <= q.num(kMaxDim) && 1 <= c_count && c_count <= q.num(kMaxDim));
  q.assume(0 <= n && n < n_count && 0 <= c && c < c_count);  // (n, c, ., .) indexes y
  q.claim(0 <= n && n < n_count && 0 <= c && c < c_count);   // so it indexes x
}

const Register registered({
    Goal{.label = "upsampling_b2",
         .statement = "the source index j div s of every output index j in [0, d s) lies in "
                      "[0, d), so every read x[n, c, h div s, w div s] indexes x",
         .math = R"(0 \le j < d\,s \;\Rightarrow\; 0 \le j \operatorname{div} s < d)",
         .negative_control = false,
         .cases =
             [](const auto& each) {
               fact_cases(each);
               each("axis", [](Query& q) { fill_axis(q, false); });
               each("batch and channel", [](Query& q) { fill_batch_channel(q); });
               ravel_cases(each);  // the read x[n, c, ., .]: Tensor::at's offset
             }},
    Goal{.label = "upsampling_b2_neg_round_up",
         .statement = "a wrong source index rounding up, (j + s - 1) div s, leaves the input: "
                      "must be refuted",
         .math = R"((j + s - 1) \operatorname{div} s < d)",
         .negative_control = true,
         .cases = single_case("axis", [](Query& q) { fill_axis(q, true); })},
});

}  // namespace
}  // namespace cvm::proofs
