// Attributes of slice_like (spec/ops/slice_like.rst).
#pragma once

#include <cstdint>
#include <vector>

namespace cvm {

struct SliceLikeAttrs {
  std::vector<int64_t> axis;  // int32 entries, not yet normalised; empty = every axis
};

}  // namespace cvm
