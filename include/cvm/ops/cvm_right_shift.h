// Attributes of cvm_right_shift (spec/ops/cvm_right_shift.rst).
#pragma once

#include <cstdint>

namespace cvm {

/// The parsed attributes of cvm_right_shift: x divided by 2^shift_bit with
/// rounding (half up), then clamped to the signed range of precision.
struct CvmRightShiftAttrs {
  /// The output precision p in [1, 32]; the result is clamped to
  /// [-(2^(p-1)-1), 2^(p-1)-1].
  int64_t precision = 0;
  /// The number of bit positions of the shift: the divisor is 2^shift_bit;
  /// required, in [1, 32].
  int64_t shift_bit = 0;
  /// Must parse as a bool, then ignored (the clip is always signed).
  bool is_sign = true;
};

}  // namespace cvm
