// The attributes that cvm_clip, cvm_left_shift and cvm_right_shift share
// (upstream's CVMClipParam, CVMLeftShiftParam, CVMRightShiftParam): the
// output precision, the ignored is_sign and, for the shifts, shift_bit.
//
// Only the reading and the range checks live here; each op passes its own
// constraint labels, string literals, from reference/<op>.cc.
#pragma once

#include <cstdint>

#include "cvm/attrs.h"
#include "cvm/errors.h"

namespace cvm {

/// The precision attribute lies in [1, 32], inclusive: the op's constraint
/// `label` (<op>_c1).
inline void check_precision_attr(int64_t precision, const char* label) {
  CVM_REQUIRE(precision >= 1 && precision <= 32, label, "precision = ", precision,
              " must lie in [1, 32]");
}

/// Reads the attributes of a shift op into `Attrs` (CvmLeftShiftAttrs or
/// CvmRightShiftAttrs) and checks precision in [1, 32] (`precision_label`,
/// <op>_c1) and then shift_bit in [1, 32] (`shift_label`, <op>_c2).
template <class Attrs>
Attrs parse_shift_attrs(AttrReader& r, const char* precision_label, const char* shift_label) {
  Attrs a;
  a.precision = r.int32("precision");
  a.shift_bit = r.int32("shift_bit");
  // is_sign must parse as a bool but has no effect (see the pages' Quirk).
  a.is_sign = r.boolean("is_sign");
  check_precision_attr(a.precision, precision_label);
  CVM_REQUIRE(a.shift_bit >= 1 && a.shift_bit <= 32, shift_label, "shift_bit = ", a.shift_bit,
              " must lie in [1, 32]");
  return a;
}

}  // namespace cvm
