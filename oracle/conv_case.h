// One conv2d application written as its geometry (ConvCase), and what the
// fast and CUDA conv tests derive from it: the attribute map, the parsed
// attributes, the seeded inputs and a one-line description for failures.
#pragma once

#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <vector>

#include "cvm/attrs.h"
#include "cvm/ops/conv2d.h"
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

/// The same attributes, parsed (what the kernels' geometry code takes).
inline Conv2dAttrs parsed_conv_attrs(const ConvCase& k) {
  Conv2dAttrs a;
  a.channels = k.o, a.kernel_size = {k.kh, k.kw}, a.strides = {k.sh, k.sw};
  a.padding = {k.ph, k.pw}, a.dilation = {k.dh, k.dw}, a.groups = k.groups, a.use_bias = k.bias;
  return a;
}

/// x, w and (with bias) b of `k`, made by `make` from seeds seed, seed + 1
/// and seed + 2.
inline std::vector<Tensor> conv_inputs(const ConvCase& k, uint64_t seed, SeededTensor make) {
  std::vector<Tensor> in{make({k.n, k.c, k.h, k.w}, k.px, seed),
                         make({k.o, k.c / k.groups, k.kh, k.kw}, k.pw_, seed + 1)};
  if (k.bias) in.push_back(make({k.o}, k.pb, seed + 2));
  return in;
}

/// "conv n1 c3 h8 w8 o4 k3x3 s1,1 p0,0 d1,1 g1": the geometry, for SCOPED_TRACE.
inline std::string describe(const ConvCase& k) {
  return (testing::Message() << "conv n" << k.n << " c" << k.c << " h" << k.h << " w" << k.w << " o" << k.o
                             << " k" << k.kh << "x" << k.kw << " s" << k.sh << "," << k.sw << " p" << k.ph
                             << "," << k.pw << " d" << k.dh << "," << k.dw << " g" << k.groups)
      .GetString();
}

}  // namespace cvm::oracle
