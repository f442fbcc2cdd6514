// One conv2d application written as its geometry (ConvCase, or
// DepthwiseCase for groups = C), and what the directed cases
// (oracle/directed/nn_cases.cc) and the fast conv2d tests derive from it:
// the attribute map and the inputs.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "cvm/attrs.h"
#include "cvm/tensor.h"
#include "support.h"

namespace cvm::oracle {

/// x (n, c, h, w) of precision px, w (o, c / groups, kh, kw) of precision
/// pw_ and, with bias, b (o) of precision pb; strides, padding, dilation
/// and groups as in spec/ops/conv2d.rst.
struct ConvCase {
  int64_t n, c, h, w, o, kh, kw;
  int64_t sh = 1, sw = 1, ph = 0, pw = 0, dh = 1, dw = 1, groups = 1;
  bool bias = true;
  int px = 8, pw_ = 8, pb = 8;
};

/// The attributes of `k` as a model writes them.
inline AttrMap conv_attrs(const ConvCase& k) {
  return {{"channels", std::to_string(k.o)},   {"kernel_size", pair_attr(k.kh, k.kw)},
          {"strides", pair_attr(k.sh, k.sw)},  {"padding", pair_attr(k.ph, k.pw)},
          {"dilation", pair_attr(k.dh, k.dw)}, {"groups", std::to_string(k.groups)},
          {"use_bias", k.bias ? "true" : "false"}};
}

/// A depthwise conv2d: c input channels, c * mult outputs, groups = c (the
/// direct kernel of fast/conv2d_depthwise*).
struct DepthwiseCase {
  int64_t n = 1, c = 3, h = 9, w = 9, mult = 1, kh = 3, kw = 3;
  int64_t sh = 1, sw = 1, ph = 1, pw = 1, dh = 1, dw = 1;
  bool bias = true;
  int px = 8, pw_ = 8, pb = 8;
};

/// The ConvCase of `d`.
inline ConvCase depthwise(const DepthwiseCase& d) {
  ConvCase k{.n = d.n, .c = d.c, .h = d.h, .w = d.w, .o = d.c * d.mult, .kh = d.kh, .kw = d.kw, .groups = d.c};
  k.sh = d.sh, k.sw = d.sw, k.ph = d.ph, k.pw = d.pw, k.dh = d.dh, k.dw = d.dw;
  k.bias = d.bias, k.px = d.px, k.pw_ = d.pw_, k.pb = d.pb;
  return k;
}

/// The shapes of x and w.
inline Shape conv_x_shape(const ConvCase& k) { return {k.n, k.c, k.h, k.w}; }
inline Shape conv_w_shape(const ConvCase& k) { return {k.o, k.c / k.groups, k.kh, k.kw}; }

/// x, w and (with bias) b of `k`, in that order, each made by
/// `make(shape, precision)`.
template <class Make>
std::vector<Tensor> conv_inputs(const ConvCase& k, Make&& make) {
  std::vector<Tensor> in;
  in.push_back(make(conv_x_shape(k), k.px));
  in.push_back(make(conv_w_shape(k), k.pw_));
  if (k.bias) in.push_back(make(Shape{k.o}, k.pb));
  return in;
}

/// x, w and (with bias) b of `k`, made by `make` from seeds seed, seed + 1
/// and seed + 2.
inline std::vector<Tensor> conv_inputs(const ConvCase& k, uint64_t seed, SeededTensor make) {
  return conv_inputs(k, [&](const Shape& shape, int p) { return make(shape, p, seed++); });
}

}  // namespace cvm::oracle
