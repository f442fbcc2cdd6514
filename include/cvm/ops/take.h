// Attributes of take (spec/ops/take.rst).
#pragma once

#include <cstdint>
#include <optional>

namespace cvm {

struct TakeAttrs {
  std::optional<int64_t> axis;  // nullopt ("None"): index the flattened x; not yet normalised
};

}  // namespace cvm
