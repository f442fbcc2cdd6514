// The notation helpers of spec/notation.rst, checked on the values that
// distinguish the plausible wrong definitions.
#include <gtest/gtest.h>

#include "cvm/intmath.h"

namespace cvm {
namespace {

TEST(notation, bits_counts_significant_bits) {
  EXPECT_EQ(bits(0), 0);
  EXPECT_EQ(bits(1), 1);
  EXPECT_EQ(bits(2), 2);
  EXPECT_EQ(bits(3), 2);
  EXPECT_EQ(bits(4), 3);  // a power of two needs one more bit than log2
  EXPECT_EQ(bits(uint64_t{1} << 30), 31);
}

TEST(notation, precision_range_is_symmetric) {
  EXPECT_EQ(prec_max(1), 0);
  EXPECT_EQ(prec_max(8), 127);
  EXPECT_EQ(prec_max(32), 2147483647);
  EXPECT_TRUE(in_precision(-127, 8));
  EXPECT_FALSE(in_precision(-128, 8));  // -2^(p-1) is excluded
  EXPECT_FALSE(in_precision(-2147483648LL, 32));
  EXPECT_TRUE(in_precision(0, 1));
  EXPECT_FALSE(in_precision(1, 1));
}

TEST(notation, number_precision_overestimates_at_two_to_the_k_minus_one) {
  EXPECT_EQ(number_precision(126), 8);
  EXPECT_EQ(number_precision(127), 9);
  EXPECT_EQ(number_precision(0), 2);
  EXPECT_EQ(precision_of(127), 8);
  EXPECT_EQ(precision_of(-127), 8);
  EXPECT_EQ(precision_of(128), 9);
  EXPECT_EQ(precision_of(0), 1);
}

TEST(notation, floor_and_truncating_division_differ_on_negatives) {
  EXPECT_EQ(floor_div(-7, 2), -4);
  EXPECT_EQ(trunc_div(-7, 2), -3);
  EXPECT_EQ(floor_div(7, -2), -4);
  EXPECT_EQ(floor_div(-8, 2), -4);
  EXPECT_EQ(floor_mod(-7, 3), 2);
}

TEST(notation, arithmetic_shift_is_floor_division) {
  EXPECT_EQ(shr_floor(-3, 1), -2);  // not -1 (truncation)
  EXPECT_EQ(shr_floor(-1, 40), -1);
  EXPECT_EQ(shr_floor(5, 1), 2);
  EXPECT_EQ(shl(-3, 4), -48);
}

TEST(notation, clip_to_precision) {
  EXPECT_EQ(clip_precision(200, 8), 127);
  EXPECT_EQ(clip_precision(-200, 8), -127);
  EXPECT_EQ(clip(5, -2, 3), 3);
}

}  // namespace
}  // namespace cvm
