// conv2d - reference transcription of spec/ops/conv2d.rst.
#include "cvm/ops/conv2d.h"

#include <algorithm>
#include <cstdint>
#include <string_view>
#include <type_traits>
#include <vector>

#include "cvm/op.h"
#include "cvm/rules/precision.h"
#include "cvm/rules/window_index.h"
#include "window_taps.h"

namespace cvm {
namespace {

// Checks that tuple attribute `key` has exactly 2 entries, each in [lo, hi];
// a violation is `label`.
std::array<int64_t, 2> pair(const std::vector<int64_t>& v, const char* key, int64_t lo,
                            int64_t hi, const char* label) {
  CVM_REQUIRE(v.size() == 2, label, key, " must have exactly 2 entries, got ", v.size());
  for (int64_t e : v)
    CVM_REQUIRE(e >= lo && e <= hi, label, key, " entry ", e, " is outside [", lo, ", ", hi, "]");
  return {v[0], v[1]};
}

// conv2d_c15: upstream's layout grammar (its Layout parser), which it applies
// to out_layout: "__undef__", or upper-case dims (each once, no number
// before one) and lower-case sub-dims (each once, right after a factor > 0,
// and only with their upper-case dim), at least one dim; trailing digits are
// allowed. A factor above 2^31 - 1 is not a layout.
bool is_layout(std::string_view s) {
  if (s == "__undef__") return true;
  bool upper[26] = {}, lower[26] = {};
  int64_t factor = 0;
  bool any = false;
  for (char ch : s) {
    if (ch >= 'A' && ch <= 'Z') {
      if (factor != 0 || upper[ch - 'A']) return false;
      upper[ch - 'A'] = any = true;
    } else if (ch >= 'a' && ch <= 'z') {
      if (factor <= 0 || lower[ch - 'a']) return false;
      lower[ch - 'a'] = any = true;
      factor = 0;
    } else if (ch >= '0' && ch <= '9') {
      factor = factor * 10 + (ch - '0');
      if (factor > INT32_MAX) return false;
    } else {
      return false;
    }
  }
  for (int k = 0; k < 26; ++k)
    if (lower[k] && !upper[k]) return false;
  return any;
}

std::any parse(AttrReader& r) {
  Conv2dAttrs a;
  a.channels = r.int32("channels");  // conv2d_c1 is checked with the shapes (infer)
  // conv2d_c2..c5: the 2-entry window attributes and their inclusive ranges.
  a.kernel_size = pair(r.tuple("kernel_size"), "kernel_size", 1, kMaxDim, "conv2d_c2");
  a.strides = pair(r.tuple("strides"), "strides", 1, 4096, "conv2d_c3");
  a.padding = pair(r.tuple("padding"), "padding", 0, 4096, "conv2d_c4");
  a.dilation = pair(r.tuple("dilation"), "dilation", 1, 4096, "conv2d_c5");
  a.groups = r.int32("groups");
  // conv2d_c6: groups > 0 (divisibility is conv2d_c10).
  CVM_REQUIRE(a.groups >= 1, "conv2d_c6", "groups = ", a.groups, " must be >= 1");
  a.layout = r.string("layout");
  a.kernel_layout = r.string("kernel_layout");
  a.out_layout = r.string("out_layout");
  // conv2d_c7: only the NCHW / OIHW layouts exist. In upstream's order:
  // layout and kernel_layout, then out_layout is parsed as a layout
  // (conv2d_c15, a CHECK: runtime), then compared with NCHW.
  CVM_REQUIRE(a.layout == "NCHW" && a.kernel_layout == "OIHW", "conv2d_c7",
              "layouts must be layout = NCHW and kernel_layout = OIHW; got ", a.layout, ", ",
              a.kernel_layout);
  CVM_REQUIRE(is_layout(a.out_layout), "conv2d_c15", "out_layout = '", a.out_layout,
              "' is not a layout");
  CVM_REQUIRE(a.out_layout == "__undef__" || a.out_layout == "NCHW", "conv2d_c7",
              "out_layout must be __undef__ or NCHW; got ", a.out_layout);
  a.out_dtype = r.string("out_dtype");
  // conv2d_c8: the output type is out_dtype, and every entry of a model is
  // int32, so only "same" and "int32" leave a valid model (any other dtype
  // name passes the grammar, attr_c3, and fails here).
  CVM_REQUIRE(a.out_dtype == "same" || a.out_dtype == "int32", "conv2d_c8", "out_dtype = '",
              a.out_dtype, "' makes the output type non-int32; only same and int32 are valid");
  a.use_bias = r.boolean("use_bias");
  return a;
}

int num_inputs(const std::any& attrs) {
  return std::any_cast<const Conv2dAttrs&>(attrs).use_bias ? 3 : 2;
}

// Whether every value of t lies in t's precision (the kernel's contract on
// its inputs). No early exit, so the loop is one branch-free pass.
bool holds_precision(const Tensor& t) {
  bool inside = true;
  for (int32_t v : t.data) inside &= in_precision(v, t.precision);
  return inside;
}

// The dilated kernel extent D * (K - 1) + 1 (K <= 2^24, D <= 4096: no overflow).
int64_t dilated(int64_t k, int64_t d) { return d * (k - 1) + 1; }

Types infer(const std::any& attrs, const Types& in) {
  const auto& a = std::any_cast<const Conv2dAttrs&>(attrs);
  const TensorType& x = in[0];
  const TensorType& w = in[1];
  // conv2d_c9: x is (N, C, H, W).
  CVM_REQUIRE(x.shape.size() == 4, "conv2d_c9", "x must have rank 4, got shape ",
              shape_str(x.shape));
  const int64_t n = x.shape[0], c = x.shape[1], h = x.shape[2], wd = x.shape[3];
  // conv2d_c10: groups divides both channel counts.
  CVM_REQUIRE(c % a.groups == 0 && a.channels % a.groups == 0, "conv2d_c10", "groups = ",
              a.groups, " must divide the input channels ", c, " and channels = ", a.channels);
  const int64_t icg = c / a.groups;
  const int64_t kh = a.kernel_size[0], kw = a.kernel_size[1];
  // conv2d_c12 first, as upstream's shape inference: b is exactly (channels).
  // So a channels below 1 with a bias is this runtime error, as upstream's.
  if (a.use_bias)
    CVM_REQUIRE(in[2].shape == Shape({a.channels}), "conv2d_c12", "b must have shape ",
                shape_str({a.channels}), ", got ", shape_str(in[2].shape));
  // conv2d_c1: at least one output channel.
  CVM_REQUIRE(a.channels >= 1, "conv2d_c1", "channels = ", a.channels, " must be >= 1");
  // conv2d_c11: w is exactly (channels, C / groups, KH, KW).
  const Shape want_w{a.channels, icg, kh, kw};
  CVM_REQUIRE(w.shape == want_w, "conv2d_c11", "w must have shape ", shape_str(want_w), ", got ",
              shape_str(w.shape));
  // conv2d_c13: the dilated kernel fits the padded input.
  const int64_t ekh = dilated(kh, a.dilation[0]), ekw = dilated(kw, a.dilation[1]);
  const int64_t ph = h + 2 * a.padding[0], pw = wd + 2 * a.padding[1];
  CVM_REQUIRE(ekh <= ph && ekw <= pw, "conv2d_c13", "dilated kernel (", ekh, ", ", ekw,
              ") exceeds the padded input (", ph, ", ", pw, ")");
  // conv2d_c14: both convolution operands have precision <= 8.
  CVM_REQUIRE(x.precision <= 8 && w.precision <= 8, "conv2d_c14",
              "x and w must have precision <= 8, got ", x.precision, " and ", w.precision);
  const int64_t oh = floor_div(ph - ekh, a.strides[0]) + 1;
  const int64_t ow = floor_div(pw - ekw, a.strides[1]) + 1;
  const int64_t k = icg * kh * kw;
  const int p = rules::dot_product_precision(x.precision, w.precision, bits(static_cast<uint64_t>(k)),
                                             a.use_bias, a.use_bias ? in[2].precision : 0);
  return {TensorType{Shape{n, a.channels, oh, ow}, p}};
}

int64_t gas_weight(const std::any& attrs, const Types& in, const Types&) {
  const auto& a = std::any_cast<const Conv2dAttrs&>(attrs);
  const Shape& w = in[1].shape;
  return 3 * (w[1] * w[2] * w[3]) + (a.use_bias ? 1 : 0);
}

// The page's sum, one output row y[n, o, r, .] at a time: s[q] takes the
// terms (c, u, v) in the page's order, and each term is added to every
// column q of the row before the next term, so the innermost loop walks one
// row of x and of s (contiguous for stride 1) and every s[q] sees the same
// partial sums as in a loop over q outermost. A padding term adds 0 and is
// skipped: the partial sum it would give is the previous one (or 0), already
// checked. The other terms read x[n, ch, i, j] with 0 <= i < H and
// 0 <= j < W by construction of the taps (window_taps.h).
//
// The output channels of one group read the same input channels, so the
// rows of kTile consecutive channels of a group are summed together (a
// tile): each read of x serves the same term (c, u, v) of kTile sums. Every
// sum still takes its terms in the page's order; only the order between
// different sums changes. That can change no value, only which violated
// bound is reported first, so tiles are used only where no bound can be
// violated: conv2d_b3 never is (proofs/conv2d_index.cc), conv2d_b1 and
// conv2d_b2 not when the inputs hold their precisions (check_each_term).
// Elsewhere the loop is the page's, one channel o at a time.
void kernel(const std::any& attrs, const Inputs& in, const Outputs& out) {
  const auto& a = std::any_cast<const Conv2dAttrs&>(attrs);
  const Tensor& x = *in[0];
  const Tensor& w = *in[1];
  Tensor& y = *out[0];
  const int64_t n_count = x.shape[0], c = x.shape[1], h = x.shape[2], wd = x.shape[3];
  const int64_t oc_count = a.channels;
  const int64_t kh_count = a.kernel_size[0], kw_count = a.kernel_size[1];
  const int64_t oh_count = y.shape[2], ow_count = y.shape[3];
  const int64_t sh = a.strides[0], sw = a.strides[1];
  const int64_t ph = a.padding[0], pw = a.padding[1];
  const int64_t dh = a.dilation[0], dw = a.dilation[1];
  const int64_t opg = oc_count / a.groups;  // output channels per group (OPG)
  const int64_t icg = c / a.groups;         // input channels per group (ICG)
  // The conv2d_b2 bound on the accumulator: K * R(px) * R(pw) (+ R(pb)).
  const int64_t k = icg * kh_count * kw_count;
  const int64_t acc_bound = k * prec_max(x.precision) * prec_max(w.precision);
  const int64_t biased_bound = acc_bound + (a.use_bias ? prec_max(in[2]->precision) : 0);
  // Every bound of the page follows from the precisions of x, w and b,
  // which the kernel's contract (OpDef::reference) gives: a term is a padded
  // read (0 or a value of x) times a value of w, of magnitude at most
  // R(p_x) R(p_w), so the j-th partial sum is at most j R(p_x) R(p_w) <=
  // acc_bound (conv2d_b2, proofs/conv2d.cc), the biased sum at most
  // biased_bound and y within R(p_y) (conv2d_b1). That premise is checked
  // here, once per value. Only if it fails are the partial sums checked term
  // by term (the check that cannot fail otherwise), one channel at a time,
  // so a violation is still reported at the same first partial sum.
  const bool check_each_term =
      !holds_precision(x) || !holds_precision(w) || (a.use_bias && !holds_precision(*in[2]));

  // For each kernel column v, the output columns q whose column
  // j = q S_W + v D_W - P_W lies in [0, W): the same for every row.
  std::vector<Taps> cols(static_cast<size_t>(kw_count));
  for (int64_t v = 0; v < kw_count; ++v)
    cols[static_cast<size_t>(v)] =
        taps_inside(ow_count, wd, [&](int64_t q) { return rules::window_coord(q, v, sw, dw, pw); });
  constexpr int64_t kTile = 8;  // output channels summed together (the unroll pragmas' 8)
  // s[n, o + t, r, q] at s[q tile + t], for the rows (n, o + t, r) of a tile.
  std::vector<int64_t> s(static_cast<size_t>(kTile * ow_count));

  // Output rows y[n, o + t, r, .] for t < tile (all in o's group), the
  // single row y[n, o, r, .] for tile 1; conv2d_b2 after each term only
  // where check_terms.
  const auto tile_rows = [&](int64_t n, int64_t o, int64_t r, auto tile, auto check_terms) {
    constexpr int64_t kCount = decltype(tile)::value;
    for (int64_t t = 0; t < kCount; ++t) {
      // conv2d_b3, once per output row with the predicate of every read on
      // its extreme indices: the channel (o div OPG) ICG + c grows with c,
      // the row r S_H + u D_H - P_H with u and the column q S_W + v D_W - P_W
      // with q and v, so the extremes (c, u, q, v) = (0, 0, 0, 0) and
      // (ICG - 1, K_H - 1, O_W - 1, K_W - 1) in range give every read of the
      // row in range (the index proof, proofs/conv2d_index.cc, shows they are).
      const int64_t ch_first = rules::group_input_channel(o + t, opg, icg, int64_t{0});
      const int64_t ch_last = rules::group_input_channel(o + t, opg, icg, icg - 1);
      const int64_t i_first = rules::window_coord(r, int64_t{0}, sh, dh, ph);
      const int64_t i_last = rules::window_coord(r, kh_count - 1, sh, dh, ph);
      const int64_t j_first = rules::window_coord(int64_t{0}, int64_t{0}, sw, dw, pw);
      const int64_t j_last = rules::window_coord(ow_count - 1, kw_count - 1, sw, dw, pw);
      CVM_BOUND(rules::in_extent(ch_first, c) && rules::in_extent(ch_last, c) &&
                    rules::in_extent(i_first + ph, h + 2 * ph) &&
                    rules::in_extent(i_last + ph, h + 2 * ph) &&
                    rules::in_extent(j_first + pw, wd + 2 * pw) &&
                    rules::in_extent(j_last + pw, wd + 2 * pw),
                "conv2d_b3", "reads of channels ", ch_first, "..", ch_last, ", rows ", i_first,
                "..", i_last, ", columns ", j_first, "..", j_last, " for y[", n, ", ", o + t, ", ",
                r, ", .]");
    }
    // The kernel rows u whose row i = r S_H + u D_H - P_H lies in [0, H).
    const Taps rows =
        taps_inside(kh_count, h, [&](int64_t u) { return rules::window_coord(r, u, sh, dh, ph); });
    std::fill(s.begin(), s.end(), int64_t{0});
    for (int64_t ic = 0; ic < icg; ++ic) {
      // The tile's channels share their group, hence this input channel.
      const int64_t ch = rules::group_input_channel(o, opg, icg, ic);
      for (int64_t u = rows.begin; u < rows.end; ++u) {
        const int64_t ih = rules::window_coord(r, u, sh, dh, ph);
        const int32_t* x_row = x.data.data() + rules::offset4(n, ch, ih, int64_t{0}, c, h, wd);
        for (int64_t v = 0; v < kw_count; ++v) {
          // w[o + t, c, u, v], in registers: both t loops are unrolled.
          int64_t wv[kCount];
#pragma GCC unroll 8
          for (int64_t t = 0; t < kCount; ++t)
            wv[t] = w.data[static_cast<size_t>(
                rules::offset4(o + t, ic, u, v, icg, kh_count, kw_count))];
          const Taps q_in = cols[static_cast<size_t>(v)];
          for (int64_t q = q_in.begin; q < q_in.end; ++q) {
            const int64_t xv = x_row[rules::window_coord(q, v, sw, dw, pw)];
#pragma GCC unroll 8
            for (int64_t t = 0; t < kCount; ++t) {
              int64_t& acc = s[static_cast<size_t>(q * kCount + t)];
              acc += xv * wv[t];
              if constexpr (decltype(check_terms)::value)
                CVM_BOUND(acc >= -acc_bound && acc <= acc_bound, "conv2d_b2", "partial sum ", acc,
                          " at y[", n, ", ", o + t, ", ", r, ", ", q, "]");
            }
          }
        }
      }
    }
    for (int64_t t = 0; t < kCount; ++t)
      for (int64_t q = 0; q < ow_count; ++q) {
        int64_t acc = s[static_cast<size_t>(q * kCount + t)];
        if (a.use_bias) {
          acc += int64_t{in[2]->data[static_cast<size_t>(o + t)]};
          CVM_BOUND(acc >= -biased_bound && acc <= biased_bound, "conv2d_b2", "biased sum ", acc,
                    " at y[", n, ", ", o + t, ", ", r, ", ", q, "]");
        }
        CVM_BOUND(in_precision(acc, y.precision), "conv2d_b1", "y[", n, ", ", o + t, ", ", r, ", ",
                  q, "] = ", acc);
        y.data[static_cast<size_t>(rules::offset4(n, o + t, r, q, oc_count, oh_count, ow_count))] =
            static_cast<int32_t>(acc);
      }
  };

  using One = std::integral_constant<int64_t, 1>;
  using Tile = std::integral_constant<int64_t, kTile>;
  for (int64_t n = 0; n < n_count; ++n)
    for (int64_t o = 0; o < oc_count;) {
      // A tile where the bounds hold and kTile channels from o share o's
      // group; else the single channel o, as the page's loop.
      if (!check_each_term && o % opg + kTile <= opg) {
        for (int64_t r = 0; r < oh_count; ++r) tile_rows(n, o, r, Tile{}, std::false_type{});
        o += kTile;
      } else {
        for (int64_t r = 0; r < oh_count; ++r) {
          if (check_each_term)
            tile_rows(n, o, r, One{}, std::true_type{});
          else
            tile_rows(n, o, r, One{}, std::false_type{});
        }
        ++o;
      }
    }
}

}  // namespace

OpDef op_def_conv2d() {
  return {.parse_attrs = parse, .num_inputs = num_inputs, .infer = infer, .gas_weight = gas_weight,
          .reference = kernel};
}

}  // namespace cvm
