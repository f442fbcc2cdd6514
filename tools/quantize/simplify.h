// Rewrites an imported FloatGraph into the canonical ops the lowering knows:
//
//   Conv      X, W (O, C/g, KH, KW) constant, B (O) constant or ""
//             ints: strides(2) pads(2: symmetric top/left) dilations(2); i: group
//   Dense     X (N, K), W (M, K) constant, B (M) constant or ""
//   Relu, Clip (f: min, max), MaxPool / AveragePool (ints: kernel_shape,
//   strides, pads(2); i: ceil_mode), GlobalAveragePool, Flatten (i: axis),
//   Reshape (ints: shape), Concat (i: axis), Transpose (ints: perm),
//   Add, Mul (two non-constant inputs), HardSigmoid (f: alpha, beta),
//   ChannelAffine X, A (C) constant, B (C) constant: y = x * A[c] + B[c]
//
// Identity and Dropout are removed; a zero Pad is folded into the Conv or
// pool that reads it (fold_pad.cc); HardSwish, ReduceMean and 1-D Conv and
// pools are rewritten into the ops above (expand_ops.cc); BatchNormalization
// is folded into the Conv before it, or else becomes a ChannelAffine; Gemm
// and MatMul(+Add bias) become Dense. Anything that cannot be expressed
// (transA, asymmetric padding, auto_pad SAME_*, a Pad that cannot be folded)
// is a LogicError naming the node.
#pragma once

#include "tools/quantize/float_graph.h"

namespace cvm::quant {

/// Canonicalizes `g` in place. Returns the number of BatchNormalization
/// nodes folded (for the report).
int simplify(FloatGraph& g);

/// Folds batch normalization y = (x - mean) * scale / sqrt(var + eps) + bias
/// into a convolution's weight (O, ...) and bias (O); `bias` may be empty
/// (no bias yet). Exposed for the unit tests.
void fold_batch_norm(FTensor& weight, std::vector<float>& bias, const std::vector<float>& scale,
                     const std::vector<float>& shift, const std::vector<float>& mean,
                     const std::vector<float>& var, float epsilon);

}  // namespace cvm::quant
