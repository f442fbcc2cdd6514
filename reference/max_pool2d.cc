// max_pool2d - reference transcription of spec/ops/max_pool2d.rst.
#include "cvm/ops/max_pool2d.h"

#include <cstdint>
#include <vector>

#include "cvm/op.h"
#include "cvm/rules/window_index.h"
#include "window_taps.h"

namespace cvm {
namespace {

std::any parse(AttrReader& r) {
  MaxPool2dAttrs a;
  const std::vector<int64_t> pool_size = r.tuple("pool_size");
  const std::vector<int64_t> strides = r.tuple("strides");
  const std::vector<int64_t> padding = r.tuple("padding");
  const std::string layout = r.string("layout");
  a.ceil_mode = r.boolean("ceil_mode");
  // max_pool2d_c1: only the NCHW layout.
  CVM_REQUIRE(layout == "NCHW", "max_pool2d_c1", "layout \"", layout, "\" is not NCHW");
  // max_pool2d_c2: pool_size = (KH, KW).
  CVM_REQUIRE(pool_size.size() == 2, "max_pool2d_c2", "pool_size has ", pool_size.size(),
              " entries, expected 2");
  // max_pool2d_c3: strides = (SH, SW), each in [1, 4096].
  CVM_REQUIRE(strides.size() == 2, "max_pool2d_c3", "strides has ", strides.size(),
              " entries, expected 2");
  for (int64_t s : strides)
    CVM_REQUIRE(s >= 1 && s <= 4096, "max_pool2d_c3", "stride ", s, " is outside [1, 4096]");
  // max_pool2d_c4: padding = (P,) or (PH, PW), each in [0, 4096].
  CVM_REQUIRE(padding.size() == 1 || padding.size() == 2, "max_pool2d_c4", "padding has ",
              padding.size(), " entries, expected 1 or 2");
  for (int64_t v : padding)
    CVM_REQUIRE(v >= 0 && v <= 4096, "max_pool2d_c4", "padding ", v, " is outside [0, 4096]");
  a.pool_h = pool_size[0];
  a.pool_w = pool_size[1];
  a.stride_h = strides[0];
  a.stride_w = strides[1];
  a.pad_h = padding[0];
  a.pad_w = padding.size() == 2 ? padding[1] : padding[0];
  return a;
}

// Output extent of one spatial axis; d + 2P - K >= 0 holds (max_pool2d_c6).
int64_t out_extent(int64_t d, int64_t k, int64_t s, int64_t pad, bool ceil_mode) {
  const int64_t span = d + 2 * pad - k;
  return (ceil_mode ? floor_div(span + s - 1, s) : floor_div(span, s)) + 1;
}

Types infer(const std::any& attrs, const Types& in) {
  const auto& a = std::any_cast<const MaxPool2dAttrs&>(attrs);
  const Shape& xs = in[0].shape;
  // max_pool2d_c5: x is (N, C, H, W).
  CVM_REQUIRE(xs.size() == 4, "max_pool2d_c5", "x has shape ", shape_str(xs), ", expected rank 4");
  const int64_t h = xs[2];
  const int64_t w = xs[3];
  // max_pool2d_c6: the window fits the padded input.
  CVM_REQUIRE(a.pool_h >= 0 && a.pool_h <= h + 2 * a.pad_h, "max_pool2d_c6",
              "pool_size[0] = ", a.pool_h, " is outside [0, H + 2*PH] = [0, ", h + 2 * a.pad_h,
              "]");
  CVM_REQUIRE(a.pool_w >= 0 && a.pool_w <= w + 2 * a.pad_w, "max_pool2d_c6",
              "pool_size[1] = ", a.pool_w, " is outside [0, W + 2*PW] = [0, ", w + 2 * a.pad_w,
              "]");
  // max_pool2d_c7: padding smaller than the window.
  CVM_REQUIRE(a.pad_h < a.pool_h && a.pad_w < a.pool_w, "max_pool2d_c7", "padding (", a.pad_h, ", ",
              a.pad_w, ") must be smaller than pool_size (", a.pool_h, ", ", a.pool_w, ")");
  const int64_t oh = out_extent(h, a.pool_h, a.stride_h, a.pad_h, a.ceil_mode);
  const int64_t ow = out_extent(w, a.pool_w, a.stride_w, a.pad_w, a.ceil_mode);
  // max_pool2d_c8: the last window starts inside x (can only fail with ceil_mode).
  CVM_REQUIRE((oh - 1) * a.stride_h - a.pad_h < h && (ow - 1) * a.stride_w - a.pad_w < w,
              "max_pool2d_c8", "the last window starts at (", (oh - 1) * a.stride_h - a.pad_h, ", ",
              (ow - 1) * a.stride_w - a.pad_w, "), outside x of height ", h, " and width ", w);
  return {TensorType{{xs[0], xs[1], oh, ow}, in[0].precision}};
}

int64_t gas(const std::any& attrs, const Types&, const Types&) {
  const auto& a = std::any_cast<const MaxPool2dAttrs&>(attrs);
  return a.pool_h * a.pool_w;
}

// The page's maximum over each window, in the order of y (row-major). The
// cells of W(h', w') are the taps inside x on both axes (window_taps.h), so
// the loops run over those instead of testing and skipping every cell.
void kernel(const std::any& attrs, const Inputs& in, const Outputs& out) {
  const auto& a = std::any_cast<const MaxPool2dAttrs&>(attrs);
  const Tensor& x = *in[0];
  Tensor& y = *out[0];
  const int64_t n_count = x.shape[0], c_count = x.shape[1], h = x.shape[2], w = x.shape[3];
  const int64_t oh_count = y.shape[2], ow_count = y.shape[3];
  const int64_t kh = a.pool_h, kw = a.pool_w, sh = a.stride_h, sw = a.stride_w;
  const int64_t ph = a.pad_h, pw = a.pad_w;
  const int64_t one = 1;  // no dilation: the window cells are adjacent
  // For each output column w', the window columns s whose input column lies
  // in [0, W): the same for every row.
  std::vector<Taps> cols(static_cast<size_t>(ow_count));
  for (int64_t q = 0; q < ow_count; ++q)
    cols[static_cast<size_t>(q)] =
        taps_inside(kw, w, [&](int64_t s) { return rules::window_coord(q, s, sw, one, pw); });
  for (int64_t n = 0; n < n_count; ++n)
    for (int64_t c = 0; c < c_count; ++c) {
      const int32_t* x_plane = x.data.data() + rules::offset4(n, c, int64_t{0}, int64_t{0},
                                                              c_count, h, w);
      for (int64_t p = 0; p < oh_count; ++p) {
        const Taps rows =
            taps_inside(kh, h, [&](int64_t r) { return rules::window_coord(p, r, sh, one, ph); });
        for (int64_t q = 0; q < ow_count; ++q) {
          // max_pool2d_b3, once per window on its extreme cells: the row
          // grows with r and the column with s, so cells (0, 0) and
          // (K_H - 1, K_W - 1) within -P <= hh < H + K - 1 (ceil_mode's last
          // window may pass the padded edge), likewise ww, put every cell
          // there; a cell outside x is not in W(h', w') and is never read.
          const int64_t hh_first = rules::window_coord(p, int64_t{0}, sh, one, ph);
          const int64_t hh_last = rules::window_coord(p, kh - 1, sh, one, ph);
          const int64_t ww_first = rules::window_coord(q, int64_t{0}, sw, one, pw);
          const int64_t ww_last = rules::window_coord(q, kw - 1, sw, one, pw);
          CVM_BOUND(rules::in_extent(hh_first + ph, h + ph + kh - 1) &&
                        rules::in_extent(hh_last + ph, h + ph + kh - 1) &&
                        rules::in_extent(ww_first + pw, w + pw + kw - 1) &&
                        rules::in_extent(ww_last + pw, w + pw + kw - 1),
                    "max_pool2d_b3", "window cells (", hh_first, ", ", ww_first, ") .. (",
                    hh_last, ", ", ww_last, ") of y(", n, ", ", c, ", ", p, ", ", q, ")");
          const Taps cols_in = cols[static_cast<size_t>(q)];
          bool found = false;
          int64_t acc = 0;
          for (int64_t r = rows.begin; r < rows.end; ++r) {
            const int64_t hh = rules::window_coord(p, r, sh, one, ph);
            for (int64_t s = cols_in.begin; s < cols_in.end; ++s) {
              const int64_t ww = rules::window_coord(q, s, sw, one, pw);
              const int64_t v = x_plane[hh * w + ww];
              if (!found || v > acc) acc = v;
              found = true;
            }
          }
          CVM_BOUND(found, "max_pool2d_b2", "window of y(", n, ", ", c, ", ", p, ", ", q,
                    ") covers no cell of x");
          CVM_BOUND(in_precision(acc, y.precision), "max_pool2d_b1", "y(", n, ", ", c, ", ", p,
                    ", ", q, ") = ", acc);
          y.data[static_cast<size_t>(rules::offset4(n, c, p, q, c_count, oh_count, ow_count))] =
              static_cast<int32_t>(acc);
        }
      }
    }
}

}  // namespace

OpDef op_def_max_pool2d() {
  return {.parse_attrs = parse, .num_inputs = fixed_inputs<1>, .infer = infer, .gas_weight = gas, .reference = kernel};
}

}  // namespace cvm
