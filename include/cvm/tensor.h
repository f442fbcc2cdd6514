// Tensors as operators see them: int32 values, a shape and a precision.
#pragma once

#include <cstdint>
#include <vector>

#include "cvm/shape.h"

namespace cvm {

/// The static type of a tensor: its shape and declared precision p in [1, 32].
struct TensorType {
  Shape shape;
  int precision = 32;
  friend bool operator==(const TensorType&, const TensorType&) = default;
};

/// A tensor value: row-major int32 data with |v| <= 2^(precision-1) - 1.
struct Tensor {
  Shape shape;
  int precision = 32;
  std::vector<int32_t> data;

  TensorType type() const { return {shape, precision}; }
  int64_t size() const { return static_cast<int64_t>(data.size()); }
  /// Element at a multi-index (row-major).
  int32_t at(const Index& index) const { return data[static_cast<size_t>(ravel(index, shape))]; }
  friend bool operator==(const Tensor&, const Tensor&) = default;
};

}  // namespace cvm
