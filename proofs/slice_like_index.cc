// Index safety of slice_like (spec/ops/slice_like.rst, slice_like_b2).
//
// One source: the goal instantiates the index function the reference calls
// (include/cvm/rules/slice_like_index.h) with Z3 expressions:
// slice_like_shape (the shape rule: the range of an output coordinate j) and
// slice_like_source (the coordinate of x that y[j] copies: j itself).
//
// Structure is enumerated: the ranks n_x, n_l in [1, 6] (tensor_c1) and the
// set A of cropped axes: every axis with axis = () (then n_x = n_l,
// slice_like_c1), else any non-empty subset of [0, min(n_x, n_l) - 1]
// (slice_like_c2; a repeated entry crops the same axis once): 324 cases. Per
// case the dims of x and like are symbolic in [1, 2^24] (tensor_c2), with
// like_i <= x_i on the cropped axes (slice_like_c3, the check the shape rule
// runs first), and j is symbolic inside shape(y). The claim: 0 <= j_i <=
// x_i - 1 on every axis. Each case is linear.
//
// Negative control: the same cases without slice_like_c3 must be refuted (a
// like longer than x would extend the block past x).
#include "cvm/rules/index_inside.h"
#include "cvm/rules/slice_like_index.h"

#include <algorithm>
#include <string>
#include <vector>

#include "lemma.h"
#include "z3_arith.h"

namespace cvm::proofs {
namespace {

using Exprs = std::vector<z3::expr>;

Exprs dims(Query& q, const std::string& name, int n) {
  Exprs d;
  for (int t = 0; t < n; ++t) {
    d.push_back(q.var(name + "_" + std::to_string(t)));
    q.assume(1 <= d.back() && d.back() <= q.num(kMaxDim));
  }
  return d;
}

// `c3` false drops slice_like_c3 (the control).
void fill(Query& q, int nx, int nl, const std::vector<bool>& cropped, bool c3) {
  const Exprs x = dims(q, "x", nx);
  const Exprs like = dims(q, "like", nl);
  for (size_t i = 0; i < cropped.size(); ++i)
    if (cropped[i] && c3) q.assume(like[i] <= x[i]);  // slice_like_c3
  const Exprs out = cvm::rules::slice_like_shape(x, like, cropped);
  Exprs j;  // an output coordinate
  for (size_t i = 0; i < out.size(); ++i) {
    j.push_back(q.var("j_" + std::to_string(i)));
    q.assume(0 <= j.back() && j.back() < out[i]);
  }
  const Exprs src = cvm::rules::slice_like_source(j);
  if (src.size() != x.size()) {
    q.claim(q.ctx().bool_val(false));
    return;
  }
  q.claim(cvm::rules::index_inside(src, x));  // the kernel's assertion
}

void cases(const EachCase& each, bool c3) {
  for (int nx = 1; nx <= 6; ++nx)
    for (int nl = 1; nl <= 6; ++nl) {
      const std::string ranks = "n_x = " + std::to_string(nx) + ", n_l = " + std::to_string(nl);
      if (nx == nl)  // axis = (): every axis (slice_like_c1)
        each(ranks + ", axis = ()", [nx, nl, c3](Query& q) {
          fill(q, nx, nl, std::vector<bool>(static_cast<size_t>(nx), true), c3);
        });
      const int common = std::min(nx, nl);
      for (unsigned set = 1; set < (1U << common); ++set) {  // slice_like_c2
        std::vector<bool> cropped(static_cast<size_t>(nx), false);
        std::string name = ranks + ", A = {";
        for (int i = 0; i < common; ++i)
          if ((set >> i) & 1U) {
            cropped[static_cast<size_t>(i)] = true;
            name += (name.back() == '{' ? "" : ",") + std::to_string(i);
          }
        each(name + "}", [nx, nl, cropped, c3](Query& q) { fill(q, nx, nl, cropped, c3); });
      }
    }
}

const Register registered({
    Goal{.label = "slice_like_b2",
         .statement = "the index function of the kernel: for all ranks and cropped axes, every "
                      "output coordinate j (inside the shape rule's shape) is a coordinate of x: "
                      "0 <= j_i <= x_i - 1",
         .math = R"(0 \le j_i < \operatorname{shape}(y)_i \le \operatorname{shape}(x)_i)",
         .negative_control = false,
         .cases = [](const auto& each) { cases(each, true); }},
    Goal{.label = "slice_like_b2_neg_without_c3",
         .statement = "without slice_like_c3 the block can extend past x: must be refuted",
         .math = R"(\text{no } \mathit{like}_i \le x_i \;\Rightarrow\; j_i \le x_i - 1 \quad\text{(refuted)})",
         .negative_control = true,
         .cases = [](const auto& each) { cases(each, false); }},
});

}  // namespace
}  // namespace cvm::proofs
