// Whether a multi-index lies in a shape: the claim of the index-safety lemmas
// of strided_slice, slice_like, take, sum and max (proofs/*_index.cc), and
// the assertion their reference kernels make before they read, so that the
// runtime checks the very predicate the lemmas prove.
#pragma once

#include <cstddef>
#include <vector>

#include "cvm/rules/arith.h"

namespace cvm::rules {

/// 0 <= i_t <= shape_t - 1 on every axis t. Requires i.size() ==
/// shape.size() >= 1 (the callers compare the lengths first: they are
/// structure, not values).
template <class T>
typename Arith<T>::Bool index_inside(const std::vector<T>& i, const std::vector<T>& shape) {
  const T zero = Arith<T>::lit(i.at(0), 0);
  typename Arith<T>::Bool ok = zero <= i[0] && i[0] <= shape.at(0) - 1;
  for (size_t t = 1; t < i.size(); ++t) ok = ok && zero <= i[t] && i[t] <= shape.at(t) - 1;
  return ok;
}

}  // namespace cvm::rules
