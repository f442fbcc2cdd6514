// The NodeSpec (cvm/node_spec.h) of a model's node, and every node's kernel
// from a backend's factories: the one place the backends' programs
// (runtime/fast_backend.cc, runtime/cuda_backend.cu) turn a validated graph
// node into a kernel.
#pragma once

#include <cstddef>
#include <memory>
#include <vector>

#include "cvm/errors.h"
#include "cvm/model.h"
#include "cvm/node_spec.h"

namespace cvm {

/// producer[e]: the index of the node whose outputs include entry e.
std::vector<size_t> entry_producers(const ModelGraph& g);

/// Node i's spec: op, attributes, input and output types, and as constants
/// the values of the inputs that are model parameters (variables other than
/// the data node). `producer` is entry_producers(model.graph()).
NodeSpec node_spec(const Model& model, const std::vector<size_t>& producer, size_t i);

/// Each operator node's kernel from its backend's factory for the node's op
/// (find_kernel(op name), a factory taking the NodeSpec; nullptr for a
/// variable). An op without a factory is the RuntimeError `backend`
/// "node i (op): no <kernel_name>"; a RuntimeError the factory throws is
/// relabelled with its node, as a run's errors are.
template <class Kernel, class FindKernel>
std::vector<std::unique_ptr<Kernel>> make_node_kernels(const Model& model, const std::vector<size_t>& producer,
                                                      const char* backend, const char* kernel_name,
                                                      FindKernel find_kernel) {
  const ModelGraph& g = model.graph();
  std::vector<std::unique_ptr<Kernel>> kernels(g.nodes.size());
  for (size_t i = 0; i < g.nodes.size(); ++i) {
    const ModelNode& n = g.nodes[i];
    if (n.is_variable()) continue;
    const auto make = find_kernel(n.op->name);
    if (make == nullptr) throw_runtime(backend, str(g.describe(i), ": no ", kernel_name));
    try {
      kernels[i] = make(node_spec(model, producer, i));
    } catch (const RuntimeError& err) {
      throw in_context(err, g.describe(i));
    }
  }
  return kernels;
}

}  // namespace cvm
