// Index safety of take (spec/ops/take.rst, take_b3).
//
// One source: the goal instantiates the index function the reference kernel
// calls (include/cvm/rules/take_index.h) with Z3 expressions: take_axis,
// take_shape (the shape rule, which gives the output coordinates' ranges),
// take_indices_coord (the coordinate of `indices` read), take_clip (the clamp
// of the value read there) and take_source (the coordinate of x copied).
//
// The index value is any integer of its tensor's precision p_i in [1, 32]
// (|v| <= R(p_i) <= R(32), every int32 but -2^31): nothing else is assumed
// about it, so the clamp alone makes the read safe.
//   * "no axis": for |x| in [1, 2^30] (tensor_c1 .. c3), the clamped flat
//     position lies in [0, |x| - 1] (output element j reads indices[j]:
//     shape(y) = shape(indices)).
//   * "axis": per rank n of x, rank m of indices (each in [1, 6], with the
//     output rank n - 1 + m <= 6, op_c2) and axis in [-n, n - 1] (take_c1),
//     all dims symbolic in [1, 2^24] (tensor_c2), and every output coordinate
//     j inside the shape rule's shape: the normalised axis lies in
//     [0, n - 1], the coordinate of indices read lies in shape(indices), and
//     the source coordinate lies in shape(x). 112 cases, each linear.
// The vectors' lengths are structure, checked in C++ (a wrong length makes the
// case's claim false).
//
// Negative control: the index value used without the clamp (written here,
// never in the runtime) must be refuted.
#include "cvm/rules/index_inside.h"
#include "cvm/rules/take_index.h"

#include <string>
#include <vector>

#include "lemma.h"
#include "z3_arith.h"

namespace cvm::proofs {
namespace {

constexpr int64_t kMaxSize = int64_t{1} << 30;

// An index value: any integer of the precision p_i in [1, 32] of indices
// (tensor_c4). The values of some such precision are exactly
// [-R(32), R(32)] (R(p_i) <= R(32)), so the bound is a constant and each
// query stays small.
z3::expr index_value(Query& q) {
  const z3::expr v = q.var("index_value");
  q.assume(within(v, q.num(range_of(32))));
  return v;
}

// The clamp of the kernel, or none (the control).
z3::expr clamped(const z3::expr& v, const z3::expr& n, bool clip) {
  return clip ? cvm::rules::take_clip(v, n) : v;
}

void fill_flat(Query& q, bool clip) {
  const z3::expr size = q.var("size_x");  // |x|
  q.assume(1 <= size && size <= q.num(kMaxSize));
  const z3::expr c = clamped(index_value(q), size, clip);
  q.claim(0 <= c && c <= size - 1);
}

// Dims d_0 .. d_{n-1} named `name`_t, each in [1, 2^24].
std::vector<z3::expr> dims(Query& q, const std::string& name, int n) {
  std::vector<z3::expr> d;
  for (int t = 0; t < n; ++t) {
    d.push_back(q.var(name + "_" + std::to_string(t)));
    q.assume(1 <= d.back() && d.back() <= q.num(kMaxDim));
  }
  return d;
}

// The kernels' predicate rules::index_inside (0 <= i_t <= shape_t - 1 on
// every axis), false when the lengths differ.
z3::expr inside(Query& q, const std::vector<z3::expr>& i, const std::vector<z3::expr>& shape) {
  if (i.empty() || i.size() != shape.size()) return q.ctx().bool_val(false);
  return cvm::rules::index_inside(i, shape);
}

void fill_axis(Query& q, int n, int m, int axis, bool clip) {
  const int a = cvm::rules::take_axis(axis, n);
  if (a < 0 || a >= n) {  // the normalised axis is an axis of x
    q.claim(q.ctx().bool_val(false));
    return;
  }
  const std::vector<z3::expr> d = dims(q, "d", n);
  const std::vector<z3::expr> qs = dims(q, "q", m);
  const std::vector<z3::expr> out = cvm::rules::take_shape(d, qs, a);
  std::vector<z3::expr> j;  // an output coordinate
  for (size_t t = 0; t < out.size(); ++t) j.push_back(q.var("j_" + std::to_string(t)));
  q.assume(inside(q, j, out));
  const std::vector<z3::expr> k = cvm::rules::take_indices_coord(j, a, m);
  q.claim(inside(q, k, qs));  // the read of indices
  const z3::expr c = clamped(index_value(q), d[static_cast<size_t>(a)], clip);
  q.claim(inside(q, cvm::rules::take_source(j, a, m, c), d));  // the read of x
}

void cases(const EachCase& each, bool clip) {
  each("no axis", [clip](Query& q) { fill_flat(q, clip); });
  for (int n = 1; n <= 6; ++n)
    for (int m = 1; n - 1 + m <= 6; ++m)
      for (int axis = -n; axis <= n - 1; ++axis)
        each("axis, n = " + std::to_string(n) + ", m = " + std::to_string(m) +
                 ", axis = " + std::to_string(axis),
             [n, m, axis, clip](Query& q) { fill_axis(q, n, m, axis, clip); });
}

const Register registered({
    Goal{.label = "take_b3",
         .statement = "the index function of the kernel: for every index value of its precision, "
                      "the clamped flat position lies in [0, |x| - 1]; with an axis, for every "
                      "rank, axis and output coordinate, the coordinate of indices read lies in "
                      "shape(indices) and the source coordinate (pre, clip(v, 0, d_a - 1), post) "
                      "in shape(x)",
         .math = R"(0 \le \operatorname{clip}(v, 0, d_a - 1) \le d_a - 1,\ (j_{<a}, \operatorname{clip}(v, 0, d_a - 1), j_{\ge a+m}) \in \operatorname{shape}(x))",
         .negative_control = false,
         .cases = [](const auto& each) { cases(each, true); }},
    Goal{.label = "take_b3_neg_no_clip",
         .statement = "the index value used without the clamp must be refuted",
         .math = R"(0 \le v \le |x| - 1 \quad\text{(refuted)})",
         .negative_control = true,
         .cases = [](const auto& each) { cases(each, false); }},
});

}  // namespace
}  // namespace cvm::proofs
