// Attributes of strided_slice (spec/ops/strided_slice.rst).
#pragma once

#include <cstdint>
#include <vector>

namespace cvm {

/// The parsed attributes of strided_slice. Entry i of each tuple applies to
/// axis i; axes beyond a tuple's length take the whole axis (stride 1), and
/// entries beyond the input's rank are ignored.
struct StridedSliceAttrs {
  /// The first index taken on each axis (negative counts from the end); the
  /// default (0,) is upstream's.
  std::vector<int64_t> begin{0};
  /// The index where each axis stops, exclusive; the default (1,) is
  /// upstream's, so axis 0 ends at 1 when end is omitted.
  std::vector<int64_t> end{1};
  /// The step on each axis, non-zero, negative to walk backwards; the default
  /// () means every stride is 1.
  std::vector<int64_t> stride;
};

}  // namespace cvm
