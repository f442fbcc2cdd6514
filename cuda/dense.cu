// dense - CUDA kernel: y = x w^T (+ b), x (M, K), w (units, K).
//
// dense is run as the 1x1 conv2d of x viewed as (M, K, 1, 1) with w viewed as
// (units, K, 1, 1), one group, unit strides and dilation, no padding: then
// conv2d's sum for y[m, u, 0, 0] is sum_k x[m, k] w[u, k] (+ b[u]), the
// row-major data of the (M, K), (units, K) and (M, units) tensors are exactly
// those of the 4-d views, and the engine in cuda/gemm_int8.cu (cuda/gemm_int8.h)
// does the rest: the int8 tensor-core GEMM (rows = units, columns = the M rows
// of x, weights packed once when w is a constant) when tensor_core_eligible(),
// else the simple one-thread-per-element kernel with int64 accumulation.
//
// Exactness: dense_c5 (|x|, |w| <= 127: exact int8 operands) and dense_b2
// (every partial sum, i.e. any subset of the K terms, is at most
// K R(px) R(pw) <= R(p_y) <= 2^31 - 1: int32 accumulation in any order is
// exact); the bias is added in int64 and the biased sum fits int32 by
// dense_b1.
#include <memory>

#include "cuda/gemm_int8.h"
#include "cuda/kernel.h"
#include "cvm/ops/dense.h"

namespace cvm::cuda {

std::unique_ptr<NodeKernel> make_dense(const NodeSpec& spec) {
  const auto& a = std::any_cast<const DenseAttrs&>(spec.attrs);
  const Shape& x = spec.inputs[0].shape;
  const Tensor* w_const = spec.constants.size() > 1 ? spec.constants[1] : nullptr;
  return make_conv_gemm(dense_geometry(x[0], x[1], a.units, a.use_bias), w_const, "dense");
}

}  // namespace cvm::cuda
