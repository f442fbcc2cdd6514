// Reading the quantizer's data files: float calibration / evaluation sets and
// integer labels as NumPy .npy files (little-endian, C order). cvm's own npy
// reader (cvm/npy.h) handles the integer tensors of the inference path; these
// are the float files of the offline tool.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "tools/quantize/float_graph.h"

namespace cvm::quant {

/// Reads a float32 or float64 .npy file (values converted to float).
FTensor read_float_npy(const std::string& path);

/// Reads an integer .npy file of labels (uint8, int32 or int64), any shape.
std::vector<int64_t> read_label_npy(const std::string& path);

}  // namespace cvm::quant
