// Row-major offsets (spec/notation.rst, "Shapes and indices"): the flat
// offset of a multi-index e = (e_0, ..., e_{n-1}) in a shape
// d = (d_0, ..., d_{n-1}), in Horner form
//
//   offset_0 = e_0,   offset_k = offset_{k-1} * d_k + e_k,   ravel = offset_{n-1}.
//
// Written as a fold of one step so that the prover can prove the step once
// for symbolic values (proofs/ravel.cc): 0 <= offset < P and 0 <= e < d give
// 0 <= offset * d + e < P * d; by induction over k, an index inside every
// axis has its offset inside the buffer, 0 <= ravel < d_0 ... d_{n-1}, for
// every rank. The step's product of two shape values is the one non-linear
// operation of the index rules (arith.h otherwise allows * by a constant
// only); in int64 it stays below the size limit 2^30 (tensor_c3).
//
// The inverse, unravel, is the kernels' loop over the output: it peels the
// last coordinate off a flat position, j_{n-1} = flat mod d_{n-1}, and goes on
// with flat div d_{n-1}. Its step is proved the same way: 0 <= flat < P d
// gives 0 <= flat mod d < d and 0 <= flat div d < P, so every flat position
// in [0, |d|) gives an index inside every axis.
#pragma once

#include <cstddef>
#include <vector>

#include "cvm/rules/arith.h"

namespace cvm::rules {

/// One Horner step: the offset of (e_0, ..., e_k) in (d_0, ..., d_k) from
/// the offset of (e_0, ..., e_{k-1}) in (d_0, ..., d_{k-1}).
template <class T>
T ravel_step(const T& offset, const T& d, const T& e) {
  return offset * d + e;
}

/// The row-major offset of `e` in shape `d` (same length, at least 1:
/// tensor_c1; the runtime's cvm::ravel gives a rank-0 shape offset 0).
template <class T>
T ravel(const std::vector<T>& e, const std::vector<T>& d) {
  T offset = e[0];  // = ravel_step(0, d_0, e_0)
  for (size_t k = 1; k < d.size(); ++k) offset = ravel_step(offset, d[k], e[k]);
  return offset;
}

/// One step of the inverse: the last coordinate of flat position `flat` in a
/// shape ending in dim d, and the flat position in the shape without it.
template <class T>
struct UnravelStep {
  T coordinate;  ///< flat mod d
  T rest;        ///< flat div d
};

template <class T>
UnravelStep<T> unravel_step(const T& flat, const T& d) {
  return {Arith<T>::floor_mod(flat, d), Arith<T>::floor_div(flat, d)};
}

/// The multi-index of flat position `flat` in shape `d` (dims >= 1:
/// tensor_c2; both operands are non-negative, so floor and truncation agree).
template <class T>
std::vector<T> unravel(const T& flat, const std::vector<T>& d) {
  std::vector<T> j = d;  // N values of T (a Z3 expression has no default); each is overwritten
  T rest = flat;
  for (size_t k = d.size(); k-- > 0;) {
    const UnravelStep<T> s = unravel_step(rest, d[k]);
    j[k] = s.coordinate;
    rest = s.rest;
  }
  return j;
}

}  // namespace cvm::rules
