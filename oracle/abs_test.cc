// abs: edge cases and the bound label (spec/ops/abs.rst). abs has no
// op-specific constraints.
#include "support.h"

namespace cvm::oracle {
namespace {

TEST(abs, signs_and_zero) {
  // Distinguishes |x| from x, -x and max(x, 0): negatives flip, zero and
  // positives pass unchanged; shape and precision are kept.
  expect_outputs("abs", {}, {T({2, 2}, 4, {-7, -1, 0, 6})}, {T({2, 2}, 4, {7, 1, 0, 6})}, 1);
}

TEST(abs, precision_1_admits_only_zero) {
  // Precision 1 admits only 0; the output keeps precision 1.
  expect_outputs("abs", {}, {T({3}, 1, {0, 0, 0})}, {T({3}, 1, {0, 0, 0})});
}

TEST(abs, abs_b1_holds_at_precision_32_extremes) {
  // abs_b1: -(2^31 - 1) maps to 2^31 - 1, still in precision 32 (the
  // symmetric range excludes -2^31, whose magnitude would not fit int32).
  expect_outputs("abs", {}, {T({3}, 32, {-2147483647, 2147483647, -1})},
                 {T({3}, 32, {2147483647, 2147483647, 1})});
}

TEST(abs, abs_b1_holds_at_precision_8_extremes) {
  // -127 (the smallest value of precision 8) maps to 127.
  expect_outputs("abs", {}, {T({2}, 8, {-127, 127})}, {T({2}, 8, {127, 127})});
}

TEST(abs, any_attribute_is_attr_c0) {
  // abs reads no attributes.
  expect_rejected("attr_c0", "abs", {{"precision", "8"}}, {T({1}, 8, {0})});
}

TEST(abs, input_outside_its_precision_is_tensor_c5) {
  // -128 has no precision 8 (symmetric range), so it never reaches the kernel.
  expect_rejected("tensor_c5", "abs", {}, {T({1}, 8, {-128})});
}

}  // namespace
}  // namespace cvm::oracle
