// The index function of upsampling (spec/ops/upsampling.rst): the input
// coordinate an output coordinate copies. The reference kernel calls it with
// int64_t; proofs/upsampling_index.cc calls it with Z3 expressions and proves
// that it lies in the input (upsampling_b2).
#pragma once

#include "cvm/rules/arith.h"

namespace cvm::rules {

/// The source coordinate of output coordinate `j` along a spatial axis scaled
/// by `scale` >= 1: j div scale. Each input cell fills `scale` consecutive
/// output cells (nearest neighbour), so output extent d * scale maps onto
/// input extent d. j >= 0, so floor division is plain truncation here.
template <class T>
T upsampling_source(const T& j, const T& scale) {
  return Arith<T>::floor_div(j, scale);
}

}  // namespace cvm::rules
