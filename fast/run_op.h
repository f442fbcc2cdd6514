// Running one operator on the fast kernels, outside a model: the oracle's
// fast == reference properties and the per-op benchmarks use it.
#pragma once

#include <string_view>
#include <vector>

#include "cvm/attrs.h"
#include "cvm/tensor.h"
#include "fast/kernel.h"
#include "fast/thread_pool.h"

namespace cvm::fast {

/// The value output buffers are filled with before a fast kernel runs. It is
/// outside every precision, so an element a kernel forgets to write can
/// never equal the reference's value.
inline constexpr int32_t kPoison = INT32_MIN;

/// Validates like the reference (LogicError on invalid types or on values
/// outside their precision, tensor_c5), builds the
/// node's kernel with input i treated as a packed constant where
/// constant[i] is true (missing entries: false), fills the outputs with
/// kPoison and runs the kernel on `pool` made with `options` and run at its
/// level (lowered by cap_to_cpu where the CPU lacks it).
std::vector<Tensor> run_fast_op(std::string_view op, const AttrMap& attrs,
                                const std::vector<Tensor>& inputs, ThreadPool& pool,
                                const KernelOptions& options, const std::vector<bool>& constant = {});
/// The same at the CPU's own level (cpu_isa()), every input a run-time one.
inline std::vector<Tensor> run_fast_op(std::string_view op, const AttrMap& attrs,
                                       const std::vector<Tensor>& inputs, ThreadPool& pool) {
  return run_fast_op(op, attrs, inputs, pool, KernelOptions{.isa = cpu_isa()});
}

}  // namespace cvm::fast
