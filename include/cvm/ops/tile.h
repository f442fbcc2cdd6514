// Attributes of tile (spec/ops/tile.rst).
#pragma once

#include <cstdint>
#include <vector>

namespace cvm {

/// The parsed attributes of tile (the input repeated as a whole along each dim).
struct TileAttrs {
  /// Repetitions per dim, right-aligned with the input shape. The default
  /// (0,) is upstream's and fails tile_c2.
  std::vector<int64_t> reps = {0};
};

}  // namespace cvm
