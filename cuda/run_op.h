// Running one operator on the CUDA kernels, outside a model: the oracle's
// cuda == reference tests and properties and the CUDA benchmarks use it.
#pragma once

#include <string_view>
#include <vector>

#include "cvm/attrs.h"
#include "cvm/tensor.h"

namespace cvm::cuda {

/// The value device output buffers are filled with before a kernel runs: it
/// is outside every precision, so an element a kernel forgets to write can
/// never equal the reference's value.
inline constexpr int32_t kPoison = INT32_MIN;

/// Validates like the reference (LogicError on invalid types or on values
/// outside their precision, tensor_c5), builds the node's kernel with input
/// i treated as a packed constant where constant[i] is true, uploads the
/// inputs, fills the outputs with kPoison, launches, waits and downloads.
/// RuntimeError("cuda") when no device is usable.
std::vector<Tensor> run_cuda_op(std::string_view op, const AttrMap& attrs, const std::vector<Tensor>& inputs,
                                const std::vector<bool>& constant = {});

}  // namespace cvm::cuda
