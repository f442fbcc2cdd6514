// Attributes of max (spec/ops/max.rst): the reduce attributes.
#pragma once

#include "cvm/ops/reduce.h"

namespace cvm {

using MaxAttrs = ReduceAttrs;

}  // namespace cvm
