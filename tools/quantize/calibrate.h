// Calibration: run the float model over a data set and record, for every
// tensor, the range its values reach (and its shape).
#pragma once

#include <functional>
#include <map>
#include <string>

#include "tools/quantize/float_graph.h"

namespace cvm::quant {

enum class RangeMethod {
  kMaxAbs,      ///< max |x| over the whole set
  kPercentile,  ///< the given percentile of |x| (a 4096-bin histogram over [0, max |x|])
};

struct Ranges {
  std::map<std::string, double> range;  ///< tensor name -> calibrated range (>= 0)
  std::map<std::string, Shape> shape;   ///< tensor name -> shape (batch included)
  int64_t samples = 0;
};

/// Progress callback: (samples done, samples in total).
using Progress = std::function<void(int64_t done, int64_t total)>;

/// Samples [first, first + count) of `data` (shape (N, ...)) as one tensor.
FTensor slice_samples(const FTensor& data, int64_t first, int64_t count);

/// How many model batches calibrate() runs through the float executor in
/// one call, when the graph keeps samples apart (see calibrate()).
inline constexpr int64_t kCalibrationBatchesPerRun = 4;

/// Calibrates `g` on `data`, whose first dimension counts samples and whose
/// other dimensions equal the model input's (after its batch dimension). The
/// model's batch B groups samples; a remainder of fewer than B is ignored.
/// Where every node of `g` computes each sample on its own (the canonical
/// ops, with Flatten, Reshape, Concat and Transpose keeping dimension 0 the
/// batch), up to `batches_per_run` batches go through the executor at once
/// (wider GEMMs, fewer calls); the ranges are the same either way.
Ranges calibrate(const FloatGraph& g, const FTensor& data, RangeMethod method, double percentile,
                 const Progress& progress = {}, int64_t batches_per_run = kCalibrationBatchesPerRun);

}  // namespace cvm::quant
