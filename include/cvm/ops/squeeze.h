// Attributes of squeeze (spec/ops/squeeze.rst).
#pragma once

#include <cstdint>
#include <vector>

namespace cvm {

/// The parsed attributes of squeeze (removes dims of extent 1).
struct SqueezeAttrs {
  /// The axes to remove; empty means every dim of size 1.
  std::vector<int64_t> axis;
};

}  // namespace cvm
