// clip: edge cases and one test per constraint label (spec/ops/clip.rst).
#include "support.h"

namespace cvm::oracle {
namespace {

TEST(clip, bounds_are_inclusive) {
  // Distinguishes <= from <: values equal to a_min / a_max pass unchanged.
  expect_outputs("clip", {{"a_min", "-3"}, {"a_max", "3"}}, {T({4}, 8, {-3, -4, 3, 4})},
                 {T({4}, 4, {-3, -3, 3, 3})}, 1);
}

TEST(clip, precision_quirk_at_two_to_the_k_minus_one) {
  // np(127) = bits(128) + 1 = 9, not 8: the upstream over-estimate is kept.
  expect_outputs("clip", {{"a_min", "-127"}, {"a_max", "127"}}, {T({2}, 32, {-1000, 1000})},
                 {T({2}, 9, {-127, 127})});
  // np(126) = bits(127) + 1 = 8.
  expect_outputs("clip", {{"a_min", "-126"}, {"a_max", "5"}}, {T({2}, 32, {-1000, 1000})},
                 {T({2}, 8, {-126, 5})});
}

TEST(clip, clip_b1_holds_at_int32_extremes) {
  // clip_b1: the widest accepted interval still yields values of the output
  // precision (np(2^30 - 1) = bits(2^30) + 1 = 32).
  expect_outputs("clip", {{"a_min", "-1073741823"}, {"a_max", "1073741823"}},
                 {T({2}, 32, {-2147483647, 2147483647})},
                 {T({2}, 32, {-1073741823, 1073741823})});
}

TEST(clip, output_precision_above_32_is_rejected) {
  // np(2^31 - 1) = 33 > 32: op_c3.
  expect_rejected("op_c3", "clip", {{"a_min", "0"}, {"a_max", "2147483647"}},
                     {T({1}, 8, {0})});
}

TEST(clip, clip_c1_rejects_int32_min_bound) {
  expect_rejected("clip_c1", "clip", {{"a_min", "-2147483648"}, {"a_max", "0"}},
                     {T({1}, 8, {0})});
}

TEST(clip, clip_c2_rejects_empty_or_point_interval) {
  expect_rejected("clip_c2", "clip", {{"a_min", "3"}, {"a_max", "3"}}, {T({1}, 8, {0})});
  expect_rejected("clip_c2", "clip", {{"a_min", "4"}, {"a_max", "3"}}, {T({1}, 8, {0})});
}

TEST(clip, missing_attribute_is_attr_c2) {
  expect_rejected("attr_c2", "clip", {{"a_min", "3"}}, {T({1}, 8, {0})});
}

}  // namespace
}  // namespace cvm::oracle
