// Attributes of max (spec/ops/max.rst): the reduce attributes.
#pragma once

#include "cvm/ops/reduce.h"

namespace cvm {

/// The attributes of max: the same four as sum's (ReduceAttrs).
using MaxAttrs = ReduceAttrs;

}  // namespace cvm
