// The loop of the ops that only move elements (transpose, tile, repeat,
// slice_like, take): each output element is x at a source index that the
// op's index function (include/cvm/rules/<op>_index.h) gives.
//
// Only the loop and the index assertions live here; each op passes its index
// function (a lambda, inlined) and its labels, string literals, from
// reference/<op>.cc.
#pragma once

#include <cstdint>

#include "cvm/errors.h"
#include "cvm/rules/index_inside.h"
#include "cvm/shape.h"
#include "cvm/tensor.h"
#include "output_loop.h"

namespace cvm {

/// y[j] = x[source(j)] for every multi-index j of y (row-major). The flat
/// offset of source(j) in x is asserted to lie in x, the op's index bound
/// `offset_label` (<op>_b2); the value is checked against its output bound
/// `bound_label` (<op>_b1).
template <class Source>
void gather_elements(const Tensor& x, Tensor& y, const char* bound_label, const char* offset_label,
                     Source source) {
  fill_output(y, bound_label, [&](int64_t flat) {
    const int64_t o = ravel(source(unravel(flat, y.shape)), x.shape);
    CVM_BOUND(o >= 0 && o < x.size(), offset_label, "y[", flat, "] reads offset ", o);
    return int64_t{x.data[static_cast<size_t>(o)]};
  });
}

/// x at multi-index `src`, after asserting that `src` names an element of x
/// (one coordinate per axis, each inside its extent): the op's index bound
/// `label`.
inline int64_t at_inside(const Tensor& x, const Index& src, const char* label) {
  CVM_BOUND(src.size() == x.shape.size() && rules::index_inside(src, x.shape), label,
            "source index ", shape_str(src));
  return x.at(src);
}

}  // namespace cvm
