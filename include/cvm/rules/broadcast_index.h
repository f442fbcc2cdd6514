// The broadcast maps of the broadcast_* ops (spec/notation.rst,
// "Broadcasting"; each op's Semantics): shapes aligned from the right, the
// output dim the one that is not 1, and an input of shape (e_0, ..., e_{m-1})
// read by output index j (rank n >= m) at
//
//   src(j)_k = 0 if e_k = 1, else j_{n-m+k}   (k = 0 .. m-1).
//
// The ranks are structural: the prover (proofs/broadcast_index.cc)
// instantiates these per (n, rank(a), rank(b)) with symbolic dims and
// coordinates.
#pragma once

#include <cstddef>
#include <vector>

#include "cvm/rules/arith.h"

namespace cvm::rules {

/// The output dim of two aligned dims that broadcast (equal, or one is 1).
template <class T>
T broadcast_dim(const T& da, const T& db) {
  return Arith<T>::max(da, db);
}

/// The coordinate in an input of shape `e` that output index `j` reads.
template <class T>
std::vector<T> broadcast_source(const std::vector<T>& j, const std::vector<T>& e) {
  const size_t off = j.size() - e.size();
  std::vector<T> src;
  src.reserve(e.size());
  for (size_t k = 0; k < e.size(); ++k)
    src.push_back(Arith<T>::select(e[k] == Arith<T>::lit(e[k], 1), Arith<T>::lit(e[k], 0), j[off + k]));
  return src;
}

}  // namespace cvm::rules
