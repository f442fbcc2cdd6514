#include "tools/quantize/float_npy.h"

#include <utility>

#include "cvm/npy.h"

namespace cvm::quant {

FTensor read_float_npy(const std::string& path) {
  NpyFloatArray a = read_npy_floats(path);
  return FTensor{std::move(a.shape), std::move(a.data)};
}

std::vector<int64_t> read_label_npy(const std::string& path) {
  const NpyArray a = read_npy(path);
  return {a.data.begin(), a.data.end()};
}

}  // namespace cvm::quant
