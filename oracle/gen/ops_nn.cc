// Builders: dense, conv2d, max_pool2d, upsampling.
#include <algorithm>
#include <array>
#include <string>

#include "cvm/intmath.h"
#include "gen/op_cases_internal.h"

namespace cvm::gen::detail {
namespace {

int64_t min1(int64_t v) { return std::max<int64_t>(1, v); }

/// A divisor of n (n >= 1): 1, n, or another one.
int64_t divisor_of(Chooser& c, int64_t n) {
  std::vector<int64_t> ds;
  for (int64_t k = 1; k <= n && ds.size() < 64; ++k)
    if (n % k == 0) ds.push_back(k);
  return c.pick(ds);
}

void use_bias_attr(Chooser& c, AttrMap& a, bool& use_bias) {
  switch (c.range(0, 2)) {
    case 0: use_bias = true; break;
    case 1: use_bias = true; a["use_bias"] = "true"; break;
    default: use_bias = false; a["use_bias"] = "false"; break;
  }
}

std::optional<Draft> dense(Ctx& g) {
  Chooser& c = g.c;
  Draft d;
  TensorType x;
  if (auto t = g.input0([](const TensorType& t0) { return t0.shape.size() == 2 && t0.precision <= 8; })) {
    x = *t;
  } else {
    x.shape = random_shape(c, 2, std::min<int64_t>(g.max_elements, g.max_work));
    x.precision = g.prec(1, 8);
  }
  const int64_t m = x.shape[0], k = x.shape[1];
  const int64_t u_max = std::min({g.max_work / min1(m * k), g.max_elements / k, g.max_elements / m});
  if (u_max < 1) return std::nullopt;
  const int64_t u = random_dim(c, std::min<int64_t>(u_max, 65));
  bool use_bias = true;
  d.attrs["units"] = itos(u);
  use_bias_attr(c, d.attrs, use_bias);
  TensorType w{{u, k}, g.prec(1, std::max(1, std::min(8, 32 - x.precision - bits(static_cast<uint64_t>(k)) - (use_bias ? 1 : 0))))};
  d.inputs = {x, w};
  if (use_bias) d.inputs.push_back(TensorType{{u}, g.prec(1, 31)});
  return d;
}

constexpr std::array<const char*, 12> kConvDtypes{"same",   "int8",   "int16",   "int32",   "int64",   "uint8",
                                                  "uint16", "uint32", "uint64", "float16", "float32", "float64"};

/// One spatial axis of a window op: padding, dilation, kernel and stride such
/// that the dilated kernel fits the padded extent; returns the output extent.
struct Axis {
  int64_t pad = 0, dil = 1, k = 1, stride = 1, out = 1;
};

Axis conv_axis(Chooser& c, int64_t h, int64_t out_budget) {
  Axis a;
  a.pad = c.range(0, 3) == 0 ? c.range(0, 2) : 0;
  if (c.one_in(10)) a.pad = c.range(0, 4096);
  a.dil = c.range(0, 3) == 0 ? c.range(1, 3) : 1;
  if (c.one_in(10)) a.dil = c.range(1, 4096);
  const int64_t ext = h + 2 * a.pad;
  const int64_t k_max = (ext - 1) / a.dil + 1;
  a.k = c.range(1, std::min<int64_t>(k_max, c.coin() ? 3 : 7));
  a.stride = c.range(0, 2) == 0 ? c.range(1, 3) : 1;
  if (c.one_in(10)) a.stride = c.range(1, 4096);
  const int64_t span = ext - (a.dil * (a.k - 1) + 1);
  // Keep the output extent within budget by raising the stride.
  const int64_t budget = min1(out_budget);
  if (span / a.stride + 1 > budget) a.stride = std::min<int64_t>(4096, span / std::max<int64_t>(1, budget - 1) + 1);
  a.out = span / a.stride + 1;
  return a;
}

std::optional<Draft> conv2d(Ctx& g) {
  Chooser& c = g.c;
  Draft d;
  TensorType x;
  int64_t groups = 1;
  if (auto t = g.input0([](const TensorType& t0) { return t0.shape.size() == 4 && t0.precision <= 8; })) {
    x = *t;
    if (c.coin()) groups = divisor_of(c, x.shape[1]);
  } else {
    const int64_t budget = std::min(g.max_elements, g.max_work);
    const int64_t n = c.range(0, 3) == 0 ? c.range(1, 3) : 1;
    switch (c.range(0, 3)) {
      case 0: groups = c.range(2, 4); break;
      default: groups = 1; break;
    }
    const int64_t cpg = random_dim(c, std::min<int64_t>(budget / (n * groups) / 1, 17));
    const int64_t ch = groups * cpg;
    const int64_t hw_budget = min1(budget / min1(n * ch));
    Shape hw = random_shape(c, 2, hw_budget);
    x.shape = {n, ch, hw[0], hw[1]};
    x.precision = g.prec(1, 8);
    if (c.one_in(4)) groups = ch;  // depthwise
  }
  const int64_t n = x.shape[0], ch = x.shape[1];
  const int64_t cpg = ch / groups;
  const int64_t out_budget = min1(g.max_elements / min1(n * groups));
  Axis ah = conv_axis(c, x.shape[2], std::min<int64_t>(out_budget, 65));
  Axis aw = conv_axis(c, x.shape[3], std::min<int64_t>(min1(out_budget / ah.out), 65));
  const int64_t per_out = sat_mul(sat_mul(n * ah.out, aw.out), sat_mul(cpg, ah.k * aw.k));
  const int64_t opg_max = std::min(g.max_work / min1(per_out * groups), g.max_elements / min1(n * groups * ah.out * aw.out));
  const int64_t w_budget = g.max_elements / min1(groups * cpg * ah.k * aw.k);
  const int64_t opg_lim = std::min(opg_max, w_budget);
  if (opg_lim < 1) return std::nullopt;
  const int64_t opg = random_dim(c, std::min<int64_t>(opg_lim, 17));
  const int64_t o = opg * groups;
  AttrMap& a = d.attrs;
  a["channels"] = itos(o);
  a["kernel_size"] = tup({ah.k, aw.k});
  if (ah.stride != 1 || aw.stride != 1 || c.coin()) a["strides"] = tup({ah.stride, aw.stride});
  if (ah.pad != 0 || aw.pad != 0 || c.coin()) a["padding"] = tup({ah.pad, aw.pad});
  if (ah.dil != 1 || aw.dil != 1 || c.coin()) a["dilation"] = tup({ah.dil, aw.dil});
  if (groups != 1 || c.coin()) a["groups"] = itos(groups);
  maybe_default(c, a, "layout", "NCHW");
  maybe_default(c, a, "kernel_layout", "OIHW");
  switch (c.range(0, 2)) {
    case 0: break;
    case 1: a["out_layout"] = "__undef__"; break;
    default: a["out_layout"] = "NCHW"; break;
  }
  if (c.coin()) a["out_dtype"] = kConvDtypes[static_cast<size_t>(c.range(0, kConvDtypes.size() - 1))];
  bool use_bias = true;
  use_bias_attr(c, a, use_bias);
  const int kb = bits(static_cast<uint64_t>(cpg * ah.k * aw.k));
  TensorType w{{o, cpg, ah.k, aw.k}, g.prec(1, std::max(1, std::min(8, 32 - x.precision - kb - (use_bias ? 1 : 0))))};
  d.inputs = {x, w};
  if (use_bias) d.inputs.push_back(TensorType{{o}, g.prec(1, 31)});
  return d;
}

// request.input0 when it is rank 4 (NCHW), else a tensor of the shape
// `draw_shape()` gives at a random precision. The shape is drawn only then,
// so the chooser's sequence depends on the request as before.
template <class DrawShape>
TensorType nchw_input(Ctx& g, DrawShape draw_shape) {
  if (auto t = g.input0([](const TensorType& t0) { return t0.shape.size() == 4; })) return *t;
  TensorType x;
  x.shape = draw_shape();
  x.precision = g.prec(1, 32);
  return x;
}

std::optional<Draft> max_pool2d(Ctx& g) {
  Chooser& c = g.c;
  Draft d;
  const TensorType x = nchw_input(g, [&] { return random_shape(c, 4, std::min(g.max_elements, g.max_work)); });
  const int64_t nc = x.shape[0] * x.shape[1];
  int64_t ks[2], ss[2], ps[2], outs[2], spans[2];
  const bool ceil_mode = c.coin();
  const bool one_pad = c.one_in(4);
  auto out_of = [&](int i) { return (ceil_mode ? spans[i] + ss[i] - 1 : spans[i]) / ss[i] + 1; };
  for (int i = 0; i < 2; ++i) {
    const int64_t h = x.shape[static_cast<size_t>(2 + i)];
    ps[i] = (one_pad && i == 1) ? ps[0] : (c.range(0, 2) == 0 ? c.range(0, 3) : 0);
    if (!(one_pad && i == 1) && c.one_in(16)) ps[i] = c.range(0, 40);
    // P < K <= H + 2P
    const int64_t k_hi = std::min<int64_t>(h + 2 * ps[i], ps[i] + 1 + (c.coin() ? 2 : 8));
    ks[i] = c.range(ps[i] + 1, std::max(ps[i] + 1, k_hi));
    ss[i] = c.range(0, 2) == 0 ? c.range(1, 3) : 1;
    if (c.one_in(10)) ss[i] = c.range(1, 4096);
    spans[i] = h + 2 * ps[i] - ks[i];
    outs[i] = out_of(i);
  }
  // Window work and output size: raise the strides until they fit.
  for (int step = 0; step < 40; ++step) {
    const int64_t work = sat_mul(sat_mul(nc, outs[0] * outs[1]), ks[0] * ks[1]);
    if (work <= g.max_work && sat_mul(nc, outs[0] * outs[1]) <= g.max_elements) break;
    const int i = outs[0] >= outs[1] ? 0 : 1;
    if (ss[i] >= 4096 || outs[i] == 1) break;
    ss[i] = std::min<int64_t>(4096, ss[i] * 2);
    outs[i] = out_of(i);
  }
  if (sat_mul(sat_mul(nc, outs[0] * outs[1]), ks[0] * ks[1]) > g.max_work) return std::nullopt;
  AttrMap& a = d.attrs;
  a["pool_size"] = tup({ks[0], ks[1]});
  if (ss[0] != 1 || ss[1] != 1 || c.coin()) a["strides"] = tup({ss[0], ss[1]});
  if (one_pad) a["padding"] = c.coin() ? itos(ps[0]) : tup({ps[0]});
  else if (ps[0] != 0 || ps[1] != 0 || c.coin()) a["padding"] = tup({ps[0], ps[1]});
  maybe_default(c, a, "layout", "NCHW");
  if (ceil_mode) a["ceil_mode"] = "true";
  else if (c.coin()) a["ceil_mode"] = "false";
  d.inputs = {x};
  return d;
}

std::optional<Draft> upsampling(Ctx& g) {
  Chooser& c = g.c;
  Draft d;
  const TensorType x = nchw_input(g, [&] {
    const int64_t lim = c.coin() ? 16 : g.max_elements;
    return random_shape(c, 4, std::min(lim, g.max_elements));
  });
  const int64_t room = g.max_elements / min1(size_of(x.shape));
  int64_t s_max = 1;
  while ((s_max + 1) * (s_max + 1) <= room && s_max < 4096) ++s_max;
  const int64_t s = c.coin() ? c.range(1, std::min<int64_t>(s_max, 3)) : c.range(1, s_max);
  d.attrs["scale"] = itos(s);
  maybe_default(c, d.attrs, "layout", "NCHW");
  maybe_default(c, d.attrs, "method", "NEAREST_NEIGHBOR");
  d.inputs = {x};
  return d;
}

}  // namespace

Builder nn_builder(std::string_view op) {
  if (op == "dense") return dense;
  if (op == "conv2d") return conv2d;
  if (op == "max_pool2d") return max_pool2d;
  if (op == "upsampling") return upsampling;
  return nullptr;
}

}  // namespace cvm::gen::detail
