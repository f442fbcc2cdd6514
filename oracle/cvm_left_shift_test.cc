// cvm_left_shift: edge cases and one test per constraint label
// (spec/ops/cvm_left_shift.rst).
#include "support.h"

namespace cvm::oracle {
namespace {

TEST(cvm_left_shift, shift_then_clip) {
  // Distinguishes multiply-then-clip from clip-then-multiply: 32 * 4 = 128
  // saturates to 127 at precision 8, while 31 * 4 = 124 passes; negatives
  // scale symmetrically (-1 -> -4, no floor effects).
  expect_outputs("cvm_left_shift", {{"precision", "8"}, {"shift_bit", "2"}},
                 {T({6}, 8, {-32, -31, -1, 0, 31, 32})},
                 {T({6}, 8, {-127, -124, -4, 0, 124, 127})}, 1);
}

TEST(cvm_left_shift, precision_1_gives_all_zero) {
  // alpha = R(1) = 0: every product saturates to 0.
  expect_outputs("cvm_left_shift", {{"precision", "1"}, {"shift_bit", "1"}},
                 {T({3}, 8, {-127, 1, 127})}, {T({3}, 1, {0, 0, 0})});
}

TEST(cvm_left_shift, cvm_left_shift_b2_holds_at_p_x_31_shift_1) {
  // cvm_left_shift_b2: p_x + shift_bit = 32, the largest product
  // +-(2^30 - 1) * 2 = +-(2^31 - 2) still fits int32; precision 32 keeps it.
  expect_outputs("cvm_left_shift", {{"precision", "32"}, {"shift_bit", "1"}},
                 {T({2}, 31, {1073741823, -1073741823})},
                 {T({2}, 32, {2147483646, -2147483646})});
}

TEST(cvm_left_shift, cvm_left_shift_b1_holds_at_precision_31) {
  // cvm_left_shift_b1: 2^30 does not fit precision 31 (R(31) = 2^30 - 1) and
  // saturates; shift_bit 30 is the largest allowed for p_x = 2.
  expect_outputs("cvm_left_shift", {{"precision", "31"}, {"shift_bit", "30"}},
                 {T({3}, 2, {-1, 0, 1})}, {T({3}, 31, {-1073741823, 0, 1073741823})});
}

TEST(cvm_left_shift, p_x_1_shift_31) {
  // p_x = 1 admits only 0, so shift_bit = 31 is allowed (1 + 31 = 32).
  expect_outputs("cvm_left_shift", {{"precision", "32"}, {"shift_bit", "31"}}, {T({1}, 1, {0})},
                 {T({1}, 32, {0})});
}

TEST(cvm_left_shift, is_sign_is_parsed_but_ignored) {
  expect_outputs("cvm_left_shift", {{"precision", "4"}, {"shift_bit", "1"}, {"is_sign", "false"}},
                 {T({3}, 8, {-5, -3, 3})}, {T({3}, 4, {-7, -6, 6})});
  expect_rejected("attr_c3", "cvm_left_shift",
                     {{"precision", "4"}, {"shift_bit", "1"}, {"is_sign", "2"}}, {T({1}, 8, {0})});
}

TEST(cvm_left_shift, cvm_left_shift_c1_rejects_precision_outside_1_32) {
  expect_rejected("cvm_left_shift_c1", "cvm_left_shift", {{"precision", "0"}, {"shift_bit", "1"}},
                     {T({1}, 8, {0})});
  expect_rejected("cvm_left_shift_c1", "cvm_left_shift",
                     {{"precision", "33"}, {"shift_bit", "1"}}, {T({1}, 8, {0})});
}

TEST(cvm_left_shift, cvm_left_shift_c2_rejects_shift_bit_outside_1_32) {
  expect_rejected("cvm_left_shift_c2", "cvm_left_shift", {{"precision", "8"}, {"shift_bit", "0"}},
                     {T({1}, 8, {0})});
  expect_rejected("cvm_left_shift_c2", "cvm_left_shift",
                     {{"precision", "8"}, {"shift_bit", "33"}}, {T({1}, 8, {0})});
  expect_rejected("cvm_left_shift_c2", "cvm_left_shift",
                     {{"precision", "8"}, {"shift_bit", "-1"}}, {T({1}, 8, {0})});
}

TEST(cvm_left_shift, cvm_left_shift_c3_rejects_p_x_plus_shift_above_32) {
  // 8 + 25 = 33: rejected as a logic error (upstream: runtime error).
  expect_rejected_types("cvm_left_shift_c3", "cvm_left_shift",
                           {{"precision", "8"}, {"shift_bit", "25"}}, {TensorType{{1}, 8}});
  // shift_bit = 32 is in c2's range but fails c3 for every p_x >= 1.
  expect_rejected("cvm_left_shift_c3", "cvm_left_shift",
                     {{"precision", "32"}, {"shift_bit", "32"}}, {T({1}, 1, {0})});
  // p_x = 32 fails for every shift_bit >= 1.
  expect_rejected("cvm_left_shift_c3", "cvm_left_shift",
                     {{"precision", "32"}, {"shift_bit", "1"}}, {T({1}, 32, {0})});
}

}  // namespace
}  // namespace cvm::oracle
