// Index safety of repeat (spec/ops/repeat.rst, repeat_b2).
//
// The kernel reads x at e = rules::repeat_source(j, a, r) (j with
// j_a div r on the axis) for every output index j of
// shape(y) = rules::repeat_shape(d, a, r) (d_a r on the axis). The rank and
// the normalized axis are structural: one case per (N, a), N in [1, 6],
// a in [0, N-1] (repeat_c2); the dims d_k in [1, 2^24] (tensor_c2),
// r in [1, 2^31 - 1] (repeat_c1, int32) and the coordinates 0 <= j_k < shape(y)_k
// are symbolic. Claim: 0 <= e_k < d_k. On the axis, j_a < d_a r gives
// j_a div r < d_a (else j_a >= r (j_a div r) >= r d_a); off the axis e_k = j_k.
// The product and the division by a symbolic r are non-linear; Z3 decides
// each case in milliseconds. The control repeat_b2_neg_rounding_up reads
// ceil(j_a / r) = (j_a + r - 1) div r, which reaches d_a at j_a = d_a r - 1
// for r >= 2. The ravel cases (proofs/ravel.cc) carry the per-axis claim to
// the flat offset in x.
#include <cstddef>
#include <string>
#include <vector>

#include "cvm/rules/repeat_index.h"
#include "index_lemmas.h"
#include "z3_arith.h"

namespace cvm::proofs {
namespace {

// The control's map: rounding the axis coordinate up.
std::vector<z3::expr> source_rounding_up(const std::vector<z3::expr>& j, size_t a, const z3::expr& r) {
  std::vector<z3::expr> e = j;
  e[a] = rules::Arith<z3::expr>::floor_div(j[a] + r - 1, r);
  return e;
}

void fill(Query& q, size_t n, size_t a, bool rounding_up) {
  const std::vector<z3::expr> d = declare_dims(q, "d", n);
  const z3::expr r = q.var("r");
  q.assume(1 <= r && r <= q.num(kInt32Max));  // repeat_c1; an int32 attribute
  const std::vector<z3::expr> j = declare_coords(q, "j", rules::repeat_shape(d, a, r));
  claim_inside(q, rounding_up ? source_rounding_up(j, a, r) : rules::repeat_source(j, a, r), d);
}

void axis_cases(const EachCase& each, bool rounding_up) {
  each_rank_and_axis(each, "", [rounding_up](Query& q, size_t n, size_t a) { fill(q, n, a, rounding_up); });
}

const Register registered({
    Goal{.label = "repeat_b2",
         .statement = "every index the kernel reads lies in x: for every rank 1..6 and axis a, "
                      "0 <= j_a < d_a r gives 0 <= j_a div r < d_a, the other coordinates are kept, "
                      "and the row-major offset of e lies in [0, |x|)",
         .math = R"(0 \le j_a < d_a r \Rightarrow 0 \le j_a \operatorname{div} r < d_a,\ 0 \le \operatorname{ravel}(e, d) < |x|)",
         .negative_control = false,
         .cases = with_ravel_cases([](const EachCase& each) { axis_cases(each, false); })},
    Goal{.label = "repeat_b2_neg_rounding_up",
         .statement = "the map ceil(j_a / r) (rounding up) must be refuted",
         .math = R"(e_a = \lceil j_a / r \rceil \;\Rightarrow\; 0 \le e_a < d_a \quad\text{(refuted)})",
         .negative_control = true,
         .cases = [](const auto& each) { axis_cases(each, true); }},
});

}  // namespace
}  // namespace cvm::proofs
