// Scale selection and requantization planning (tools/quantize/scale.h).
#include "tools/quantize/scale.h"

#include <gtest/gtest.h>

#include <cmath>

namespace cvm::quant {
namespace {

TEST(quantize_scale, range_maps_onto_the_precision) {
  EXPECT_DOUBLE_EQ(scale_for_range(2.0, 8), 63.5);
  EXPECT_DOUBLE_EQ(scale_for_range(1.0, 4), 7.0);
  EXPECT_DOUBLE_EQ(scale_for_range(0.0, 8), 1.0);  // an all-zero tensor
}

TEST(quantize_scale, rounding_is_to_nearest_ties_away_from_zero_and_saturates) {
  EXPECT_EQ(quantize_value(0.5f, 1.0, 8), 1);
  EXPECT_EQ(quantize_value(-0.5f, 1.0, 8), -1);
  EXPECT_EQ(quantize_value(1.49f, 1.0, 8), 1);
  EXPECT_EQ(quantize_value(-2.5f, 1.0, 8), -3);
  EXPECT_EQ(quantize_value(1000.0f, 1.0, 8), 127);
  EXPECT_EQ(quantize_value(-1000.0f, 1.0, 8), -127);  // symmetric: never -128
  EXPECT_EQ(precision_of_values({0}), 1);
  EXPECT_EQ(precision_of_values({127, -3}), 8);
  EXPECT_EQ(precision_of_values({-128}), 9);
}

TEST(quantize_scale, exact_powers_of_two_are_pure_shifts) {
  const Requant r = plan_requant(1.0 / 512, 24, 1.0, 12);
  EXPECT_EQ(r.multiplier, 1);
  EXPECT_EQ(r.pre_shift, 0);
  EXPECT_EQ(r.shift, 9);
  EXPECT_DOUBLE_EQ(r.effective(), 1.0 / 512);
  EXPECT_EQ(plan_requant(1.0, 24, 1.0, 12).describe(), "identity");
}

TEST(quantize_scale, a_shift_is_taken_when_it_keeps_enough_of_the_scale) {
  // ratio 0.3: the shift 2 keeps 0.25 / 0.3 = 83% of the target scale.
  EXPECT_EQ(plan_requant(0.3, 20, 0.8, 12).shift, 2);
  EXPECT_EQ(plan_requant(0.3, 20, 0.8, 12).multiplier, 1);
  // ... which is not enough at 0.9: a multiplier instead.
  const Requant m = plan_requant(0.3, 20, 0.9, 12);
  EXPECT_NE(m.multiplier, 1);
  EXPECT_NEAR(m.effective(), 0.3, 0.3 / 1024);
  EXPECT_GE(m.multiplier, 1024);  // 12-bit multiplier, top bit range [2^10, 2^11)
  EXPECT_LE(m.multiplier, 2047);
}

TEST(quantize_scale, the_product_stays_within_32_bits) {
  for (int p = 8; p <= 32; ++p)
    for (double ratio : {0.9, 0.3, 1.0 / 3000, 1e-6}) {
      const Requant r = plan_requant(ratio, p, 1.0, 12);
      if (r.multiplier == 1) continue;
      const int mbits = static_cast<int>(std::floor(std::log2(static_cast<double>(r.multiplier)))) + 2;
      EXPECT_LE(p - r.pre_shift + mbits, 32) << "p " << p << " ratio " << ratio;
      EXPECT_GE(r.shift, 1);
      EXPECT_NEAR(r.effective(), ratio, ratio / 256) << "p " << p << " ratio " << ratio;
    }
}

}  // namespace
}  // namespace cvm::quant
