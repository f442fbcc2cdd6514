// conv2d and dense kernels with a fused epilogue (cvm/epilogue.h): the
// engine (runtime/fast_backend.cc) runs a chain conv2d|dense -> cvm_right_shift |
// relu | clip | cvm_clip ... found by runtime/epilogue_chains.h as one
// kernel that applies the steps to each biased sum before storing it.
#pragma once

#include <memory>
#include <string_view>

#include "cvm/epilogue.h"
#include "fast/kernel.h"

namespace cvm::fast {

/// conv2d / dense kernels with the epilogue applied before each store;
/// spec is the conv2d/dense node, its output type replaced by the chain's
/// last output type; options as for make_<op> (fast/kernel.h).
std::unique_ptr<NodeKernel> make_conv2d_fused(const NodeSpec& spec, const Epilogue& epilogue,
                                              const KernelOptions& options);
std::unique_ptr<NodeKernel> make_dense_fused(const NodeSpec& spec, const Epilogue& epilogue,
                                             const KernelOptions& options);

using FusedKernelFactory =
    std::unique_ptr<NodeKernel> (*)(const NodeSpec&, const Epilogue&, const KernelOptions&);

/// make_<op>_fused for an op that spec/ops.json marks takes_epilogue, else
/// nullptr.
FusedKernelFactory find_fused_kernel(std::string_view op);

}  // namespace cvm::fast
