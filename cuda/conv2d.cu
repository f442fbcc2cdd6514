// conv2d - CUDA kernel (NCHW x, OIHW w, groups, strides, padding, dilation).
//
// conv2d is the implicit GEMM of cuda/gemm_int8.h, run by the int8 engine in
// cuda/gemm_int8.cu: the int8 tensor-core path (x converted once per launch
// to int8 NHWC, weights packed once when w is a constant, cp.async ring,
// ldmatrix, mma.sync.m16n8k32, split-K for small problems) when
// tensor_core_eligible(), else the simple one-thread-per-element kernel with
// the reference's loops and int64 accumulation.
//
// Exactness: conv2d_c14 (|x|, |w| <= 127: exact int8 operands) and conv2d_b2
// (every partial sum, i.e. any subset of the K terms, is at most
// K R(px) R(pw) <= R(p_y) <= 2^31 - 1: int32 accumulation in any order, the
// mma's and split-K's included, is exact); the bias is added after the sum
// and the biased sum fits int32 by conv2d_b1. Results are independent of
// grid, tile sizes and splits.
#include <memory>

#include "cuda/gemm_int8.h"
#include "cuda/kernel.h"
#include "cvm/ops/conv2d.h"

namespace cvm::cuda {

std::unique_ptr<NodeKernel> make_conv2d(const NodeSpec& spec) {
  const auto& a = std::any_cast<const Conv2dAttrs&>(spec.attrs);
  const Tensor* w_const = spec.constants.size() > 1 ? spec.constants[1] : nullptr;
  return make_conv_gemm(conv_geometry(a, spec.inputs[0].shape, spec.outputs[0].shape), w_const,
                        "conv2d");
}

}  // namespace cvm::cuda
