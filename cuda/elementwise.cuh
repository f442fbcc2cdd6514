// Elementwise and broadcast kernels of the CUDA backend: a grid-stride loop
// applies an op's per-element function (a functor with a __device__
// operator(), in int64 as the reference computes) to every output element.
// Broadcasting is numpy's, right-aligned (spec/notation.rst, "Broadcasting"):
// each input's flat offset is the output's multi-index dotted with the
// input's strides, where a dimension of size 1 has stride 0.
#pragma once

#include <cuda_runtime.h>

#include <algorithm>
#include <cstdint>

#include "cuda/device_common.cuh"
#include "cuda/kernel.h"

namespace cvm::cuda {

template <typename F>
__global__ void unary_kernel(const int32_t* x, int32_t* y, int64_t n, F f) {
  for (int64_t i = grid_start(); i < n; i += grid_stride()) y[i] = static_cast<int32_t>(f(int64_t{x[i]}));
}

/// y[i] = f(x[i]) for the node's single input and output.
template <typename F>
void launch_unary(const char* op, const DeviceInputs& in, const DeviceOutputs& out, cudaStream_t stream, F f) {
  const int64_t n = shape_size(out[0].type.shape);
  unary_kernel<<<grid_for(n), 256, 0, stream>>>(in[0].data, out[0].data, n, f);
  check_launch(op);
}

/// The output shape and, per output axis, each input's stride (0 where the
/// input's dimension is 1 or missing).
struct BroadcastIndex {
  int rank = 0;
  int64_t dims[kMaxRank] = {};
  int64_t a_stride[kMaxRank] = {};
  int64_t b_stride[kMaxRank] = {};
};

inline void fill_strides(const Shape& in, const Shape& out, int64_t* stride) {
  const size_t shift = out.size() - in.size();
  int64_t s = 1;
  for (size_t k = in.size(); k-- > 0;) {
    stride[k + shift] = in[k] == 1 ? 0 : s;
    s *= in[k];
  }
  for (size_t k = 0; k < shift; ++k) stride[k] = 0;
}

inline BroadcastIndex broadcast_index(const Shape& out, const Shape& a, const Shape& b) {
  BroadcastIndex bi;
  bi.rank = static_cast<int>(out.size());
  for (size_t k = 0; k < out.size(); ++k) bi.dims[k] = out[k];
  fill_strides(a, out, bi.a_stride);
  fill_strides(b, out, bi.b_stride);
  return bi;
}

template <typename F>
__global__ void binary_kernel(const int32_t* a, const int32_t* b, int32_t* y, int64_t n, BroadcastIndex bi, F f) {
  for (int64_t i = grid_start(); i < n; i += grid_stride()) {
    int64_t rest = i, oa = 0, ob = 0;
    for (int k = bi.rank - 1; k >= 0; --k) {
      const int64_t c = rest % bi.dims[k];
      rest /= bi.dims[k];
      oa += c * bi.a_stride[k];
      ob += c * bi.b_stride[k];
    }
    y[i] = static_cast<int32_t>(f(int64_t{a[oa]}, int64_t{b[ob]}));
  }
}

/// y[i] = f(a[offset_a(i)], b[offset_b(i)]) with numpy broadcasting (also
/// for elemwise ops, whose shapes are equal: every stride is then the plain
/// row-major one).
template <typename F>
void launch_binary(const char* op, const DeviceInputs& in, const DeviceOutputs& out, cudaStream_t stream, F f) {
  const Shape& ys = out[0].type.shape;
  const int64_t n = shape_size(ys);
  binary_kernel<<<grid_for(n), 256, 0, stream>>>(in[0].data, in[1].data, out[0].data, n,
                                                 broadcast_index(ys, in[0].type.shape, in[1].type.shape), f);
  check_launch(op);
}

/// A kernel with no attributes running launch_unary / launch_binary with F.
template <typename F, bool kBinary>
class ElementwiseKernel final : public NodeKernel {
 public:
  ElementwiseKernel(const char* op, F f) : op_(op), f_(f) {}
  void launch(const DeviceInputs& in, const DeviceOutputs& out, cudaStream_t stream) override {
    if constexpr (kBinary) launch_binary(op_, in, out, stream, f_);
    else launch_unary(op_, in, out, stream, f_);
  }

 private:
  const char* op_;
  F f_;
};

template <typename F>
std::unique_ptr<NodeKernel> unary_kernel_for(const char* op, F f) {
  return std::make_unique<ElementwiseKernel<F, false>>(op, f);
}

template <typename F>
std::unique_ptr<NodeKernel> binary_kernel_for(const char* op, F f) {
  return std::make_unique<ElementwiseKernel<F, true>>(op, f);
}

}  // namespace cvm::cuda
