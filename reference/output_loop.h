// The loop of the ops that compute their output one element at a time, in
// flat (row-major) order of y.
//
// Only the loop, the output bound and the store live here; each op passes
// its own formula (a lambda, inlined) and its label, a string literal, from
// reference/<op>.cc.
#pragma once

#include <cstdint>

#include "cvm/errors.h"
#include "cvm/intmath.h"
#include "cvm/tensor.h"

namespace cvm {

/// y[i] = value_at(i) for every flat index i of y, in increasing i. Each
/// value is asserted to have y's precision, the op's output bound `label`
/// (<op>_b1), before it is stored as int32.
template <class ValueAt>
void fill_output(Tensor& y, const char* label, ValueAt value_at) {
  for (int64_t i = 0; i < y.size(); ++i) {
    const int64_t v = value_at(i);
    CVM_BOUND(in_precision(v, y.precision), label, "y[", i, "] = ", v);
    y.data[static_cast<size_t>(i)] = static_cast<int32_t>(v);
  }
}

}  // namespace cvm
