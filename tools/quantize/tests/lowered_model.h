// A small ONNX model quantized as `cvm quantize` does (simplified, max-abs
// calibration, lowered), written and loaded as a CVM model: what the
// quantizer's tests run and compare with integer models worked out by hand.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "cvm/backend.h"
#include "cvm/graph.h"
#include "cvm/model.h"
#include "cvm/params.h"
#include "cvm/runtime.h"
#include "onnx_builder.h"
#include "tools/quantize/calibrate.h"
#include "tools/quantize/lower.h"

namespace cvm::quant::test {

struct Lowered {
  QuantizedModel q;
  std::string symbol, params;          ///< the model files as written
  std::shared_ptr<const Model> model;  ///< loaded from them
};

/// `onnx` calibrated on `calibration` (max-abs), lowered with `o`, loaded.
inline Lowered lower_and_load(const std::string& onnx, const FTensor& calibration, const QuantOptions& o = {}) {
  const FloatGraph g = simplified(onnx);
  Lowered l{lower(g, calibrate(g, calibration, RangeMethod::kMaxAbs, 100), o), {}, {}, nullptr};
  l.symbol = write_graph_json(l.q.graph);
  l.params = write_params(l.q.params);
  l.model = Model::load(l.symbol, l.params);
  return l;
}

/// The first head of `l` on the integer `input`, on the reference backend.
inline std::vector<int32_t> run_int(const Lowered& l, std::vector<int32_t> input) {
  Runtime rt(l.model, reference_backend());
  const TensorType t = l.model->input_type();
  return rt.run(Tensor{t.shape, t.precision, std::move(input)}).at(0).data;
}

}  // namespace cvm::quant::test
