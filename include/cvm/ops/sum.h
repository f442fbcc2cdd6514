// Attributes of sum (spec/ops/sum.rst): the reduce attributes.
#pragma once

#include "cvm/ops/reduce.h"

namespace cvm {

/// The attributes of sum: the same four as max's (ReduceAttrs).
using SumAttrs = ReduceAttrs;

}  // namespace cvm
