// Index safety of the conv2d reference kernel (spec/ops/conv2d.rst,
// conv2d_b3). The kernel computes every index with the rules of
// include/cvm/rules/window_index.h, which this file instantiates with Z3
// expressions: window_coord (the row/column a window cell sits on),
// in_extent (the padding test), group_input_channel and offset4 (row-major
// offsets into x, w and y).
//
// Everything is symbolic within the page's constraints: N, C, H, W, O, K_H,
// K_W in [1, 2^24] (tensor_c2; O and K are dims of w), S in [1, 4096]
// (conv2d_c3), P in [0, 4096] (conv2d_c4), D in [1, 4096] (conv2d_c5),
// g >= 1 (conv2d_c6) with C = g ICG and O = g OPG (conv2d_c10), and the
// shape rule O_H = (H + 2P - (D (K - 1) + 1)) div S + 1 with conv2d_c13.
// The goal is the conjunction of its cases:
//   [rows], [columns]  the coordinate window_coord(r, u, S, D, P) of cell u of
//       window r (0 <= r < O_H, 0 <= u < K) lies in [-P, H + P): the window
//       stays inside the padded input (conv2d_c13 and the shape rule:
//       r S <= (O_H - 1) S <= H + 2P - (D (K - 1) + 1) and u D <= D (K - 1)),
//       so |coordinate| < 2^25, far inside int64;
//   [channel]  group_input_channel(o, OPG, ICG, c) lies in [0, C) for
//       0 <= o < O, 0 <= c < ICG: o div OPG < g, and (g - 1) ICG + ICG = C;
//   [x read]   a cell is read only when in_extent holds on both axes (the
//       kernel reads 0 otherwise); then, with 0 <= n < N and the channel in
//       [0, C) ([channel]), offset4 lies in [0, N C H W) = [0, |x|);
//   [w read]   offset4(o, c, u, v; ICG, K_H, K_W) lies in [0, |w|), |w| =
//       O ICG K_H K_W (conv2d_c11);
//   [y write]  offset4(n, o, r, q; O, O_H, O_W) lies in [0, |y|).
// Sizes are at most 2^30 (tensor_c3, op_c2), so every offset fits int64 (and
// size_t) with room to spare.
//
// Products of two symbolic values (r S, u D, o div OPG, the offsets) make
// the queries non-linear. Two general facts (proofs/index_facts.h) carry the
// non-linear part of [rows], [columns] and [channel], each proved once as a
// case of its own:
//   [order]     c >= 0 and a <= b  =>  a c <= b c;
//   [division]  a >= 0 and b >= 1  =>  0 <= a div b and
//               (a div b) b <= a < (a div b + 1) b;
// those cases assume the instances they need (r S <= (O_H - 1) S, ...), so
// Z3 has to find no non-linear argument there. The offset cases are left to
// Z3's non-linear arithmetic, which decides them directly. Every query takes
// a fraction of a second.
//
// Negative control conv2d_b3_neg_channel_by_icg: a deliberately wrong copy
// of the channel rule, written here and never in the runtime, that takes the
// group as o div ICG (the input channels per group) instead of o div OPG.
// With more output than input channels it reads past channel C - 1, and the
// prover must find such a case.
// Negative control conv2d_b3_neg_extent_without_dilation: [rows] with a
// shape rule and conv2d_c13 that forget the dilation (window extent K, not
// D (K - 1) + 1): a dilated window then reaches past the padded input.
#include <string>

#include "cvm/rules/window_index.h"
#include "index_facts.h"
#include "lemma.h"
#include "z3_arith.h"

