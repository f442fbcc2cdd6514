// Index safety of tile (spec/ops/tile.rst, tile_b2).
//
// The kernel reads x at e = rules::tile_source(j, d), e_t = j_{K-N+t} mod d_t,
// for every output index j of shape(y) = rules::tile_shape(d, r)
// (d'_k r'_k). The ranks are structural: one case per (N, M) in [1, 6]^2
// with K = max(N, M) <= 6 (tensor_c1, op_c2), the dims d_t in [1, 2^24]
// (tensor_c2), the reps r_k in [1, 4096] (tile_c2) and the coordinates
// 0 <= j_k < d'_k r'_k symbolic. Claim: 0 <= e_t < d_t. The floor remainder
// by d_t >= 1 lies in [0, d_t) for any j; the control
// tile_b2_neg_without_mod reads e_t = j_{K-N+t} (no remainder), which leaves x
// as soon as a rep is 2 or more. The ravel cases (proofs/ravel.cc) carry the
// per-axis claim to the flat offset in x.
#include <algorithm>
#include <cstddef>
#include <string>
#include <vector>

#include "cvm/rules/tile_index.h"
#include "index_lemmas.h"
#include "z3_arith.h"

namespace cvm::proofs {
namespace {

// The control's map: the coordinate without the remainder.
std::vector<z3::expr> source_without_mod(const std::vector<z3::expr>& j, const std::vector<z3::expr>& d) {
  std::vector<z3::expr> e;
  for (size_t t = 0; t < d.size(); ++t) e.push_back(j[j.size() - d.size() + t]);
  return e;
}

void fill(Query& q, size_t n, size_t m, bool without_mod) {
  const std::vector<z3::expr> d = declare_dims(q, "d", n);
  std::vector<z3::expr> r;
  for (size_t k = 0; k < m; ++k) {
    r.push_back(q.var("r_" + std::to_string(k)));
    q.assume(1 <= r.back() && r.back() <= 4096);  // tile_c2
  }
  const std::vector<z3::expr> j = declare_coords(q, "j", rules::tile_shape(d, r));
  claim_inside(q, without_mod ? source_without_mod(j, d) : rules::tile_source(j, d), d);
}

void rank_cases(const EachCase& each, bool without_mod) {
  each_rank_pair(each, "N", "M", [without_mod](Query& q, size_t n, size_t m) { fill(q, n, m, without_mod); });
}

const Register registered({
    Goal{.label = "tile_b2",
         .statement = "every index the kernel reads lies in x: for ranks N, M in 1..6, "
                      "e_t = j_{K-N+t} mod d_t lies in [0, d_t), and the row-major offset of e in [0, |x|)",
         .math = R"(0 \le e_t = j_{K-N+t} \bmod d_t < d_t,\ 0 \le \operatorname{ravel}(e, d) < |x|)",
         .negative_control = false,
         .cases = with_ravel_cases([](const EachCase& each) { rank_cases(each, false); })},
    Goal{.label = "tile_b2_neg_without_mod",
         .statement = "the map e_t = j_{K-N+t} (no remainder) must be refuted",
         .math = R"(e_t = j_{K-N+t} \;\Rightarrow\; 0 \le e_t < d_t \quad\text{(refuted)})",
         .negative_control = true,
         .cases = [](const auto& each) { rank_cases(each, true); }},
});

}  // namespace
}  // namespace cvm::proofs
