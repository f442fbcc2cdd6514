// Index safety of the max_pool2d reference kernel (spec/ops/max_pool2d.rst,
// max_pool2d_b3). The kernel computes the row and column of every window
// cell with window_coord (dilation 1) and tests them with in_extent, the
// rules of include/cvm/rules/window_index.h that this file instantiates with
// Z3 expressions; a cell that fails the test is skipped (not read, not read
// as 0), and a cell that passes it is read as x[n, c, h, w], with n < N and
// c < C because y has shape (N, C, H_out, W_out).
//
// One axis at a time (rows: H, P, K, S, H_out; the columns are the same
// statement with W, P_W, K_W, S_W, W_out, a second case), with everything
// symbolic in the ranges the page allows: H in [1, 2^24] (tensor_c2),
// P in [0, 4096] (max_pool2d_c4), S in [1, 4096] (max_pool2d_c3), either
// ceil_mode, K with P < K <= H + 2P (max_pool2d_c6, max_pool2d_c7), the shape
// rule H_out = (H + 2P - K [+ S - 1 with ceil_mode]) div S + 1, and
// max_pool2d_c8 ((H_out - 1) S - P < H). For 0 <= h' < H_out and 0 <= r < K:
//   * the coordinate i = window_coord(h', r, S, 1, P) = h' S + r - P lies in
//     [-P, H + K - 1): h' S >= 0, and h' S <= (H_out - 1) S < H + P by c8.
//     This is the truth about the windows: with ceil_mode the last window may
//     reach past the padded input (i >= H + P, up to H + K - 2; the negative
//     control shows one), and such cells, like padding cells, fail in_extent
//     and are skipped. |i| < 2^25, far inside int64;
//   * a coordinate that passes in_extent lies in [0, H), so every cell read
//     is an index of x;
//   * no window lies entirely outside x: its cell r* = max(0, P - h' S) has
//     0 <= r* < K (c7) and passes in_extent (c8), so the kernel reads at
//     least one cell per window (max_pool2d_b2 proves the same of the page's
//     formula; here it is the kernel's rule).
// The products h' S and (H_out - 1) S and the division by S are handled by
// the [order] and [division] cases of proofs/index_facts.h, whose instances
// the axis cases assume, so that every query is decided in a fraction of a
// second.
//
// Negative controls:
//   max_pool2d_b3_neg_padded_edge: the stronger claim that every window cell
//     lies in the padded input, i < H + P, must be refuted: it fails with
//     ceil_mode (e.g. H = 3, K = 2, S = 2, P = 0: the last window covers rows
//     2 and 3), which is why the kernel must test, not assume, the extent.
//   max_pool2d_b3_neg_without_c7: without max_pool2d_c7 (P < K) the first
//     window can lie entirely in the padding, so the witness cell fails.
#include <string>

#include "cvm/rules/window_index.h"
#include "index_facts.h"
#include "index_lemmas.h"
#include "lemma.h"
#include "z3_arith.h"

