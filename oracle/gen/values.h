// Random tensor values for a type, concentrated where kernels break: the
// precision extremes +-(2^(p-1)-1), 0 and +-1, mixed with uniform values.
#pragma once

#include "cvm/tensor.h"
#include "gen/chooser.h"

namespace cvm::gen {

/// One of the precision extremes +-R(p), 0, +-1 (the values kernels break at).
int32_t extreme_value(Chooser& c, int precision);

/// One value of precision p.
int32_t random_value(Chooser& c, int precision);

/// A tensor of `type` filled with random_value. When `extremes_only`, every
/// value is one of +-R(p), 0, +-1 (the live cross-check's worst cases).
Tensor random_tensor(Chooser& c, const TensorType& type, bool extremes_only = false);

}  // namespace cvm::gen
