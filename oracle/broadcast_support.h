// The rejections every broadcast_* op shares (its own _c1 shape rule, the
// common op_c2 size limit and op_c1 / attr_c0 arity), stated once for the six
// broadcast test files. Each op's values and precisions stay in its own file.
#pragma once

#include <string>

#include "support.h"

namespace cvm::oracle {

/// The rejections shared by every broadcast op `op`, whose shape rule is
/// `c1_label` ("<op>_c1"): shapes that do not broadcast (c1), a broadcast
/// output above 2^30 elements (op_c2), and anything but two inputs and no
/// attributes (op_c1, attr_c0).
inline void expect_broadcast_rejections(const std::string& c1_label, const std::string& op) {
  SCOPED_TRACE(op);
  // Right alignment: 3 meets 2 (a left-aligned rule would have accepted this pair).
  expect_rejected(c1_label, op, {}, {T({2, 3}, 8, {1, 2, 3, 4, 5, 6}), T({2}, 8, {1, 2})});
  // Transposed shapes: both dims differ and neither is 1.
  expect_rejected_types(c1_label, op, {}, {TensorType{{3, 2}, 8}, TensorType{{2, 3}, 8}});
  // A mismatch in a leading dim of the higher-rank operand's peer.
  expect_rejected_types(c1_label, op, {}, {TensorType{{2, 3, 4}, 8}, TensorType{{3, 1, 4}, 8}});
  // op_c2: each input is small enough, their broadcast (2^24, 2^24) is not.
  expect_rejected_types("op_c2", op, {}, {TensorType{{16777216, 1}, 8}, TensorType{{1, 16777216}, 8}});
  // op_c1 and attr_c0: exactly two inputs and no attributes.
  expect_rejected("op_c1", op, {}, {T({1}, 8, {1})});
  expect_rejected("attr_c0", op, {{"axis", "0"}}, {T({1}, 8, {1}), T({1}, 8, {1})});
}

}  // namespace cvm::oracle
