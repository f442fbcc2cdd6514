// The element-wise form shared by the one-input ops whose y has x's shape
// (abs, negative, relu, clip, ...) and by the ops that change only the shape
// (reshape, squeeze, expand_dims, flatten).
//
// Only the loop lives here (output_loop.h); each op passes its own formula
// and its output bound label, a string literal, from reference/<op>.cc.
#pragma once

#include <cstdint>

#include "cvm/tensor.h"
#include "output_loop.h"

namespace cvm {

/// y[i] = f(x[i]) for every flat index i; x and y have one element count.
/// Each value is checked against the op's output bound `label` (<op>_b1).
template <class F>
void map_elements(const Tensor& x, Tensor& y, const char* label, F f) {
  fill_output(y, label, [&](int64_t i) { return f(int64_t{x.data[static_cast<size_t>(i)]}); });
}

/// y[i] = x[i] for every flat index i: y holds x's elements in row-major
/// order under its new shape. Each is checked against `label` (<op>_b1).
inline void copy_elements(const Tensor& x, Tensor& y, const char* label) {
  map_elements(x, y, label, [](int64_t v) { return v; });
}

}  // namespace cvm