namespace cvm::proofs {
namespace {

using rules::group_input_channel;
using rules::in_extent;
using rules::offset4;
using rules::window_coord;
using A = rules::Arith<z3::expr>;

constexpr int64_t kMaxSize = int64_t{1} << 30;  // tensor_c3

z3::expr dim(Query& q, const std::string& name) {
  const z3::expr d = q.var(name);
  q.assume(1 <= d && d <= q.num(kMaxDim));
  return d;
}

// [rows] / [columns]: one spatial axis of extent `d_name`. `undilated` is
// the control's shape rule that forgets the dilation (window extent K).
void fill_axis(Query& q, const std::string& d_name, bool undilated = false) {
  const z3::expr d = dim(q, d_name);
  const z3::expr k = dim(q, "K_" + d_name);  // conv2d_c2: K in [1, 2^24]
  const z3::expr s = q.var("S_" + d_name);
  const z3::expr p = q.var("P_" + d_name);
  const z3::expr dil = q.var("D_" + d_name);
  const z3::expr r = q.var("r");  // the output position
  const z3::expr u = q.var("u");  // the window cell
  q.assume(1 <= s && s <= 4096);      // conv2d_c3
  q.assume(0 <= p && p <= 4096);      // conv2d_c4
  q.assume(1 <= dil && dil <= 4096);  // conv2d_c5
  const z3::expr extent = undilated ? k : dil * (k - 1) + 1;
  q.assume(extent <= d + 2 * p);  // conv2d_c13
  // The shape rule: the output extent is last + 1.
  const z3::expr span = d + 2 * p - extent;
  const z3::expr last = A::floor_div(span, s);
  q.assume(0 <= r && r < last + 1 && 0 <= u && u < k);
  q.assume(division(span, s));
  q.assume(order(q.num(0), r, s) && order(r, last, s));
  q.assume(order(q.num(0), u, dil) && order(u, k - 1, dil));
  const z3::expr i = window_coord(r, u, s, dil, p);
  q.claim(-p <= i && i < d + p);
  q.claim(within(i, q.num((int64_t{1} << 25) - 1)));
}

// [channel]; `wrong` uses the control's o div ICG instead of the rule.
void fill_channel(Query& q, bool wrong) {
  const z3::expr c = dim(q, "C");
  const z3::expr o = dim(q, "O");
  const z3::expr g = q.var("g");
  const z3::expr icg = q.var("ICG");
  const z3::expr opg = q.var("OPG");
  const z3::expr oc = q.var("o");
  const z3::expr ic = q.var("c");
  q.assume(g >= 1);                                    // conv2d_c6
  q.assume(icg >= 1 && opg >= 1 && c == g * icg && o == g * opg);  // conv2d_c10
  q.assume(0 <= oc && oc < o && 0 <= ic && ic < icg);
  // The group t = o div OPG: t OPG <= o < g OPG gives t <= g - 1, and then
  // t ICG <= (g - 1) ICG = C - ICG.
  const z3::expr t = A::floor_div(oc, opg);
  q.assume(division(oc, opg) && order(g, t, opg) && order(t, g - 1, icg) && order(q.num(0), t, icg));
  const z3::expr ch = wrong ? A::floor_div(oc, icg) * icg + ic : group_input_channel(oc, opg, icg, ic);
  q.claim(0 <= ch && ch < c);
}

// The size |S| of a rank-4 shape, bounded by tensor_c3.
z3::expr size4(Query& q, const std::string& name, const z3::expr& d0, const z3::expr& d1,
               const z3::expr& d2, const z3::expr& d3) {
  const z3::expr n = q.var(name);
  q.assume(n == d0 * d1 * d2 * d3 && n <= q.num(kMaxSize));
  return n;
}

// [x read]: the padding test passed, the channel is in [0, C).
void fill_x_read(Query& q) {
  const z3::expr n_count = dim(q, "N");
  const z3::expr c = dim(q, "C");
  const z3::expr h = dim(q, "H");
  const z3::expr w = dim(q, "W");
  const z3::expr size = size4(q, "|x|", n_count, c, h, w);
  const z3::expr n = q.var("n");
  const z3::expr ch = q.var("ch");
  const z3::expr ih = q.var("ih");
  const z3::expr iw = q.var("iw");
  q.assume(0 <= n && n < n_count);
  q.assume(0 <= ch && ch < c);  // [channel]
  q.assume(in_extent(ih, h) && in_extent(iw, w));  // the kernel reads only then
  const z3::expr off = offset4(n, ch, ih, iw, c, h, w);
  q.claim(0 <= off && off < size);
}

// [w read] and [y write]: an index inside a shape (d0, d1, d2, d3).
void fill_offset(Query& q, const std::string& buffer, const std::string& i0, const std::string& d0,
                 const std::string& i1, const std::string& d1, const std::string& i2,
                 const std::string& d2, const std::string& i3, const std::string& d3) {
  const z3::expr e0 = dim(q, d0), e1 = dim(q, d1), e2 = dim(q, d2), e3 = dim(q, d3);
  const z3::expr size = size4(q, buffer, e0, e1, e2, e3);
  const z3::expr j0 = q.var(i0), j1 = q.var(i1), j2 = q.var(i2), j3 = q.var(i3);
  q.assume(0 <= j0 && j0 < e0 && 0 <= j1 && j1 < e1 && 0 <= j2 && j2 < e2 && 0 <= j3 && j3 < e3);
  const z3::expr off = offset4(j0, j1, j2, j3, e1, e2, e3);
  q.claim(0 <= off && off < size);
}

const Register registered({
    Goal{.label = "conv2d_b3",
         .statement = "every index the kernel computes lies in its buffer: window coordinates "
                      "r S + u D - P lie in [-P, H + P) (a coordinate outside [0, H) is padding, "
                      "read as 0, never an index), the input channel (o div OPG) ICG + c lies "
                      "in [0, C), and the offsets into x, w and y lie in [0, |x|), [0, |w|), "
                      "[0, |y|)",
         .math = R"(-P_H \le r S_H + u D_H - P_H < H + P_H,\ 0 \le (o \operatorname{div} OPG)\,ICG + c < C,\ 0 \le \mathit{offset} < |x|, |w|, |y|)",
         .negative_control = false,
         .cases =
             [](const auto& each) {
               fact_cases(each);
               each("rows", [](Query& q) { fill_axis(q, "H"); });
               each("columns", [](Query& q) { fill_axis(q, "W"); });
               each("channel", [](Query& q) { fill_channel(q, false); });
               each("x read", [](Query& q) { fill_x_read(q); });
               each("w read", [](Query& q) {
                 fill_offset(q, "|w|", "o", "O", "c", "ICG", "u", "K_H", "v", "K_W");
               });
               each("y write", [](Query& q) {
                 fill_offset(q, "|y|", "n", "N", "o", "O", "r", "H_out", "q", "W_out");
               });
             }},
    Goal{.label = "conv2d_b3_neg_channel_by_icg",
         .statement = "a wrong channel rule (o div ICG) ICG + c reads past channel C - 1 when "
                      "O > C: must be refuted",
         .math = R"((o \operatorname{div} ICG)\,ICG + c < C)",
         .negative_control = true,
         .cases = single_case("channel", [](Query& q) { fill_channel(q, true); })},
    Goal{.label = "conv2d_b3_neg_extent_without_dilation",
         .statement = "a shape rule (and conv2d_c13) that takes the window extent as K instead of "
                      "D (K - 1) + 1 lets a window leave the padded input: must be refuted",
         .math = R"(O_H = (H + 2 P_H - K_H) \operatorname{div} S_H + 1 \;\Rightarrow\; r S_H + u D_H - P_H < H + P_H)",
         .negative_control = true,
         .cases = single_case("rows", [](Query& q) { fill_axis(q, "H", true); })},
});

}  // namespace
}  // namespace cvm::proofs
