// Attributes of sum (spec/ops/sum.rst): the reduce attributes.
#pragma once

#include "cvm/ops/reduce.h"

namespace cvm {

using SumAttrs = ReduceAttrs;

}  // namespace cvm
