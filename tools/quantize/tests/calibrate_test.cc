// Calibration ranges (tools/quantize/calibrate.h): max |x|, and a percentile
// of |x| that ignores rare outliers.
#include "tools/quantize/calibrate.h"

#include <gtest/gtest.h>

#include "cvm/errors.h"
#include "onnx_builder.h"
#include "tools/quantize/onnx_import.h"
#include "tools/quantize/simplify.h"

namespace cvm::quant {
namespace {

// One Relu over 1000 one-value samples: 999 of |x| = 1 (half negative) and
// one outlier 100.
struct Fixture {
  FloatGraph g;
  FTensor data{{1000, 1}, std::vector<float>(1000)};
  Fixture() {
    test::OnnxBuilder b({1, 1}, {1, 1});
    b.node("Relu", "relu", {"x"}, "y");
    g = import_onnx(b.bytes());
    simplify(g);
    for (size_t i = 0; i < 1000; ++i) data.data[i] = i % 2 ? 1.0f : -1.0f;
    data.data[500] = 100.0f;
  }
};

TEST(quantize_calibrate, maxabs_is_the_largest_magnitude_per_tensor) {
  Fixture f;
  const Ranges r = calibrate(f.g, f.data, RangeMethod::kMaxAbs, 100);
  EXPECT_EQ(r.samples, 1000);
  EXPECT_DOUBLE_EQ(r.range.at("x"), 100.0);
  EXPECT_DOUBLE_EQ(r.range.at("y"), 100.0);  // the Relu keeps the outlier
  EXPECT_EQ(r.shape.at("y"), (Shape{1, 1}));
}

TEST(quantize_calibrate, a_percentile_ignores_a_rare_outlier) {
  Fixture f;
  const Ranges r = calibrate(f.g, f.data, RangeMethod::kPercentile, 99.0);
  // 999 of 1000 |x| are 1, in bin floor(1 / 100 * 4096) = 40, whose upper
  // edge is 41 / 4096 * 100.
  EXPECT_DOUBLE_EQ(r.range.at("x"), 100.0 * 41 / 4096);
  // At 99.95% the outlier must be covered: the top bin's edge, 100.
  EXPECT_DOUBLE_EQ(calibrate(f.g, f.data, RangeMethod::kPercentile, 99.95).range.at("x"), 100.0);
}

TEST(quantize_calibrate, a_sample_shape_unlike_the_input_is_rejected) {
  Fixture f;
  const FTensor bad{{10, 2}, std::vector<float>(20)};
  EXPECT_THROW(calibrate(f.g, bad, RangeMethod::kMaxAbs, 100), LogicError);
}

}  // namespace
}  // namespace cvm::quant
