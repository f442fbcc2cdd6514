// max_pool2d - reference transcription of spec/ops/max_pool2d.rst.
#include "cvm/ops/max_pool2d.h"

#include "cvm/op.h"
#include "cvm/rules/window_index.h"

namespace cvm {
namespace {

// Upstream's parameter struct for the op: keys, value types, required keys
// and parser bounds (checked before parse, attr_c0 ... attr_c4).
constexpr AttrSpec kAttrs[] = {
    {.key = "pool_size", .type = AttrType::kShape, .required = true},
    {.key = "strides", .type = AttrType::kShape, .required = false},
    {.key = "padding", .type = AttrType::kShape, .required = false},
    {.key = "layout", .type = AttrType::kString, .required = false},
    {.key = "ceil_mode", .type = AttrType::kBool, .required = false},
};

std::any parse(AttrReader& r) {
  MaxPool2dAttrs a;
  const std::vector<int64_t> pool_size = r.tuple("pool_size");
  const std::vector<int64_t> strides = r.tuple("strides", {1, 1});
  const std::vector<int64_t> padding = r.tuple("padding", {0, 0});
  const std::string layout = r.string("layout", "NCHW");
  a.ceil_mode = r.boolean("ceil_mode", false);
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

void kernel(const std::any& attrs, const Inputs& in, const Outputs& out) {
  const auto& a = std::any_cast<const MaxPool2dAttrs&>(attrs);
  const Tensor& x = *in[0];
  Tensor& y = *out[0];
  const int64_t h = x.shape[2];
  const int64_t w = x.shape[3];
  for (int64_t o = 0; o < y.size(); ++o) {
    const Index yi = unravel(o, y.shape);  // (n, c, p, q)
    bool found = false;
    int64_t acc = 0;
    for (int64_t r = 0; r < a.pool_h; ++r) {
      for (int64_t s = 0; s < a.pool_w; ++s) {
        // The window cell (cvm/rules/window_index.h, dilation 1). max_pool2d_b3:
        // -P <= hh < H + K - 1 (ceil_mode's last window may pass the padded
        // edge), likewise ww; a cell outside x is skipped, so every read
        // indexes x.
        const int64_t hh = rules::window_coord(yi[2], r, a.stride_h, int64_t{1}, a.pad_h);
        const int64_t ww = rules::window_coord(yi[3], s, a.stride_w, int64_t{1}, a.pad_w);
        CVM_BOUND(rules::in_extent(hh + a.pad_h, h + a.pad_h + a.pool_h - 1) &&
                      rules::in_extent(ww + a.pad_w, w + a.pad_w + a.pool_w - 1),
                  "max_pool2d_b3", "window cell (", hh, ", ", ww, ") of y", shape_str(yi));
        if (!rules::in_extent(hh, h) || !rules::in_extent(ww, w)) continue;  // padding: ignored
        const int64_t v = x.at({yi[0], yi[1], hh, ww});
        if (!found || v > acc) acc = v;
        found = true;
      }
    }
    CVM_BOUND(found, "max_pool2d_b2", "window of y", shape_str(yi), " covers no cell of x");
    CVM_BOUND(in_precision(acc, y.precision), "max_pool2d_b1", "y[", o, "] = ", acc);
    y.data[static_cast<size_t>(o)] = static_cast<int32_t>(acc);
  }
}

}  // namespace

const OpDef& op_def_max_pool2d() {
  static const OpDef def{.name = "max_pool2d",
                         .parse_attrs = parse,
                         .num_inputs = fixed_inputs<1>,
                         .num_outputs = 1,
                         .infer = infer,
                         .gas_weight = gas,
                         .reference = kernel,
                         .in_place = false,
                         .attr_schema = {.has_parser = true, .fields = kAttrs}};
  return def;
}

}  // namespace cvm
