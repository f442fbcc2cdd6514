// ONNX semantics, in float (the calibration only needs what ONNX computes):
//
//   ChannelAffine(x, a, b)   y[n, c, ...] = x[n, c, ...] * a[c] + b[c]
//                            (an unfolded BatchNormalization; simplify.cc
//                            computes a = scale / sqrt(var + eps) and
//                            b = B - mean * a in double)
//   Affine(x, a, b)          y = x * a + b, a and b of x's rank broadcasting to it (a Mul,
//                            Add, Sub or Div by a constant that varies along other
//                            axes than the channels: box decoding's anchors and grid)
//   Mul(a, b)                y = a * b with numpy broadcasting of equal-rank shapes
//   HardSigmoid(x)           y = max(0, min(1, alpha * x + beta))
//   Slice(x)                 y[k] = x[starts + steps * k], k < (ends - starts) / steps rounded up
//                            (ints starts, ends, steps: one per axis, already
//                            clamped into the shape by fold_shapes.cc; ints
//                            squeeze: axes of extent 1 then dropped)
//   LeakyRelu(x)             y = x for x >= 0, alpha * x below
//   Upsample(x)              y[n, c, h, w] = x[n, c, h div s, w div s], int attr scale s
//                            (ONNX Resize / Upsample nearest with an integer
//                            scale whose rounding selects exactly that source:
//                            simplify.cc checks the modes)
//   Sigmoid(x), Exp(x)       1 / (1 + e^-x), e^x (in double)
//   Softmax(x)               over the last axis: e^(x - max) / sum e^(x - max) (in double)
#include "tools/quantize/float_ops.h"

#include <algorithm>
#include <cmath>

#include "cvm/errors.h"