namespace cvm::proofs {
namespace {

using rules::in_extent;
using rules::window_coord;
using A = rules::Arith<z3::expr>;

enum class Variant { kProof, kPaddedEdge, kWithoutC7 };

// One axis of max_pool2d_b3 (or of a control).
void fill_axis(Query& q, const std::string& d_name, Variant variant) {
  const z3::expr d = q.var(d_name);
  const z3::expr p = q.var("P_" + d_name);
  const z3::expr k = q.var("K_" + d_name);
  const z3::expr s = q.var("S_" + d_name);
  const z3::expr ceil_mode = q.var("ceil_mode");
  const z3::expr hp = q.var("i_" + d_name);  // the output position h'
  const z3::expr r = q.var("r");             // the window cell
  q.assume(1 <= d && d <= q.num(kMaxDim));
  q.assume(0 <= p && p <= 4096);  // max_pool2d_c4
  q.assume(1 <= s && s <= 4096);  // max_pool2d_c3
  q.assume(ceil_mode == 0 || ceil_mode == 1);
  q.assume(0 <= k && k <= d + 2 * p);  // max_pool2d_c6
  if (variant != Variant::kWithoutC7) q.assume(p < k);  // max_pool2d_c7
  else q.assume(1 <= k);
  // The shape rule: H_out = last + 1.
  const z3::expr span = z3::ite(ceil_mode == 1, d + 2 * p - k + s - 1, d + 2 * p - k);
  const z3::expr last = A::floor_div(span, s);
  const z3::expr out = q.var(d_name + "_out");
  q.assume(out == last + 1);
  q.assume(last * s - p < d);  // max_pool2d_c8
  q.assume(0 <= hp && hp < out && 0 <= r && r < k);
  q.assume(division(span, s) && order(q.num(0), hp, s) && order(hp, last, s));

  const z3::expr i = window_coord(hp, r, s, q.num(1), p);
  const z3::expr r_star = A::max(q.num(0), p - hp * s);
  const z3::expr i_star = window_coord(hp, r_star, s, q.num(1), p);
  switch (variant) {
    case Variant::kProof:
      q.claim(-p <= i && i < d + k - 1);
      q.claim(within(i, q.num((int64_t{1} << 25) - 1)));
      q.claim(z3::implies(in_extent(i, d), 0 <= i && i < d));
      q.claim(0 <= r_star && r_star < k && in_extent(i_star, d));
      break;
    case Variant::kPaddedEdge:
      q.claim(i < d + p);
      break;
    case Variant::kWithoutC7:
      q.claim(0 <= r_star && r_star < k && in_extent(i_star, d));
      break;
  }
}

// The batch and channel of a read cell come from y's index (n, c, h', w'),
// and y has shape (N, C, H_out, W_out) (the shape rule), so they index x.
void fill_batch_channel(Query& q) {
  const z3::expr n_count = q.var("N"), c_count = q.var("C");
  const z3::expr n = q.var("n"), c = q.var("c");
  q.assume(1 <= n_count && n_count <= q.num(kMaxDim) && 1 <= c_count && c_count <= q.num(kMaxDim));
  q.assume(0 <= n && n < n_count && 0 <= c && c < c_count);  // (n, c, ., .) indexes y
  q.claim(in_extent(n, n_count) && in_extent(c, c_count));
}

const Register registered({
    Goal{.label = "max_pool2d_b3",
         .statement = "every window coordinate h' S + r - P lies in [-P, H + K - 1); the kernel "
                      "reads a cell only when it lies in [0, H) x [0, W) (in the padding or, with "
                      "ceil_mode, past the padded edge it is skipped), so every read indexes x; "
                      "every window has a cell in x (r* = max(0, P - h' S))",
         .math = R"(-P_H \le h' S_H + r - P_H < H + K_H - 1,\ \text{read} \Rightarrow 0 \le h' S_H + r - P_H < H,\ \exists r^*:\ 0 \le h' S_H + r^* - P_H < H)",
         .negative_control = false,
         .cases =
             [](const auto& each) {
               fact_cases(each);
               each("rows", [](Query& q) { fill_axis(q, "H", Variant::kProof); });
               each("columns", [](Query& q) { fill_axis(q, "W", Variant::kProof); });
               each("batch and channel", [](Query& q) { fill_batch_channel(q); });
               ravel_cases(each);  // the read x[n, c, ., .]: Tensor::at's offset
             }},
    Goal{.label = "max_pool2d_b3_neg_padded_edge",
         .statement = "the stronger claim that every window cell lies in the padded input "
                      "(h' S + r - P < H + P) fails with ceil_mode: must be refuted",
         .math = R"(h' S_H + r - P_H < H + P_H)",
         .negative_control = true,
         .cases =
             [](const auto& each) {
               each("rows", [](Query& q) { fill_axis(q, "H", Variant::kPaddedEdge); });
             }},
    Goal{.label = "max_pool2d_b3_neg_without_c7",
         .statement = "without max_pool2d_c7 (P < K) a window can lie entirely in the padding: "
                      "must be refuted",
         .math = R"(\neg\,\mathrm{c7} \;\Rightarrow\; \exists r^*:\ 0 \le h' S_H + r^* - P_H < H)",
         .negative_control = true,
         .cases =
             [](const auto& each) {
               each("rows", [](Query& q) { fill_axis(q, "H", Variant::kWithoutC7); });
             }},
});

}  // namespace
}  // namespace cvm::proofs
