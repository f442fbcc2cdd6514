// A ResNet-18-shaped CVM model for benchmarks: the conv and fc layers of
// ResNet-18 (1.81 GMAC at batch 1) with cvm_right_shift, relu, max_pool2d and
// elemwise_add between them, random 8-bit weights from a seed and shifts
// calibrated on the bundled input (resnet18.cc), so that every layer carries
// values. Not a trained network: its outputs mean nothing, its cost is the
// real one.
#pragma once

#include <cstdint>

#include "make_examples.h"

namespace cvm::examples {

struct ResNetModel {
  ExampleModel files;        ///< name "resnet18", symbol, params, input.npy
  int64_t macs = 0;          ///< multiply-adds of the conv2d and dense nodes
};

/// Input `data` (batch, 3, 224, 224) at precision 8; output (batch, 1000).
ResNetModel make_resnet18(int64_t batch = 1, uint64_t seed = kDefaultSeed);

}  // namespace cvm::examples
