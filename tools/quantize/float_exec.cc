#include "tools/quantize/float_exec.h"

#include <algorithm>
#include <limits>
#include <map>
#include <utility>

#include "cvm/errors.h"
#include "tools/quantize/float_kernels.h"
#include "tools/quantize/float_ops.h"

namespace cvm::quant {
namespace {

[[noreturn]] void fail(const FNode& n, const std::string& message) {
  throw_logic("quantize", n.describe() + ": " + message);
}

int64_t pooled(int64_t in, int64_t k, int64_t s, int64_t p, int64_t dilation, bool ceil_mode) {
  const int64_t span = in + 2 * p - dilation * (k - 1) - 1;
  if (span < 0) return 0;
  return (ceil_mode ? (span + s - 1) / s : span / s) + 1;
}

std::vector<int64_t> pair_attr(const FNode& n, const char* key, int64_t fallback) {
  std::vector<int64_t> v = n.ints_attr(key, {fallback, fallback});
  if (v.size() != 2) fail(n, std::string(key) + " needs 2 entries");
  return v;
}

FTensor conv(const FNode& n, const FTensor& x, const FTensor& w, const FTensor* b) {
  const Shape s = float_output_shape(n, {x.shape, w.shape});
  const auto st = pair_attr(n, "strides", 1), pd = pair_attr(n, "pads", 0), dl = pair_attr(n, "dilations", 1);
  ConvGeometry geo;
  geo.n = x.shape[0], geo.c = x.shape[1], geo.h = x.shape[2], geo.w = x.shape[3];
  geo.o = w.shape[0], geo.kh = w.shape[2], geo.kw = w.shape[3], geo.groups = n.int_attr("group", 1);
  geo.stride_h = st[0], geo.stride_w = st[1], geo.pad_h = pd[0], geo.pad_w = pd[1];
  geo.dilation_h = dl[0], geo.dilation_w = dl[1], geo.oh = s[2], geo.ow = s[3];
  if (b != nullptr && static_cast<int64_t>(b->data.size()) != geo.o) fail(n, "the bias needs one value per output channel");
  FTensor y{s, std::vector<float>(static_cast<size_t>(element_count(s)))};
  // Same values, bit for bit, as the straight double-accumulator loop
  // (float_kernels.h), on any thread count and ISA.
  conv2d_f32(geo, x.data.data(), w.data.data(), b != nullptr ? b->data.data() : nullptr, y.data.data(),
             DefaultFloatExec().exec());
  return y;
}

FTensor dense(const FNode& n, const FTensor& x, const FTensor& w, const FTensor* b) {
  const Shape s = float_output_shape(n, {x.shape, w.shape});
  const int64_t N = x.shape[0], K = x.shape[1], M = w.shape[0];
  if (b != nullptr && static_cast<int64_t>(b->data.size()) != M) fail(n, "the bias needs one value per output");
  FTensor y{s, std::vector<float>(static_cast<size_t>(N * M))};
  dense_f32(N, K, M, x.data.data(), w.data.data(), b != nullptr ? b->data.data() : nullptr, y.data.data(),
            DefaultFloatExec().exec());
  return y;
}

FTensor pool(const FNode& n, const FTensor& x, bool max) {
  const Shape s = float_output_shape(n, {x.shape});
  const int64_t N = x.shape[0], C = x.shape[1], H = x.shape[2], W = x.shape[3];
  const auto k = pair_attr(n, "kernel_shape", 1), st = pair_attr(n, "strides", 1), pd = pair_attr(n, "pads", 0);
  const int64_t OH = s[2], OW = s[3];
  FTensor y{s, std::vector<float>(static_cast<size_t>(element_count(s)))};
  for (int64_t nc = 0; nc < N * C; ++nc)
    for (int64_t oh = 0; oh < OH; ++oh)
      for (int64_t ow = 0; ow < OW; ++ow) {
        double acc = max ? -std::numeric_limits<double>::infinity() : 0.0;
        for (int64_t kh = 0; kh < k[0]; ++kh)
          for (int64_t kw = 0; kw < k[1]; ++kw) {
            const int64_t ih = oh * st[0] - pd[0] + kh, iw = ow * st[1] - pd[1] + kw;
            if (ih < 0 || ih >= H || iw < 0 || iw >= W) continue;  // padding never wins
            const double v = x.data[static_cast<size_t>((nc * H + ih) * W + iw)];
            acc = max ? std::max(acc, v) : acc + v;
          }
        y.data[static_cast<size_t>((nc * OH + oh) * OW + ow)] =
            static_cast<float>(max ? acc : acc / static_cast<double>(k[0] * k[1]));
      }
  return y;
}

FTensor global_average(const FNode& n, const FTensor& x) {
  const Shape s = float_output_shape(n, {x.shape});
  const int64_t HW = element_count(x.shape) / (x.shape[0] * x.shape[1]);  // every axis after C
  FTensor y{s, std::vector<float>(static_cast<size_t>(element_count(s)))};
  for (int64_t nc = 0; nc < x.shape[0] * x.shape[1]; ++nc) {
    double acc = 0;
    for (int64_t i = 0; i < HW; ++i) acc += x.data[static_cast<size_t>(nc * HW + i)];
    y.data[static_cast<size_t>(nc)] = static_cast<float>(acc / static_cast<double>(HW));
  }
  return y;
}

FTensor transpose(const FNode& n, const FTensor& x) {
  const Shape s = float_output_shape(n, {x.shape});
  std::vector<int64_t> perm = n.ints_attr("perm", {});
  const size_t r = x.shape.size();
  if (perm.empty())
    for (size_t i = 0; i < r; ++i) perm.push_back(static_cast<int64_t>(r - 1 - i));
  std::vector<int64_t> in_stride(r, 1);
  for (size_t i = r - 1; i > 0; --i) in_stride[i - 1] = in_stride[i] * x.shape[i];
  FTensor y{s, std::vector<float>(x.data.size())};
  std::vector<int64_t> idx(r, 0);
  for (size_t flat = 0; flat < y.data.size(); ++flat) {
    int64_t src = 0;
    for (size_t a = 0; a < r; ++a) src += idx[a] * in_stride[static_cast<size_t>(perm[a])];
    y.data[flat] = x.data[static_cast<size_t>(src)];
    for (size_t a = r; a-- > 0;) {
      if (++idx[a] < s[a]) break;
      idx[a] = 0;
    }
  }
  return y;
}

FTensor concat(const FNode& n, const std::vector<const FTensor*>& xs) {
  std::vector<Shape> shapes;
  for (const FTensor* x : xs) shapes.push_back(x->shape);
  const Shape s = float_output_shape(n, shapes);
  int64_t signed_axis = n.int_attr("axis", 0);
  if (signed_axis < 0) signed_axis += static_cast<int64_t>(s.size());
  const auto axis = static_cast<size_t>(signed_axis);
  int64_t outer = 1, inner = 1;
  for (size_t i = 0; i < axis; ++i) outer *= s[i];
  for (size_t i = axis + 1; i < s.size(); ++i) inner *= s[i];
  FTensor y{s, {}};
  y.data.reserve(static_cast<size_t>(element_count(s)));
  for (int64_t o = 0; o < outer; ++o)
    for (const FTensor* x : xs) {
      const int64_t chunk = x->shape[axis] * inner;
      y.data.insert(y.data.end(), x->data.begin() + o * chunk, x->data.begin() + (o + 1) * chunk);
    }
  return y;
}

}  // namespace

Shape float_output_shape(const FNode& n, const std::vector<Shape>& in) {
  const Shape& x = in.at(0);
  if (n.op == "Conv") {
    const Shape& w = in.at(1);
    if (x.size() != 4) fail(n, "input must have rank 4");
    const int64_t g = n.int_attr("group", 1);
    if (g < 1 || x[1] != w[1] * g || w[0] % g != 0) fail(n, "channels do not match the weight and group");
    const auto st = pair_attr(n, "strides", 1), pd = pair_attr(n, "pads", 0), dl = pair_attr(n, "dilations", 1);
    const int64_t oh = pooled(x[2], w[2], st[0], pd[0], dl[0], false);
    const int64_t ow = pooled(x[3], w[3], st[1], pd[1], dl[1], false);
    if (oh < 1 || ow < 1) fail(n, "the kernel does not fit the padded input");
    return {x[0], w[0], oh, ow};
  }
  if (n.op == "Dense") {
    if (x.size() != 2 || x[1] != in.at(1)[1]) fail(n, "input must be (N, K) matching the weight (M, K)");
    return {x[0], in.at(1)[0]};
  }
  if (n.op == "MaxPool" || n.op == "AveragePool") {
    if (x.size() != 4) fail(n, "input must have rank 4");
    const auto k = pair_attr(n, "kernel_shape", 1), st = pair_attr(n, "strides", 1), pd = pair_attr(n, "pads", 0);
    const bool ceil_mode = n.int_attr("ceil_mode", 0) != 0;
    const int64_t oh = pooled(x[2], k[0], st[0], pd[0], 1, ceil_mode);
    const int64_t ow = pooled(x[3], k[1], st[1], pd[1], 1, ceil_mode);
    if (oh < 1 || ow < 1) fail(n, "the window does not fit the padded input");
    // ONNX divides a partial last window (ceil_mode) by the cells it covers,
    // not by k_h * k_w: only a ceil_mode that adds no window is supported.
    if (n.op == "AveragePool" && ceil_mode &&
        (oh != pooled(x[2], k[0], st[0], pd[0], 1, false) || ow != pooled(x[3], k[1], st[1], pd[1], 1, false)))
      fail(n, "ceil_mode adds a partial last window, whose divisor differs from the others (not supported)");
    return {x[0], x[1], oh, ow};
  }
  if (n.op == "GlobalAveragePool") {  // also 1-D (rank 3); keepdims 0 (from ReduceMean) gives (N, C)
    if (x.size() < 3) fail(n, "input must have rank 3 or more");
    if (n.int_attr("keepdims", 1) == 0) return {x[0], x[1]};
    Shape s = x;
    std::fill(s.begin() + 2, s.end(), 1);
    return s;
  }
  if (n.op == "Relu" || n.op == "Clip") return x;
  if (n.op == "Add" || n.op == "Sub") {
    if (in.at(1) != x) fail(n, "both inputs must have the same shape (no broadcasting)");
    return x;
  }
  if (n.op == "Flatten") {
    int64_t axis = n.int_attr("axis", 1);
    if (axis < 0) axis += static_cast<int64_t>(x.size());
    if (axis < 0 || axis > static_cast<int64_t>(x.size())) fail(n, "axis out of range");
    int64_t a = 1, b = 1;
    for (size_t i = 0; i < x.size(); ++i) (static_cast<int64_t>(i) < axis ? a : b) *= x[i];
    return {a, b};
  }
  if (n.op == "Reshape") {
    Shape s;
    int infer = -1;
    int64_t known = 1;
    const std::vector<int64_t> codes = n.ints_attr("shape", {});
    for (size_t i = 0; i < codes.size(); ++i) {
      int64_t d = codes[i];
      if (d == 0) {
        if (i >= x.size()) fail(n, "shape code 0 beyond the input rank");
        d = x[i];
      }
      if (d == -1) {
        if (infer >= 0) fail(n, "two -1 codes");
        infer = static_cast<int>(i);
        s.push_back(1);
        continue;
      }
      if (d < 1) fail(n, "invalid shape code " + std::to_string(d));
      s.push_back(d);
      known *= d;
    }
    const int64_t total = element_count(x);
    if (infer >= 0) {
      if (known == 0 || total % known != 0) fail(n, "-1 cannot be inferred");
      s[static_cast<size_t>(infer)] = total / known;
    }
    if (element_count(s) != total) fail(n, "the new shape has a different element count");
    return s;
  }
  if (n.op == "Concat") {
    int64_t axis = n.int_attr("axis", 0);
    const auto r = static_cast<int64_t>(x.size());
    if (axis < 0) axis += r;
    if (axis < 0 || axis >= r) fail(n, "axis out of range");
    Shape s = x;
    for (size_t i = 1; i < in.size(); ++i) {
      if (in[i].size() != x.size()) fail(n, "inputs differ in rank");
      for (size_t d = 0; d < x.size(); ++d)
        if (static_cast<int64_t>(d) != axis && in[i][d] != x[d]) fail(n, "inputs differ off the axis");
      s[static_cast<size_t>(axis)] += in[i][static_cast<size_t>(axis)];
    }
    return s;
  }
  if (n.op == "Transpose") {
    std::vector<int64_t> perm = n.ints_attr("perm", {});
    if (perm.empty())
      for (size_t i = 0; i < x.size(); ++i) perm.push_back(static_cast<int64_t>(x.size() - 1 - i));
    if (perm.size() != x.size()) fail(n, "perm length differs from the rank");
    std::vector<bool> seen(x.size(), false);
    Shape s;
    for (int64_t p : perm) {
      if (p < 0 || p >= static_cast<int64_t>(x.size()) || seen[static_cast<size_t>(p)]) fail(n, "perm is not a permutation");
      seen[static_cast<size_t>(p)] = true;
      s.push_back(x[static_cast<size_t>(p)]);
    }
    return s;
  }
  if (is_float_extra_op(n.op)) return float_extra_output_shape(n, in);
  fail(n, "is not a canonical op (internal: simplify() must run first)");
}

FTensor run_float(const FloatGraph& g, const FTensor& input, const FloatObserver& observe) {
  return std::move(run_float_outputs(g, input, observe).at(0));
}

std::vector<FTensor> run_float_outputs(const FloatGraph& g, const FTensor& input, const FloatObserver& observe) {
  if (input.shape != g.input_shape) throw_logic("quantize", "the input has the wrong shape for the model");
  std::map<std::string, FTensor> values;
  values[g.input] = input;
  if (observe) observe(g.input, input);
  auto get = [&](const FNode& n, const std::string& name) -> const FTensor& {
    const auto v = values.find(name);
    if (v != values.end()) return v->second;
    const auto c = g.constants.find(name);
    if (c != g.constants.end()) return c->second;
    fail(n, "reads '" + name + "', which is not computed");
  };
  // Each computed tensor is freed after its last reader: a run holds only
  // the live activations, which keeps memory and page faults per image down
  // (calibration runs the graph once per sample batch).
  std::map<std::string, size_t> last_use;
  for (size_t i = 0; i < g.nodes.size(); ++i)
    for (const std::string& in : g.nodes[i].inputs) last_use[in] = i;
  for (size_t i = 0; i < g.nodes.size(); ++i) {
    const FNode& n = g.nodes[i];
    const FTensor& x = get(n, n.inputs.at(0));
    FTensor y;
    if (n.op == "Conv" || n.op == "Dense") {
      const FTensor* b = n.inputs.size() > 2 && !n.inputs[2].empty() ? &get(n, n.inputs[2]) : nullptr;
      y = n.op == "Conv" ? conv(n, x, get(n, n.inputs.at(1)), b) : dense(n, x, get(n, n.inputs.at(1)), b);
    } else if (n.op == "Relu" || n.op == "Clip") {
      const float lo = n.op == "Relu" ? 0.0f : n.float_attr("min", 0), hi = n.op == "Relu" ? std::numeric_limits<float>::max() : n.float_attr("max", 0);
      y = x;
      for (float& v : y.data) v = std::min(std::max(v, lo), hi);
    } else if (n.op == "MaxPool" || n.op == "AveragePool") {
      y = pool(n, x, n.op == "MaxPool");
    } else if (n.op == "GlobalAveragePool") {
      y = global_average(n, x);
    } else if (n.op == "Add" || n.op == "Sub") {
      const FTensor& b = get(n, n.inputs.at(1));
      float_output_shape(n, {x.shape, b.shape});
      y = x;
      const float sign = n.op == "Add" ? 1.0f : -1.0f;
      for (size_t k = 0; k < y.data.size(); ++k) y.data[k] += sign * b.data[k];
    } else if (n.op == "Flatten" || n.op == "Reshape") {
      y = FTensor{float_output_shape(n, {x.shape}), x.data};
    } else if (n.op == "Transpose") {
      y = transpose(n, x);
    } else if (n.op == "Concat") {
      std::vector<const FTensor*> xs;
      for (const std::string& in : n.inputs) xs.push_back(&get(n, in));
      y = concat(n, xs);
    } else if (is_float_extra_op(n.op)) {
      std::vector<const FTensor*> xs;
      for (const std::string& in : n.inputs) xs.push_back(&get(n, in));
      y = run_float_extra(n, xs);
    } else {
      fail(n, "is not a canonical op (internal: simplify() must run first)");
    }
    if (observe) observe(n.output, y);
    values[n.output] = std::move(y);
    for (const std::string& in : n.inputs)
      if (last_use.at(in) == i && !g.is_output(in)) values.erase(in);
  }
  std::vector<FTensor> outputs;
  for (const std::string& out : g.outputs) outputs.push_back(get(g.nodes.empty() ? FNode{} : g.nodes.back(), out));
  return outputs;
}

}  // namespace cvm::quant
