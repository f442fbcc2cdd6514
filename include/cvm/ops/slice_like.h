// Attributes of slice_like (spec/ops/slice_like.rst).
#pragma once

#include <cstdint>
#include <vector>

namespace cvm {

/// The parsed attributes of slice_like (x cut to the shape of a second input).
struct SliceLikeAttrs {
  /// The axes of x that are cut to the second input's extent, as written: int32
  /// entries, negative ones counting from the end, repeats allowed; empty
  /// means every axis the two inputs share.
  std::vector<int64_t> axis;
};

}  // namespace cvm
