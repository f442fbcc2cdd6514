// The NodeSpec (cvm/node_spec.h) of a model's node: the one place the
// backends' programs (runtime/fast_backend.cc, runtime/cuda_backend.cu) turn
// a validated graph node into what their kernel factories take.
#pragma once

#include <cstddef>
#include <vector>

#include "cvm/model.h"
#include "cvm/node_spec.h"

namespace cvm {

/// producer[e]: the index of the node whose outputs include entry e.
std::vector<size_t> entry_producers(const ModelGraph& g);

/// Node i's spec: op, attributes, input and output types, and as constants
/// the values of the inputs that are model parameters (variables other than
/// the data node). `producer` is entry_producers(model.graph()).
NodeSpec node_spec(const Model& model, const std::vector<size_t>& producer, size_t i);

}  // namespace cvm
