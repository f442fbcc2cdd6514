// Attributes of take (spec/ops/take.rst).
#pragma once

#include <cstdint>
#include <optional>

namespace cvm {

/// The parsed attributes of take (elements of x picked by an index tensor).
struct TakeAttrs {
  /// The axis the indices select along, as written (negative counts from the
  /// end, not yet normalised); empty ("None") means the indices address the
  /// flattened x.
  std::optional<int64_t> axis;
};

}  // namespace cvm
