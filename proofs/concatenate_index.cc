// Index safety of concatenate (spec/ops/concatenate.rst, concatenate_b2).
//
// The kernel reads, for output coordinate d_a along the axis,
// rules::concatenate_source(d_a, s): the input k and the coordinate
// d_a - o_k, found by a fold of rules::concatenate_step over the inputs. The
// number of inputs m is not bounded by a constant, so instead of enumerating
// m the goal proves an invariant of the fold with m, the input number i and
// all lengths symbolic. s(k) (the length of input k along the axis,
// in [1, 2^24]: tensor_c2) and o(k) (its offset) are uninterpreted functions,
// so every query is linear. The invariant after scanning inputs 0 .. i-1,
// for the cursor c = (input, start, length, end):
//
//   I(c, i):  0 <= c.input < i,  c.start = o(c.input),  c.length = s(c.input),
//             c.end = o(i),  0 <= c.start <= d_a,  c.start + c.length <= c.end,
//             d_a < c.start + c.length  or  d_a >= c.end.
//
//   [first]   rules::concatenate_first(s(0)) satisfies I(c, 1) (o(0) = 0, o(1) = s(0)).
//   [step]    I(c, i) and o(i+1) = o(i) + s(i) give I(concatenate_step(c, i, s(i), d_a), i + 1).
//   [last]    I(c, m), o(m) = shape(y)_a (the shape rule) and 0 <= d_a < shape(y)_a
//             give 0 <= c.input < m and 0 <= d_a - c.start < s(c.input): the
//             coordinate lies in input k along the axis.
//   [off the axis, N = 1 .. 6, axis a] the other coordinates are kept, and
//             shape(x_k)_i = shape(x_0)_i = shape(y)_i (concatenate_c3, the
//             shape rule), so 0 <= j_i < shape(x_k)_i.
//
// The control concatenate_b2_neg_strict_boundary uses a step that takes
// input i only when d_a > o(i): at d_a = o(i) it keeps the previous input,
// one past its end (refuted in [step]). The ravel cases (proofs/ravel.cc)
// carry the per-axis claim to the flat offset in x_k.
#include <cstddef>
#include <string>
#include <vector>

#include "cvm/rules/concatenate_index.h"
#include "index_lemmas.h"
#include "z3_arith.h"

