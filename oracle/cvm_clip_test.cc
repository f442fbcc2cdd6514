// cvm_clip: edge cases and one test per constraint label (spec/ops/cvm_clip.rst).
#include "support.h"

namespace cvm::oracle {
namespace {

TEST(cvm_clip, range_is_symmetric_and_inclusive) {
  // Precision 8: alpha = 127. Distinguishes the symmetric range from
  // [-128, 127] (-128 would pass unchanged) and <= from < (127 and -127 kept).
  expect_outputs("cvm_clip", {{"precision", "8"}}, {T({6}, 16, {-200, -128, -127, 0, 127, 128})},
                 {T({6}, 8, {-127, -127, -127, 0, 127, 127})}, 1);
}

TEST(cvm_clip, precision_1_gives_all_zero) {
  // alpha = R(1) = 0: every value saturates to 0.
  expect_outputs("cvm_clip", {{"precision", "1"}}, {T({3}, 8, {-127, 0, 1})},
                 {T({3}, 1, {0, 0, 0})});
}

TEST(cvm_clip, cvm_clip_b1_holds_at_precision_32) {
  // cvm_clip_b1: precision 32 (alpha = 2^31 - 1) copies the widest inputs;
  // alpha is computed without overflow.
  expect_outputs("cvm_clip", {{"precision", "32"}}, {T({3}, 32, {-2147483647, 0, 2147483647})},
                 {T({3}, 32, {-2147483647, 0, 2147483647})});
}

TEST(cvm_clip, output_precision_may_exceed_input_precision) {
  // p_y is the attribute, not min(p_x, precision).
  expect_outputs("cvm_clip", {{"precision", "16"}}, {T({2}, 4, {-7, 7})}, {T({2}, 16, {-7, 7})});
}

TEST(cvm_clip, is_sign_is_parsed_but_ignored) {
  // is_sign = false still clips to [-alpha, alpha], not [0, 2^p - 1].
  expect_outputs("cvm_clip", {{"precision", "3"}, {"is_sign", "False"}}, {T({3}, 8, {-5, 2, 5})},
                 {T({3}, 3, {-3, 2, 3})});
  expect_outputs("cvm_clip", {{"precision", "3"}, {"is_sign", "1"}}, {T({3}, 8, {-5, 2, 5})},
                 {T({3}, 3, {-3, 2, 3})});
  // ... but it must be a bool.
  expect_rejected("attr_c3", "cvm_clip", {{"precision", "3"}, {"is_sign", "yes"}},
                     {T({1}, 8, {0})});
}

TEST(cvm_clip, cvm_clip_c1_rejects_precision_outside_1_32) {
  expect_rejected("cvm_clip_c1", "cvm_clip", {{"precision", "0"}}, {T({1}, 8, {0})});
  expect_rejected("cvm_clip_c1", "cvm_clip", {{"precision", "33"}}, {T({1}, 8, {0})});
  expect_rejected("cvm_clip_c1", "cvm_clip", {{"precision", "-8"}}, {T({1}, 8, {0})});
}

TEST(cvm_clip, missing_precision_is_attr_c2) {
  expect_rejected("attr_c2", "cvm_clip", {{"is_sign", "true"}}, {T({1}, 8, {0})});
}

}  // namespace
}  // namespace cvm::oracle
