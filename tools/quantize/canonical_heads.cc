// Canonical forms of the ops of detection heads (docs/quantizer.rst,
// "Detection heads"), called from simplify():
//
//   Resize / Upsample, mode nearest, constant scales (1, 1, s, s) or sizes
//   (N, C, H s, W s) with an integer s
//                            -> Upsample (attr scale s: y[h] = x[h div s]), only
//                               where the ONNX coordinate transformation and
//                               rounding pick exactly that source for every h
//   LeakyRelu                -> LeakyRelu with its alpha explicit (ONNX default 0.01)
//   Softmax                  -> Softmax over the last axis, the only one supported (ONNX's
//                               default axis is -1 from opset 13, 1 before, where it
//                               flattens the axes from it on: the same only when 1
//                               is the last axis)
#include <cmath>

#include "tools/quantize/simplify_util.h"

namespace cvm::quant::detail {
namespace {

int64_t floor_div(int64_t a, int64_t b) {  // b > 0
  return a >= 0 ? a / b : -((-a + b - 1) / b);
}

// The ONNX nearest-neighbour source row for output row r (0 <= r < s) at
// integer scale s, exactly: the original coordinate is num / den with
// den = 2s (asymmetric: r / s; half_pixel: (r + 0.5) / s - 0.5), then
// rounded by `nearest`. Returns false for a mode it does not model.
bool nearest_source(const std::string& transform, const std::string& nearest, int64_t r, int64_t s,
                    int64_t& source) {
  const int64_t den = 2 * s;
  int64_t num = 0;
  if (transform == "asymmetric") num = 2 * r;
  else if (transform == "half_pixel" || transform == "pytorch_half_pixel") num = 2 * r + 1 - s;
  else return false;
  if (nearest == "floor") source = floor_div(num, den);
  else if (nearest == "ceil") source = -floor_div(-num, den);
  else if (nearest == "round_prefer_floor") source = -floor_div(den - 2 * num, 2 * den);  // ceil(x - 1/2)
  else if (nearest == "round_prefer_ceil") source = floor_div(2 * num + den, 2 * den);    // floor(x + 1/2)
  else return false;
  return true;
}

}  // namespace

void canonical_resize(FloatGraph& g, FNode& n, const Shape* x_shape) {
  const std::string mode = n.has("mode") ? n.attrs.at("mode").s : "nearest";
  if (mode != "nearest") fail(n, "mode '" + mode + "' is not supported (only nearest, to the CVM upsampling)");
  // Upsample (opsets 7-9) and Resize of opset 10 (two inputs) take the
  // source h * (in / out), rounded down: asymmetric with floor.
  const bool resize11 = n.op == "Resize" && n.inputs.size() > 2;
  const std::string transform =
      !resize11 ? "asymmetric"
                : n.has("coordinate_transformation_mode") ? n.attrs.at("coordinate_transformation_mode").s : "half_pixel";
  const std::string nearest =
      !resize11 ? "floor" : n.has("nearest_mode") ? n.attrs.at("nearest_mode").s : "round_prefer_floor";
  std::vector<float> scales;
  if (n.op == "Upsample" && n.has("scales")) {
    scales = n.attrs.at("scales").floats;
  } else {
    const size_t at = resize11 ? 2 : 1;
    if (n.inputs.size() > at && !n.inputs[at].empty()) scales = constant(g, n, at, "scales").data;
    if (scales.empty() && resize11 && n.inputs.size() > 3 && !n.inputs[3].empty()) {
      const std::vector<float> sizes = constant(g, n, 3, "sizes").data;
      if (x_shape == nullptr) fail(n, "the input shape is not known, so the sizes cannot be turned into scales");
      if (sizes.size() != x_shape->size()) fail(n, "sizes needs one entry per input axis");
      for (size_t a = 0; a < sizes.size(); ++a)
        scales.push_back(static_cast<float>(int_value(sizes[a])) / static_cast<float>((*x_shape)[a]));
    }
  }
  if (scales.size() != 4 || scales[0] != 1.0f || scales[1] != 1.0f || scales[2] != scales[3] ||
      scales[2] != std::floor(scales[2]) || !(scales[2] >= 1.0f && scales[2] <= 4096.0f))
    fail(n, "only constant scales (1, 1, s, s) (or the sizes they give) with an integer s in [1, 4096] are supported "
            "(the CVM upsampling repeats each element s x s times)");
  const auto s = static_cast<int64_t>(scales[2]);
  for (int64_t r = 0; r < s; ++r) {
    int64_t source = 0;
    if (!nearest_source(transform, nearest, r, s, source))
      fail(n, "coordinate_transformation_mode '" + transform + "' with nearest_mode '" + nearest +
                  "' is not supported (asymmetric, half_pixel or pytorch_half_pixel with floor, ceil, "
                  "round_prefer_floor or round_prefer_ceil)");
    if (source != 0)
      fail(n, "coordinate_transformation_mode '" + transform + "' with nearest_mode '" + nearest + "' at scale " +
                  std::to_string(s) + " does not read row h div s for every output row h (output row " +
                  std::to_string(r) + " reads input row " + std::to_string(source) +
                  "): the CVM upsampling cannot express it");
  }
  n.op = "Upsample";
  n.inputs.resize(1);
  n.attrs.clear();
  n.attrs["scale"].i = s;
}

void canonical_leaky_relu(FNode& n) {
  const float alpha = n.float_attr("alpha", 0.01f);
  if (!std::isfinite(alpha)) fail(n, "alpha must be finite");
  n.attrs["alpha"].f = alpha;
}

void canonical_softmax(const FloatGraph& g, FNode& n, const Shape* x_shape) {
  if (x_shape == nullptr || x_shape->empty()) fail(n, "the input shape is not known");
  const auto rank = static_cast<int64_t>(x_shape->size());
  int64_t axis = n.int_attr("axis", g.opset >= 13 ? -1 : 1);
  if (axis < 0) axis += rank;
  if (axis != rank - 1)
    fail(n, "only a Softmax over the last axis is supported (axis " + std::to_string(n.int_attr("axis", 0)) +
                " of rank " + std::to_string(rank) + ")");
  n.attrs.clear();
}

}  // namespace cvm::quant::detail
