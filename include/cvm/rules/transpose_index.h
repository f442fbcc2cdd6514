// transpose's shape and index functions (spec/ops/transpose.rst): for the
// normalized permutation a_0 .. a_{N-1},
//
//   shape(y) = (d_{a_0}, ..., d_{a_{N-1}}),   y[j] = x[e] with e_{a_i} = j_i.
//
// The permutation is structural (a plain int64 vector): the prover
// (proofs/transpose_index.cc) instantiates these with every permutation of
// every rank 1..6 and symbolic dims and coordinates.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "cvm/rules/arith.h"

namespace cvm::rules {

/// (d_{a_0}, ..., d_{a_{N-1}}).
template <class T>
std::vector<T> transpose_shape(const std::vector<T>& d, const std::vector<int64_t>& a) {
  std::vector<T> out;
  out.reserve(a.size());
  for (int64_t ai : a) out.push_back(d[static_cast<size_t>(ai)]);
  return out;
}

/// The input index e with e_{a_i} = j_i. Starts as a copy of j only to have
/// N values of T (a Z3 expression has no default): a is a permutation
/// (transpose_c1 .. transpose_c3), so every entry is overwritten.
template <class T>
std::vector<T> transpose_source(const std::vector<T>& j, const std::vector<int64_t>& a) {
  std::vector<T> e = j;
  for (size_t i = 0; i < a.size(); ++i) e[static_cast<size_t>(a[i])] = j[i];
  return e;
}

}  // namespace cvm::rules
