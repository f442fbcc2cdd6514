// Attributes of strided_slice (spec/ops/strided_slice.rst).
#pragma once

#include <cstdint>
#include <vector>

namespace cvm {

struct StridedSliceAttrs {
  std::vector<int64_t> begin{0};  // upstream default (0,)
  std::vector<int64_t> end{1};    // upstream default (1,): axis 0 ends at 1 when omitted
  std::vector<int64_t> stride;    // default (): every stride 1
};

}  // namespace cvm
