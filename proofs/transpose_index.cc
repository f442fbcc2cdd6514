// Index safety of transpose (spec/ops/transpose.rst, transpose_b2).
//
// The kernel reads x at e = rules::transpose_source(j, a) (e_{a_i} = j_i)
// for every output index j of shape(y) = rules::transpose_shape(d, a) =
// (d_{a_0}, ..., d_{a_{N-1}}). The permutation a is structural: one case per
// permutation of each rank N = 1 .. 6 (1! + ... + 6! = 873 cases), with the
// dims d_k in [1, 2^24] (tensor_c2) and the coordinates 0 <= j_i < d_{a_i}
// symbolic. Claim: 0 <= e_k < d_k for every k. Since e_{a_i} = j_i < d_{a_i}
// this holds for every permutation; it fails for a map that is not the one
// the page gives, e.g. e_i = j_{a_i} (the inverse permutation), unless a is
// an involution: the control transpose_b2_neg_inverse_permutation.
// The ravel cases (proofs/ravel.cc) carry the per-axis claim to the flat
// offset in x. The ravel and unravel steps' controls, shared by every index
// goal, are registered here: transpose_b2_neg_ravel_coordinate_at_dim and
// transpose_b2_neg_unravel_flat_at_size.
#include <algorithm>
#include <cstdint>
#include <numeric>
#include <string>
#include <vector>

#include "cvm/rules/transpose_index.h"
#include "index_lemmas.h"
#include "z3_arith.h"

namespace cvm::proofs {
namespace {

// The control's map: e_i = j_{a_i}, the inverse of the page's permutation.
std::vector<z3::expr> inverse_source(const std::vector<z3::expr>& j, const std::vector<int64_t>& a) {
  std::vector<z3::expr> e;
  for (int64_t ai : a) e.push_back(j[static_cast<size_t>(ai)]);
  return e;
}

void fill(Query& q, const std::vector<int64_t>& a, bool inverse) {
  const std::vector<z3::expr> d = declare_dims(q, "d", a.size());
  const std::vector<z3::expr> j = declare_coords(q, "j", rules::transpose_shape(d, a));
  claim_inside(q, inverse ? inverse_source(j, a) : rules::transpose_source(j, a), d);
}

void permutation_cases(const EachCase& each, bool inverse) {
  for (size_t n = 1; n <= 6; ++n) {
    std::vector<int64_t> a(n);
    std::iota(a.begin(), a.end(), 0);
    do {
      std::string name = "a = (";
      for (size_t i = 0; i < n; ++i) name += (i ? ", " : "") + std::to_string(a[i]);
      each(name + ")", [a, inverse](Query& q) { fill(q, a, inverse); });
    } while (std::next_permutation(a.begin(), a.end()));
  }
}

const Register registered({
    Goal{.label = "transpose_b2",
         .statement = "every index the kernel reads lies in x: for every permutation a of rank 1..6, "
                      "0 <= j_i < d_{a_i} gives 0 <= e_k < d_k for e_{a_i} = j_i, and the row-major "
                      "offset of e lies in [0, |x|)",
         .math = R"(0 \le j_i < d_{a_i} \Rightarrow 0 \le e_k < d_k\ (e_{a_i} = j_i),\ 0 \le \operatorname{ravel}(e, d) < |x|)",
         .negative_control = false,
         .cases = with_ravel_cases([](const EachCase& each) { permutation_cases(each, false); })},
    Goal{.label = "transpose_b2_neg_inverse_permutation",
         .statement = "the inverse map e_i = j_{a_i} must be refuted (it leaves x for a non-involution)",
         .math = R"(e_i = j_{a_i} \;\Rightarrow\; 0 \le e_k < d_k \quad\text{(refuted)})",
         .negative_control = true,
         .cases = [](const auto& each) { permutation_cases(each, true); }},
    Goal{.label = "transpose_b2_neg_ravel_coordinate_at_dim",
         .statement = "the ravel step with a coordinate e <= d (one past the axis) must be refuted",
         .math = R"(0 \le e \le d \;\Rightarrow\; \operatorname{offset} \cdot d + e < P d \quad	ext{(refuted)})",
         .negative_control = true,
         .cases = [](const auto& each) { ravel_control_cases(each); }},
    Goal{.label = "transpose_b2_neg_unravel_flat_at_size",
         .statement = "the unravel step with a flat position flat <= P d (one past the buffer) must be refuted",
         .math = R"(0 \le f \le P d \;\Rightarrow\; f \operatorname{div} d < P \quad	ext{(refuted)})",
         .negative_control = true,
         .cases = [](const auto& each) { unravel_control_cases(each); }},
});

}  // namespace
}  // namespace cvm::proofs
