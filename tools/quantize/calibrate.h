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

/// Calibrates `g` on `data`, whose first dimension counts samples and whose
/// other dimensions equal the model input's (after its batch dimension). The
/// model's batch B groups samples; a remainder of fewer than B is ignored.
Ranges calibrate(const FloatGraph& g, const FTensor& data, RangeMethod method, double percentile,
                 const Progress& progress = {});

}  // namespace cvm::quant
