// Index safety of the broadcast ops (spec/ops/broadcast_{add,sub,mul,div,max,
// greater}.rst, <op>_b2; spec/notation.rst, "Broadcasting").
//
// Each kernel reads a at rules::broadcast_source(j, shape(a)) and b at
// rules::broadcast_source(j, shape(b)) for every output index j of
// S_y = (rules::broadcast_dim(a'_k, b'_k))_k, a' and b' the shapes padded on
// the left with 1s to n = max(rank a, rank b). The ranks are structural: one
// case per (rank a, rank b) in [1, 6]^2; the dims in [1, 2^24] (tensor_c2),
// broadcasting (<op>_c1: a'_k = b'_k or one of them is 1) and the
// coordinates 0 <= j_k < S_y[k] are symbolic. Claim: each source coordinate
// lies in its input. An input dim e_k = 1 is read at 0; any other is the
// output dim (the other side equals it or is 1), so j_{n-m+k} < e_k.
// The control <op>_b2_neg_no_zero_on_ones reads j_{n-m+k} also where
// e_k = 1, which leaves the input as soon as the other side is larger.
// The ravel cases (proofs/ravel.cc) carry the per-axis claims to the flat
// offsets in a and b. The six ops share the map (reference/binary_common.h),
// so the six goals are one argument; elemwise_add/sub do not broadcast.
#include <cstddef>
#include <string>
#include <vector>

#include "cvm/rules/broadcast_index.h"
#include "index_lemmas.h"
#include "z3_arith.h"

namespace cvm::proofs {
namespace {

// The control's map: right-aligned, but no 0 on dims of size 1.
std::vector<z3::expr> source_without_zero(const std::vector<z3::expr>& j, const std::vector<z3::expr>& e) {
  std::vector<z3::expr> src;
  for (size_t k = 0; k < e.size(); ++k) src.push_back(j[j.size() - e.size() + k]);
  return src;
}

// The shape padded on the left with 1s to rank n.
std::vector<z3::expr> padded(Query& q, const std::vector<z3::expr>& e, size_t n) {
  std::vector<z3::expr> p(n - e.size(), q.num(1));
  p.insert(p.end(), e.begin(), e.end());
  return p;
}

void fill(Query& q, size_t rank_a, size_t rank_b, bool without_zero) {
  const size_t n = rank_a > rank_b ? rank_a : rank_b;
  const std::vector<z3::expr> a = declare_dims(q, "a", rank_a);
  const std::vector<z3::expr> b = declare_dims(q, "b", rank_b);
  const std::vector<z3::expr> pa = padded(q, a, n);
  const std::vector<z3::expr> pb = padded(q, b, n);
  std::vector<z3::expr> sy;
  for (size_t k = 0; k < n; ++k) {
    q.assume(pa[k] == pb[k] || pa[k] == 1 || pb[k] == 1);  // <op>_c1
    sy.push_back(rules::broadcast_dim(pa[k], pb[k]));
  }
  const std::vector<z3::expr> j = declare_coords(q, "j", sy);
  claim_inside(q, without_zero ? source_without_zero(j, a) : rules::broadcast_source(j, a), a);
  claim_inside(q, without_zero ? source_without_zero(j, b) : rules::broadcast_source(j, b), b);
}

void rank_cases(const EachCase& each, bool without_zero) {
  each_rank_pair(each, "rank a", "rank b",
                 [without_zero](Query& q, size_t ra, size_t rb) { fill(q, ra, rb, without_zero); });
}

std::vector<Goal> goals() {
  std::vector<Goal> out;
  for (const std::string op : {"broadcast_add", "broadcast_sub", "broadcast_mul", "broadcast_div",
                               "broadcast_max", "broadcast_greater"}) {
    out.push_back(Goal{
        .label = op + "_b2",
        .statement = "every index the kernel reads lies in a and b: for ranks 1..6, src(j)_k = 0 where "
                     "e_k = 1, else j_{n-m+k}, lies in [0, e_k) for both inputs, and the row-major "
                     "offsets lie in [0, |a|) and [0, |b|)",
        .math = R"(0 \le \operatorname{src}(j)_k < e_k,\ 0 \le \operatorname{ravel}(\operatorname{src}(j), e) < |e|)",
        .negative_control = false,
        .cases = with_ravel_cases([](const EachCase& each) { rank_cases(each, false); })});
    out.push_back(Goal{.label = op + "_b2_neg_no_zero_on_ones",
                       .statement = "the map src(j)_k = j_{n-m+k} (no 0 on dims of size 1) must be refuted",
                       .math = R"(\operatorname{src}(j)_k = j_{n-m+k} \;\Rightarrow\; 0 \le \operatorname{src}(j)_k < e_k \quad\text{(refuted)})",
                       .negative_control = true,
                       .cases = [](const auto& each) { rank_cases(each, true); }});
  }
  return out;
}

const Register registered(goals());

}  // namespace
}  // namespace cvm::proofs
