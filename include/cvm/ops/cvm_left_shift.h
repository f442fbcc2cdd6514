// Attributes of cvm_left_shift (spec/ops/cvm_left_shift.rst).
#pragma once

#include <cstdint>

namespace cvm {

struct CvmLeftShiftAttrs {
  int64_t precision = 0;
  int64_t shift_bit = 0;
  /// Must parse as a bool, then ignored (the clip is always signed).
  bool is_sign = true;
};

}  // namespace cvm
