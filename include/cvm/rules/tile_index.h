// tile's shape and index functions (spec/ops/tile.rst): with x of shape
// (d_0, ..., d_{N-1}), reps (r_0, ..., r_{M-1}) and K = max(N, M), both
// padded on the left with 1s to length K (d', r'):
//
//   shape(y) = (d'_0 r'_0, ..., d'_{K-1} r'_{K-1}),
//   y[j] = x[e] with e_t = j_{K-N+t} mod d_t (t = 0 .. N-1).
//
// N, M and K are structural (vector lengths): the prover
// (proofs/tile_index.cc) instantiates these per (N, M) with symbolic dims,
// reps and coordinates.
#pragma once

#include <algorithm>
#include <cstddef>
#include <vector>

#include "cvm/rules/arith.h"

namespace cvm::rules {

/// (d'_0 r'_0, ..., d'_{K-1} r'_{K-1}); d and r are not empty (tensor_c1,
/// tile_c1). Each product is at most 2^24 * 4096 = 2^36 (int64).
template <class T>
std::vector<T> tile_shape(const std::vector<T>& d, const std::vector<T>& r) {
  const size_t N = d.size();
  const size_t M = r.size();
  const size_t K = std::max(N, M);
  const T one = Arith<T>::lit(d[0], 1);
  std::vector<T> out;
  out.reserve(K);
  for (size_t k = 0; k < K; ++k) {
    const T dk = k < K - N ? one : d[k - (K - N)];
    const T rk = k < K - M ? one : r[k - (K - M)];
    out.push_back(dk * rk);
  }
  return out;
}

/// The input index e of output index j (length K >= N = d.size()):
/// e_t = j_{K-N+t} mod d_t, the floor remainder.
template <class T>
std::vector<T> tile_source(const std::vector<T>& j, const std::vector<T>& d) {
  const size_t N = d.size();
  const size_t K = j.size();
  std::vector<T> e;
  e.reserve(N);
  for (size_t t = 0; t < N; ++t) e.push_back(Arith<T>::floor_mod(j[K - N + t], d[t]));
  return e;
}

}  // namespace cvm::rules
