// negative: edge cases and the bound label (spec/ops/negative.rst).
// negative has no op-specific constraints.
#include "support.h"

#include "cvm/op.h"

namespace cvm::oracle {
namespace {

TEST(negative, signs_and_zero) {
  // Distinguishes -x from |x| and x: both signs flip, zero stays 0; shape and
  // precision are kept.
  expect_outputs("negative", {}, {T({2, 2}, 4, {-7, -1, 0, 6})}, {T({2, 2}, 4, {7, 1, 0, -6})},
                 1);
}

TEST(negative, precision_1_admits_only_zero) {
  // Precision 1 admits only 0; -0 is 0 and the output keeps precision 1.
  expect_outputs("negative", {}, {T({2}, 1, {0, 0})}, {T({2}, 1, {0, 0})});
}

TEST(negative, negative_b1_holds_at_precision_32_extremes) {
  // negative_b1: +-(2^31 - 1) swap; the symmetric range is closed under
  // negation (no -2^31 input whose negation would leave int32).
  expect_outputs("negative", {}, {T({2}, 32, {-2147483647, 2147483647})},
                 {T({2}, 32, {2147483647, -2147483647})});
}

TEST(negative, is_not_in_place) {
  // Upstream's in-place list misspells the op, so its output never shares
  // storage with its input.
  ASSERT_NE(find_op("negative"), nullptr);
  EXPECT_FALSE(find_op("negative")->in_place);
}

TEST(negative, any_attribute_is_attr_c0) {
  expect_rejected("attr_c0", "negative", {{"axis", "0"}}, {T({1}, 8, {0})});
}

}  // namespace
}  // namespace cvm::oracle
