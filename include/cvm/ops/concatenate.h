// Attributes of concatenate (spec/ops/concatenate.rst).
#pragma once

#include <cstdint>

namespace cvm {

struct ConcatenateAttrs {
  int64_t axis = 1;  // not yet normalised: the rank is known only in infer
};

}  // namespace cvm
