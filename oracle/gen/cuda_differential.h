// cuda == reference, bit for bit: the comparison behind the CUDA tests,
// properties and the cuda_op_diff fuzz target (gen::fast_vs_reference's
// counterpart, same report format).
#pragma once

#include <string>
#include <vector>

#include "cvm/attrs.h"
#include "cvm/tensor.h"

namespace cvm::gen {

/// Runs `op` on the reference and on the CUDA kernels, the inputs passed as
/// runtime values and as packed constants. "" when every run equals the
/// reference bit for bit or rejects alike (same class and label); otherwise
/// a report naming op, attrs, shapes, the first differing coordinate, both
/// values and the inputs. Needs a device (RuntimeError "cuda" otherwise
/// shows up in the report).
std::string cuda_vs_reference(const std::string& op, const AttrMap& attrs, const std::vector<Tensor>& inputs);

}  // namespace cvm::gen