namespace cvm::proofs {
namespace {

using Cursor = rules::ConcatCursor<z3::expr>;

// The control's step: a strict comparison at the boundary.
Cursor strict_step(const Cursor& c, const z3::expr& i, const z3::expr& s_i, const z3::expr& d_a) {
  const z3::expr reached = d_a > c.end;
  return {z3::ite(reached, i, c.input), z3::ite(reached, c.end, c.start), z3::ite(reached, s_i, c.length),
          c.end + s_i};
}

struct Axis {
  z3::func_decl s;  // s(k): the length of input k along the axis
  z3::func_decl o;  // o(k): its offset
  z3::expr d_a;     // the output coordinate along the axis
};

Axis declare_axis(Query& q) {
  z3::context& ctx = q.ctx();
  Axis ax{ctx.function("s", ctx.int_sort(), ctx.int_sort()), ctx.function("o", ctx.int_sort(), ctx.int_sort()),
          q.var("d_a")};
  q.assume(ax.d_a >= 0);
  return ax;
}

// The length of input k, with tensor_c2's range.
z3::expr length_of(Query& q, const Axis& ax, const z3::expr& k) {
  q.assume(1 <= ax.s(k) && ax.s(k) <= q.num(int64_t{1} << 24));  // tensor_c2
  return ax.s(k);
}

// A cursor of symbolic values satisfying I(c, i).
Cursor assume_invariant(Query& q, const Axis& ax, const z3::expr& i) {
  Cursor c{q.var("input"), q.var("start"), q.var("length"), q.var("end")};
  length_of(q, ax, c.input);
  q.assume(0 <= c.input && c.input < i && c.start == ax.o(c.input) && c.length == ax.s(c.input) &&
           c.end == ax.o(i) && 0 <= c.start && c.start <= ax.d_a && c.start + c.length <= c.end &&
           (ax.d_a < c.start + c.length || ax.d_a >= c.end));
  return c;
}

void claim_invariant(Query& q, const Axis& ax, const Cursor& c, const z3::expr& i) {
  q.claim(0 <= c.input && c.input < i);
  q.claim(c.start == ax.o(c.input) && c.length == ax.s(c.input) && c.end == ax.o(i));
  q.claim(0 <= c.start && c.start <= ax.d_a && c.start + c.length <= c.end);
  q.claim(ax.d_a < c.start + c.length || ax.d_a >= c.end);
}

void fold_cases(const EachCase& each, bool strict) {
  each("first", [](Query& q) {
    const Axis ax = declare_axis(q);
    const z3::expr s0 = length_of(q, ax, q.num(0));
    q.assume(ax.o(q.num(0)) == 0 && ax.o(q.num(1)) == s0);
    claim_invariant(q, ax, rules::concatenate_first(s0), q.num(1));
  });
  each("step", [strict](Query& q) {
    const Axis ax = declare_axis(q);
    const z3::expr i = q.var("i");
    q.assume(i >= 1);
    const Cursor c = assume_invariant(q, ax, i);
    const z3::expr si = length_of(q, ax, i);
    q.assume(ax.o(i + 1) == ax.o(i) + si);
    const Cursor next = strict ? strict_step(c, i, si, ax.d_a) : rules::concatenate_step(c, i, si, ax.d_a);
    claim_invariant(q, ax, next, i + 1);
  });
  each("last", [](Query& q) {
    const Axis ax = declare_axis(q);
    const z3::expr m = q.var("m");
    const z3::expr ya = q.var("shape_y_a");
    q.assume(m >= 1 && ax.o(m) == ya && ax.d_a < ya);  // the shape rule; d_a an output coordinate
    const Cursor c = assume_invariant(q, ax, m);
    const z3::expr k = c.input;
    const z3::expr coordinate = ax.d_a - c.start;  // as rules::concatenate_source returns it
    q.claim(0 <= k && k < m && 0 <= coordinate && coordinate < ax.s(k));
  });
}

void off_axis_cases(const EachCase& each) {
  each_rank_and_axis(each, "off the axis, ", [](Query& q, size_t n, size_t a) {
    const std::vector<z3::expr> d0 = declare_dims(q, "x0", n);  // shape(x_0)
    const std::vector<z3::expr> dk = declare_dims(q, "xk", n);  // shape(x_k)
    std::vector<z3::expr> dy = d0;                               // the shape rule
    dy[a] = q.var("shape_y_a");
    for (size_t i = 0; i < n; ++i)
      if (i != a) q.assume(dk[i] == d0[i]);  // concatenate_c3
    const std::vector<z3::expr> j = declare_coords(q, "j", dy);
    for (size_t i = 0; i < n; ++i)
      if (i != a) q.claim(0 <= j[i] && j[i] < dk[i]);
  });
}

const Register registered({
    Goal{.label = "concatenate_b2",
         .statement = "every index the kernel reads lies in its input: for any number of inputs, output "
                      "coordinate 0 <= d_a < sum_k s_k selects an input 0 <= k < m and the coordinate "
                      "0 <= d_a - o_k < s_k; the other coordinates lie in x_k (concatenate_c3); and the "
                      "row-major offset lies in [0, |x_k|)",
         .math = R"(0 \le d_a < \textstyle\sum_k s_k \Rightarrow 0 \le k < m,\ 0 \le d_a - o_k < s_k,\ 0 \le \operatorname{ravel} < |x_k|)",
         .negative_control = false,
         .cases = with_ravel_cases([](const EachCase& each) {
           fold_cases(each, false);
           off_axis_cases(each);
         })},
    Goal{.label = "concatenate_b2_neg_strict_boundary",
         .statement = "a search that takes input i only when d_a > o_i must be refuted",
         .math = R"(d_a > o_i \text{ instead of } d_a \ge o_i \;\Rightarrow\; I \text{ preserved} \quad\text{(refuted)})",
         .negative_control = true,
         .cases = [](const auto& each) { fold_cases(each, true); }},
});

}  // namespace
}  // namespace cvm::proofs
