// cvm_right_shift: edge cases and one test per constraint label
// (spec/ops/cvm_right_shift.rst).
#include "support.h"

namespace cvm::oracle {
namespace {

TEST(cvm_right_shift, halves_round_toward_plus_infinity_shift_1) {
  // b = 1: -3/2 = -1.5 -> -1 and -5/2 = -2.5 -> -2 (not away from zero);
  // 5/2 = 2.5 -> 3 (not half-to-even); -1/2 = -0.5 -> 0; 3/2 -> 2.
  expect_outputs("cvm_right_shift", {{"precision", "8"}, {"shift_bit", "1"}},
                 {T({6}, 8, {-5, -3, -1, 1, 3, 5})}, {T({6}, 8, {-2, -1, 0, 1, 2, 3})}, 1);
}

TEST(cvm_right_shift, negative_quarters_and_halves_shift_2) {
  // b = 2: -6/4 = -1.5 -> -1 (half up), -5/4 = -1.25 -> -1 (nearest, not
  // floor -2), -7/4 = -1.75 -> -2 (nearest, not truncation -1),
  // -2/4 = -0.5 -> 0, 6/4 = 1.5 -> 2, 7/4 = 1.75 -> 2.
  expect_outputs("cvm_right_shift", {{"precision", "8"}, {"shift_bit", "2"}},
                 {T({6}, 8, {-6, -5, -7, -2, 6, 7})}, {T({6}, 8, {-1, -1, -2, 0, 2, 2})});
}

TEST(cvm_right_shift, shift_31_rounds_and_clips_like_formal) {
  // b = 31: T = 1 for x >= 2^30, -1 for x < -2^30, else 0; -2^30 is an exact
  // half and gives 0. (Upstream CPU gives x >> 31, i.e. -1 for every
  // negative x and 0 otherwise.)
  expect_outputs("cvm_right_shift", {{"precision", "8"}, {"shift_bit", "31"}},
                 {T({8}, 32,
                    {-5, 1073741824, 1073741823, -1073741824, -1073741825, 2147483647,
                     -2147483647, 0})},
                 {T({8}, 8, {0, 1, 0, 0, -1, 1, -1, 0})});
}

TEST(cvm_right_shift, shift_32_is_always_zero) {
  // b = 32: |x| / 2^32 < 1/2 for every x with a precision, so every result is
  // 0 (upstream CPU: -1 for negative x).
  expect_outputs("cvm_right_shift", {{"precision", "8"}, {"shift_bit", "32"}},
                 {T({5}, 32, {-5, -1, 0, 2147483647, -2147483647})}, {T({5}, 8, {0, 0, 0, 0, 0})});
}

TEST(cvm_right_shift, precision_plus_shift_32_still_clips) {
  // precision + b = 32: the rounded quotient of +-(2^31 - 1) is +-2^(p-1),
  // one beyond R(p); it is clipped (upstream CPU skips the clip).
  expect_outputs("cvm_right_shift", {{"precision", "16"}, {"shift_bit", "16"}},
                 {T({2}, 32, {2147483647, -2147483647})}, {T({2}, 16, {32767, -32767})});
  expect_outputs("cvm_right_shift", {{"precision", "2"}, {"shift_bit", "30"}},
                 {T({2}, 32, {2147483647, -2147483647})}, {T({2}, 2, {1, -1})});
}

TEST(cvm_right_shift, precision_1_gives_all_zero) {
  // alpha = R(1) = 0: every result saturates to 0, even 127/2 -> 64.
  expect_outputs("cvm_right_shift", {{"precision", "1"}, {"shift_bit", "1"}},
                 {T({3}, 8, {-127, 1, 127})}, {T({3}, 1, {0, 0, 0})});
}

TEST(cvm_right_shift, cvm_right_shift_b2_holds_at_int32_max_shift_1) {
  // cvm_right_shift_b2: t = (2^31 - 1) + 1 = 2^31 leaves int32 and must not
  // wrap: T = 2^30 (upstream wraps to -2^30). Then the clip: precision 32
  // keeps 2^30, precision 31 gives R(31) = 2^30 - 1, precision 8 gives 127.
  expect_outputs("cvm_right_shift", {{"precision", "32"}, {"shift_bit", "1"}},
                 {T({2}, 32, {2147483647, -2147483647})},
                 {T({2}, 32, {1073741824, -1073741823})});
  expect_outputs("cvm_right_shift", {{"precision", "31"}, {"shift_bit", "1"}},
                 {T({1}, 32, {2147483647})}, {T({1}, 31, {1073741823})});
  expect_outputs("cvm_right_shift", {{"precision", "8"}, {"shift_bit", "1"}},
                 {T({1}, 32, {2147483647})}, {T({1}, 8, {127})});
}

TEST(cvm_right_shift, cvm_right_shift_b1_holds_at_precision_32) {
  // cvm_right_shift_b1: at precision 32 the clip never bites; small shifts of
  // the widest inputs stay within R(32).
  expect_outputs("cvm_right_shift", {{"precision", "32"}, {"shift_bit", "2"}},
                 {T({2}, 32, {2147483647, -2147483647})},
                 {T({2}, 32, {536870912, -536870912})});
}

TEST(cvm_right_shift, is_sign_is_parsed_but_ignored) {
  expect_outputs("cvm_right_shift",
                 {{"precision", "3"}, {"shift_bit", "1"}, {"is_sign", "FALSE"}},
                 {T({3}, 8, {-20, -3, 20})}, {T({3}, 3, {-3, -1, 3})});
  expect_rejected("attr_c3", "cvm_right_shift",
                     {{"precision", "3"}, {"shift_bit", "1"}, {"is_sign", "no"}}, {T({1}, 8, {0})});
}

TEST(cvm_right_shift, cvm_right_shift_c1_rejects_precision_outside_1_32) {
  expect_rejected("cvm_right_shift_c1", "cvm_right_shift",
                     {{"precision", "0"}, {"shift_bit", "1"}}, {T({1}, 8, {0})});
  expect_rejected("cvm_right_shift_c1", "cvm_right_shift",
                     {{"precision", "33"}, {"shift_bit", "1"}}, {T({1}, 8, {0})});
}

TEST(cvm_right_shift, cvm_right_shift_c2_rejects_shift_bit_outside_1_32) {
  expect_rejected("cvm_right_shift_c2", "cvm_right_shift",
                     {{"precision", "8"}, {"shift_bit", "0"}}, {T({1}, 8, {0})});
  expect_rejected("cvm_right_shift_c2", "cvm_right_shift",
                     {{"precision", "8"}, {"shift_bit", "33"}}, {T({1}, 8, {0})});
  expect_rejected("cvm_right_shift_c2", "cvm_right_shift",
                     {{"precision", "8"}, {"shift_bit", "-2"}}, {T({1}, 8, {0})});
}

}  // namespace
}  // namespace cvm::oracle
