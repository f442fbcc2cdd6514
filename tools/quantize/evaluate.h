// Accuracy of the float model and of the quantized integer model on a
// labelled set: top-1, the first maximum winning ties (as argmax).
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "cvm/backend.h"
#include "cvm/model.h"
#include "tools/quantize/calibrate.h"
#include "tools/quantize/float_graph.h"

namespace cvm::quant {

struct Accuracy {
  int64_t samples = 0;
  int64_t float_correct = 0;
  int64_t int_correct = 0;
  /// Samples whose float and integer top-1 classes agree.
  int64_t agree = 0;
  double float_accuracy() const { return samples ? static_cast<double>(float_correct) / samples : 0; }
  double int_accuracy() const { return samples ? static_cast<double>(int_correct) / samples : 0; }
};

/// Index of the first maximum of row `row` of a (rows, classes) array.
template <typename T>
int64_t argmax_row(const std::vector<T>& values, int64_t row, int64_t classes) {
  int64_t best = 0;
  for (int64_t c = 1; c < classes; ++c)
    if (values[static_cast<size_t>(row * classes + c)] > values[static_cast<size_t>(row * classes + best)]) best = c;
  return best;
}

/// Runs both models over `data` (shape (N, ...)) in batches of the model's
/// batch size; the output must be (B, classes) or (B, classes, 1, 1).
/// With `run_float_model` false only the integer model runs.
Accuracy evaluate(const FloatGraph& g, const std::shared_ptr<const Model>& model, const Backend& backend,
                  double input_scale, const FTensor& data, const std::vector<int64_t>& labels,
                  bool run_float_model, const Progress& progress = {});

}  // namespace cvm::quant
