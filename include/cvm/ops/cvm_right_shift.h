// Attributes of cvm_right_shift (spec/ops/cvm_right_shift.rst).
#pragma once

#include <cstdint>

namespace cvm {

struct CvmRightShiftAttrs {
  int64_t precision = 0;
  int64_t shift_bit = 0;
  /// Must parse as a bool, then ignored (the clip is always signed).
  bool is_sign = true;
};

}  // namespace cvm