namespace cvm::quant {
namespace {

[[noreturn]] void fail(const FNode& n, const std::string& message) {
  throw_logic("quantize", n.describe() + ": " + message);
}

Shape broadcast_shape(const FNode& n, const Shape& a, const Shape& b) {
  if (a.size() != b.size()) fail(n, "both inputs must have the same rank");
  Shape s(a.size());
  for (size_t i = 0; i < a.size(); ++i) {
    if (a[i] != b[i] && a[i] != 1 && b[i] != 1) fail(n, "the input shapes do not broadcast");
    s[i] = std::max(a[i], b[i]);
  }
  return s;
}

// The flat index into a tensor of shape `from` of the element that
// broadcasts to multi-index `idx` of the output.
int64_t broadcast_index(const Shape& from, const std::vector<int64_t>& idx) {
  int64_t flat = 0;
  for (size_t i = 0; i < from.size(); ++i) flat = flat * from[i] + (from[i] == 1 ? 0 : idx[i]);
  return flat;
}

FTensor mul(const FNode& n, const FTensor& a, const FTensor& b) {
  const Shape s = broadcast_shape(n, a.shape, b.shape);
  FTensor y{s, std::vector<float>(static_cast<size_t>(element_count(s)))};
  std::vector<int64_t> idx(s.size(), 0);
  for (float& v : y.data) {
    v = a.data[static_cast<size_t>(broadcast_index(a.shape, idx))] *
        b.data[static_cast<size_t>(broadcast_index(b.shape, idx))];
    for (size_t d = s.size(); d-- > 0;) {
      if (++idx[d] < s[d]) break;
      idx[d] = 0;
    }
  }
  return y;
}

FTensor affine(const FNode& n, const FTensor& x, const FTensor& a, const FTensor& b) {
  float_extra_output_shape(n, {x.shape, a.shape, b.shape});
  FTensor y = x;
  std::vector<int64_t> idx(x.shape.size(), 0);
  for (float& v : y.data) {
    v = static_cast<float>(static_cast<double>(v) * a.data[static_cast<size_t>(broadcast_index(a.shape, idx))] +
                           b.data[static_cast<size_t>(broadcast_index(b.shape, idx))]);
    for (size_t d = idx.size(); d-- > 0;) {
      if (++idx[d] < x.shape[d]) break;
      idx[d] = 0;
    }
  }
  return y;
}

FTensor channel_affine(const FNode& n, const FTensor& x, const FTensor& a, const FTensor& b) {
  float_extra_output_shape(n, {x.shape, a.shape, b.shape});
  const int64_t c = x.shape[1];
  const int64_t inner = element_count(x.shape) / (x.shape[0] * c);
  FTensor y = x;
  for (size_t i = 0; i < y.data.size(); ++i) {
    const auto ch = static_cast<size_t>(static_cast<int64_t>(i) / inner % c);
    y.data[i] = static_cast<float>(static_cast<double>(x.data[i]) * a.data[ch] + b.data[ch]);
  }
  return y;
}

FTensor hard_sigmoid(const FNode& n, const FTensor& x) {
  const float alpha = n.float_attr("alpha", 0.2f), beta = n.float_attr("beta", 0.5f);
  FTensor y = x;
  for (float& v : y.data) v = std::max(0.0f, std::min(1.0f, alpha * v + beta));
  return y;
}

FTensor upsample(const FNode& n, const FTensor& x) {
  const Shape s = float_extra_output_shape(n, {x.shape});
  const int64_t k = n.int_attr("scale", 1), h = x.shape[2], w = x.shape[3];
  FTensor y{s, std::vector<float>(static_cast<size_t>(element_count(s)))};
  for (int64_t nc = 0; nc < s[0] * s[1]; ++nc)
    for (int64_t oh = 0; oh < s[2]; ++oh)
      for (int64_t ow = 0; ow < s[3]; ++ow)
        y.data[static_cast<size_t>((nc * s[2] + oh) * s[3] + ow)] =
            x.data[static_cast<size_t>((nc * h + oh / k) * w + ow / k)];
  return y;
}

FTensor softmax(const FTensor& x) {
  FTensor y = x;
  const auto last = static_cast<size_t>(x.shape.empty() ? 1 : x.shape.back());
  for (size_t row = 0; row + last <= y.data.size(); row += last) {
    double top = y.data[row], sum = 0;
    for (size_t k = 0; k < last; ++k) top = std::max(top, static_cast<double>(y.data[row + k]));
    std::vector<double> e(last);
    for (size_t k = 0; k < last; ++k) sum += e[k] = std::exp(y.data[row + k] - top);
    for (size_t k = 0; k < last; ++k) y.data[row + k] = static_cast<float>(e[k] / sum);
  }
  return y;
}

// The element-wise functions of one input.
FTensor unary(const FNode& n, const FTensor& x) {
  FTensor y = x;
  const double alpha = n.float_attr("alpha", 0.01f);
  for (float& v : y.data) {
    const double d = v;
    if (n.op == "LeakyRelu") v = static_cast<float>(d >= 0 ? d : alpha * d);
    else if (n.op == "Sigmoid") v = static_cast<float>(1.0 / (1.0 + std::exp(-d)));
    else v = static_cast<float>(std::exp(d));
  }
  return y;
}

}  // namespace

bool is_float_extra_op(const std::string& op) {
  return op == "ChannelAffine" || op == "Affine" || op == "Mul" || op == "HardSigmoid" || op == "Slice" || op == "LeakyRelu" ||
         op == "Upsample" || op == "Sigmoid" || op == "Exp" || op == "Softmax";
}

FTensor slice_tensor(const FTensor& x, const std::vector<int64_t>& begin, const std::vector<int64_t>& step,
                     const Shape& out) {
  const size_t r = out.size();
  std::vector<int64_t> stride(r, 1);
  for (size_t d = r; d-- > 1;) stride[d - 1] = stride[d] * x.shape[d];
  FTensor y{out, std::vector<float>(static_cast<size_t>(element_count(out)))};
  std::vector<int64_t> idx(r, 0);
  for (float& v : y.data) {
    int64_t src = 0;
    for (size_t d = 0; d < r; ++d) src += (begin[d] + step[d] * idx[d]) * stride[d];
    v = x.data[static_cast<size_t>(src)];
    for (size_t d = r; d-- > 0;) {
      if (++idx[d] < out[d]) break;
      idx[d] = 0;
    }
  }
  return y;
}

Shape float_extra_output_shape(const FNode& n, const std::vector<Shape>& in) {
  const Shape& x = in.at(0);
  if (n.op == "HardSigmoid" || n.op == "LeakyRelu" || n.op == "Sigmoid" || n.op == "Exp") return x;
  if (n.op == "Softmax") {
    if (x.empty()) fail(n, "input must have rank >= 1");
    return x;
  }
  if (n.op == "Upsample") {
    const int64_t s = n.int_attr("scale", 0);
    if (x.size() != 4) fail(n, "input must have rank 4 (N, C, H, W)");
    if (s < 1 || s > 4096) fail(n, "the scale must be an integer in [1, 4096] (CVM upsampling_c1)");
    return {x[0], x[1], x[2] * s, x[3] * s};
  }
  if (n.op == "Mul") return broadcast_shape(n, x, in.at(1));
  if (n.op == "Slice") {
    const std::vector<int64_t> b = n.ints_attr("starts", {}), e = n.ints_attr("ends", {}), s = n.ints_attr("steps", {});
    if (b.size() != x.size() || e.size() != x.size() || s.size() != x.size())
      fail(n, "starts, ends and steps need one entry per axis");
    Shape y(x.size());
    for (size_t d = 0; d < x.size(); ++d) {
      if (s[d] < 1 || b[d] < 0 || e[d] > x[d] || b[d] >= e[d]) fail(n, "the range along axis " + std::to_string(d) + " is empty or outside the input");
      y[d] = (e[d] - b[d] + s[d] - 1) / s[d];
    }
    // "squeeze": axes of extent 1 dropped from the result (a Gather by one index).
    const std::vector<int64_t> drop = n.ints_attr("squeeze", {});
    Shape kept;
    for (size_t d = 0; d < y.size(); ++d) {
      const bool dropped = std::find(drop.begin(), drop.end(), static_cast<int64_t>(d)) != drop.end();
      if (dropped && y[d] != 1) fail(n, "squeezes an axis that is not 1");
      if (!dropped) kept.push_back(y[d]);
    }
    return kept;
  }
  if (n.op == "Affine") {
    if (broadcast_shape(n, x, in.at(1)) != x || broadcast_shape(n, x, in.at(2)) != x)
      fail(n, "the constants must broadcast to the input's shape");
    return x;
  }
  if (n.op == "ChannelAffine") {
    if (x.size() < 2) fail(n, "input must have a channel axis (rank >= 2)");
    if (element_count(in.at(1)) != x[1] || element_count(in.at(2)) != x[1])
      fail(n, "needs one scale and one shift per channel");
    return x;
  }
  fail(n, "is not a canonical op (internal)");
}

FTensor run_float_extra(const FNode& n, const std::vector<const FTensor*>& in) {
  if (n.op == "HardSigmoid") return hard_sigmoid(n, *in.at(0));
  if (n.op == "LeakyRelu" || n.op == "Sigmoid" || n.op == "Exp") return unary(n, *in.at(0));
  if (n.op == "Upsample") return upsample(n, *in.at(0));
  if (n.op == "Softmax") {
    float_extra_output_shape(n, {in.at(0)->shape});
    return softmax(*in.at(0));
  }
  if (n.op == "Mul") return mul(n, *in.at(0), *in.at(1));
  if (n.op == "ChannelAffine") return channel_affine(n, *in.at(0), *in.at(1), *in.at(2));
  if (n.op == "Affine") return affine(n, *in.at(0), *in.at(1), *in.at(2));
  if (n.op == "Slice") {
    const Shape& x = in.at(0)->shape;
    Shape s(x.size());  // the slice's shape before any squeeze
    const std::vector<int64_t> b = n.ints_attr("starts", {}), e = n.ints_attr("ends", {}), st = n.ints_attr("steps", {});
    float_extra_output_shape(n, {x});  // validates the ranges
    for (size_t d = 0; d < x.size(); ++d) s[d] = (e[d] - b[d] + st[d] - 1) / st[d];
    FTensor y = slice_tensor(*in.at(0), b, st, s);
    y.shape = float_extra_output_shape(n, {x});
    return y;
  }
  fail(n, "is not a canonical op (internal)");
}

}  // namespace cvm::quant
