// Index safety of the reduce ops sum and max (spec/ops/sum.rst sum_b3,
// spec/ops/max.rst max_b2).
//
// One source: the goals instantiate the index function the reference calls
// (include/cvm/rules/reduce_index.h, through reference/reduce_common.h) with
// Z3 expressions: reduce_reduced_axes (R from the listed axes and exclude),
// reduce_out_shape (the shape rule: the range of an output coordinate o),
// reduce_box_shape (the sub-box: the range of a reduced position r) and
// reduce_source (the input coordinate i that o and r name; the kernel reads
// x[i] for the K positions r of the sub-box, j = ravel(r)).
//
// Structure is enumerated: the rank n in [1, 6] (tensor_c1), the set of
// listed axes (any subset of [0, n - 1]: sum_c2 and sum_c3 make the listed
// axes a set of axes; the empty set is axis = ()), exclude and keepdims. The
// pairs (listed, exclude) give every subset R of the axes (each pair's R is
// computed by the rule; a pair whose R was already enumerated is the same
// query and is skipped), so the cases are every R with and without keepdims:
// 2 (2 + 4 + ... + 64) = 252. Per case the dims are symbolic in [1, 2^24]
// (tensor_c2), o and r are symbolic inside their shapes, and the claim is
// 0 <= i_a <= d_a - 1 for every axis a (x.at then ravels i into [0, |x|)).
// Each case is linear. The vectors' lengths are structure, checked in C++ (a
// wrong length, or a read past the end of o or r, makes the claim false).
//
// sum and max share the index function (reduce_common.h), so their goals are
// the same cases under their own labels.
//
// Negative control: a copy of reduce_source (written here, never in the
// runtime) that pairs the reduced axes with the sub-box coordinates in reverse
// order (the kind of mistake errata-sum records upstream making) must be
// refuted: with two reduced axes of different extents a coordinate overruns.
#include "cvm/rules/index_inside.h"
#include "cvm/rules/reduce_index.h"

#include <set>
#include <stdexcept>
#include <string>
#include <vector>

#include "lemma.h"
#include "z3_arith.h"

namespace cvm::proofs {
namespace {

using Exprs = std::vector<z3::expr>;

// The control: reduced axes matched to the sub-box coordinates last to first.
Exprs source_reversed(const Exprs& o, const Exprs& r, const std::vector<bool>& reduced,
                      bool keepdims) {
  Exprs i;
  size_t next_o = 0, next_r = r.size();
  for (size_t a = 0; a < reduced.size(); ++a) {
    if (reduced[a]) i.push_back(r.at(--next_r));
    else if (keepdims) i.push_back(o.at(a));
    else i.push_back(o.at(next_o++));
  }
  return i;
}

// Symbolic coordinates named `name`_t with 0 <= c_t < shape_t.
Exprs coordinate(Query& q, const std::string& name, const Exprs& shape) {
  Exprs c;
  for (size_t t = 0; t < shape.size(); ++t) {
    c.push_back(q.var(name + "_" + std::to_string(t)));
    q.assume(0 <= c.back() && c.back() < shape[t]);
  }
  return c;
}

void fill(Query& q, int n, unsigned listed_bits, bool exclude, bool keepdims, bool reversed) {
  std::vector<bool> listed;
  for (int a = 0; a < n; ++a) listed.push_back(((listed_bits >> a) & 1U) != 0);
  Exprs d;
  for (int a = 0; a < n; ++a) {
    d.push_back(q.var("d_" + std::to_string(a)));
    q.assume(1 <= d.back() && d.back() <= q.num(kMaxDim));
  }
  const std::vector<bool> reduced = cvm::rules::reduce_reduced_axes(listed, exclude);
  const Exprs out = cvm::rules::reduce_out_shape(d, reduced, keepdims);
  const Exprs box = cvm::rules::reduce_box_shape(d, reduced);
  const Exprs o = coordinate(q, "o", out);
  const Exprs r = coordinate(q, "r", box);
  Exprs i;
  try {
    i = reversed ? source_reversed(o, r, reduced, keepdims)
                 : cvm::rules::reduce_source(o, r, reduced, keepdims);
  } catch (const std::out_of_range&) {
    q.claim(q.ctx().bool_val(false));  // read past the end of o or r
    return;
  }
  if (i.size() != d.size()) {
    q.claim(q.ctx().bool_val(false));
    return;
  }
  q.claim(cvm::rules::index_inside(i, d));  // the kernel's assertion
}

void cases(const EachCase& each, bool reversed) {
  for (int n = 1; n <= 6; ++n) {
    std::set<std::vector<bool>> seen;  // the sets R already enumerated
    for (unsigned listed = 0; listed < (1U << n); ++listed)
      for (const bool exclude : {false, true}) {
        std::vector<bool> l;
        for (int a = 0; a < n; ++a) l.push_back(((listed >> a) & 1U) != 0);
        // A (listed, exclude) that gives an R already enumerated gives the
        // same query: once is enough.
        if (!seen.insert(cvm::rules::reduce_reduced_axes(l, exclude)).second) continue;
        for (const bool keepdims : {false, true}) {
          std::string name = "n = " + std::to_string(n) + ", listed = {";
          for (int a = 0; a < n; ++a)
            if ((listed >> a) & 1U) name += (name.back() == '{' ? "" : ",") + std::to_string(a);
          name += std::string("}") + (exclude ? ", exclude" : "") + (keepdims ? ", keepdims" : "");
          each(name, [n, listed, exclude, keepdims, reversed](Query& q) {
            fill(q, n, listed, exclude, keepdims, reversed);
          });
        }
      }
  }
}

std::vector<Goal> goals(const std::string& label) {
  return {
      Goal{.label = label,
           .statement = "the index function of the kernel: for every rank, reduced set R, "
                        "keepdims and exclude, every output coordinate o and every position r of "
                        "the reduced sub-box, the input coordinate i with out(i) = o and "
                        "reduced coordinates r lies in shape(x)",
           .math = R"(0 \le o < \operatorname{shape}(y),\ 0 \le r < (d_a)_{a \in \mathcal{R}} \Rightarrow 0 \le i(o, r)_a \le d_a - 1)",
           .negative_control = false,
           .cases = [](const auto& each) { cases(each, false); }},
      Goal{.label = label + "_neg_reduced_axes_reversed",
           .statement = "reduced axes paired with the sub-box coordinates in reverse order must "
                        "be refuted",
           .math = R"(i_a = r_{|\mathcal{R}| - 1 - t} \;\Rightarrow\; 0 \le i_a \le d_a - 1 \quad\text{(refuted)})",
           .negative_control = true,
           .cases = [](const auto& each) { cases(each, true); }},
  };
}

const Register registered_sum(goals("sum_b3"));
const Register registered_max(goals("max_b2"));

}  // namespace
}  // namespace cvm::proofs
