// The quantizer's data files: float calibration / evaluation sets and integer
// labels as NumPy .npy files, read by cvm's one .npy reader (cvm/npy.h,
// spec/model/npy.rst) and converted to the quantizer's types.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "tools/quantize/float_graph.h"

namespace cvm::quant {

/// Reads a float32 or float64 .npy file, either byte order (read_npy_floats:
/// float64 values rounded to float32; non-finite values are rejected).
FTensor read_float_npy(const std::string& path);

/// Reads a .npy file of labels, any shape, of any integer type (read_npy:
/// values must fit int32).
std::vector<int64_t> read_label_npy(const std::string& path);

}  // namespace cvm::quant
