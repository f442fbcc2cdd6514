// Tensors as operators see them: int32 values, a shape and a precision.
#pragma once

#include <cstdint>
#include <vector>

#include "cvm/shape.h"

/// Everything cvm's C++ API declares: tensors and shapes, the operator
/// registry and validator, the model files, models, backends and runtimes.
/// (The C API of libcvm.so, include/cvm/c_api.h, is outside any namespace.)
namespace cvm {

/// The static type of a tensor: its shape and declared precision p in [1, 32].
struct TensorType {
  Shape shape;         ///< The extent of each dim, outermost first.
  int precision = 32;  ///< p: every value v satisfies |v| <= 2^(p-1) - 1.
  /// Equal when shape and precision are.
  friend bool operator==(const TensorType&, const TensorType&) = default;
};

/// A tensor value: row-major int32 data with |v| <= 2^(precision-1) - 1.
struct Tensor {
  Shape shape;                ///< The extent of each dim, outermost first.
  int precision = 32;         ///< p in [1, 32], the declared bound on the values.
  std::vector<int32_t> data;  ///< The values in row-major order; |shape| of them once valid.

  /// The shape and precision, without the values.
  TensorType type() const { return {shape, precision}; }
  /// The number of values held (equal to the shape's element count once valid).
  int64_t size() const { return static_cast<int64_t>(data.size()); }
  /// Element at a multi-index (row-major).
  int32_t at(const Index& index) const { return data[static_cast<size_t>(ravel(index, shape))]; }
  /// Equal when shape, precision and every value are: bit-for-bit equality.
  friend bool operator==(const Tensor&, const Tensor&) = default;
};

}  // namespace cvm
