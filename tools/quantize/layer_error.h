// The quantization-error report (docs/quantizer.rst, "Quantization error
// report"): per layer, how far the integer model's tensor, dequantized with
// the layer's scale, is from the float model's on the same samples.
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "cvm/backend.h"
#include "cvm/model.h"
#include "tools/quantize/float_graph.h"
#include "tools/quantize/lower.h"

namespace cvm::quant {

/// Float tensor x against the dequantized integer one q / S, over samples.
struct TensorError {
  bool measured = false;  ///< false: no integer counterpart was observed
  double rel_l2 = 0;      ///< ||x - q / S|| / ||x|| (0 where x is all zero)
  double max_abs = 0;     ///< max |x - q / S|
  double float_max = 0;   ///< max |x| over the samples (to read max_abs against)
};

struct ErrorReport {
  int64_t samples = 0;
  std::vector<TensorError> layers;  ///< one per QuantizedModel::layers row
  TensorError output;               ///< the model output (end to end): outputs[0]
  std::vector<TensorError> outputs; ///< every model output (CVM head), in order
};

/// Runs the float graph and the integer model (every node observed, on
/// `backend`) over the first `max_samples` samples of `data` (shape (N, ...);
/// whole model batches, at least one; none for `max_samples` 0; the input
/// quantized as input.npy is) and compares each layer's float output with
/// its integer one.
ErrorReport measure_errors(const FloatGraph& g, const QuantizedModel& q, const std::shared_ptr<const Model>& model,
                           const Backend& backend, const FTensor& data, int64_t max_samples);

}  // namespace cvm::quant
