// cvm_precision: edge cases and the bound label (spec/ops/cvm_precision.rst).
// cvm_precision has no op-specific constraints.
#include "support.h"

namespace cvm::oracle {
namespace {

TEST(cvm_precision, zero_gives_one) {
  // Quirk: 0 gives 1 (like 1 and -1), not bits(0) = 0.
  expect_outputs("cvm_precision", {}, {T({3}, 8, {0, 1, -1})}, {T({3}, 6, {1, 1, 1})}, 1);
}

TEST(cvm_precision, powers_of_two_boundaries) {
  // Distinguishes bits(|x|) = ceil(log2(|x| + 1)) from ceil(log2 |x|) and
  // floor(log2 |x|): 2^k - 1 and 2^k fall on different counts; the sign is
  // ignored (-4 and 4 agree), and the count is not the precision of x (which
  // would be one more).
  expect_outputs("cvm_precision", {}, {T({2, 4}, 8, {2, 3, 4, -4, 7, -8, 126, 127})},
                 {T({2, 4}, 6, {2, 2, 3, 3, 3, 4, 7, 7})});
}

TEST(cvm_precision, output_precision_is_6_for_any_input_precision) {
  // Precision 1 admits only 0: every output is 1, and p_y is still 6.
  expect_outputs("cvm_precision", {}, {T({2}, 1, {0, 0})}, {T({2}, 6, {1, 1})});
}

TEST(cvm_precision, cvm_precision_b1_holds_at_precision_32_extremes) {
  // cvm_precision_b1: the largest magnitude of precision 32 has 31 bits,
  // exactly R(6) = 31; 2^30 is the first value with 31 bits.
  expect_outputs("cvm_precision", {},
                 {T({4}, 32, {2147483647, -2147483647, 1073741824, 1073741823})},
                 {T({4}, 6, {31, 31, 31, 30})});
}

TEST(cvm_precision, any_attribute_is_attr_c0) {
  expect_rejected("attr_c0", "cvm_precision", {{"precision", "6"}}, {T({1}, 8, {0})});
}

}  // namespace
}  // namespace cvm::oracle
