// The index function of slice_like (spec/ops/slice_like.rst): the output
// shape (the shape rule) and the coordinate of x an output coordinate copies.
// y is the block of x that starts at coordinate 0 on every axis, so the
// source coordinate is the output coordinate itself; it is a coordinate of x
// because every cropped length is at most x's (slice_like_c3). The reference
// calls both with int64_t; proofs/slice_like_index.cc calls them with Z3
// expressions and proves that every source coordinate lies in x
// (slice_like_b2).
//
// Shapes and multi-indices are std::vector<T>; which axes are cropped is
// structure (a std::vector<bool>), which the lemma enumerates.
#pragma once

#include <cstddef>
#include <vector>

#include "cvm/rules/arith.h"

namespace cvm::rules {

/// The shape rule: shape(y)[i] = like_i for a cropped axis i, x_i otherwise
/// (rank n_x). `cropped` has one entry per axis of x; a cropped axis is an
/// axis of `like` too (slice_like_c1, slice_like_c2).
template <class T>
std::vector<T> slice_like_shape(const std::vector<T>& x, const std::vector<T>& like,
                                const std::vector<bool>& cropped) {
  std::vector<T> out;
  for (size_t i = 0; i < x.size(); ++i) out.push_back(cropped[i] ? like[i] : x[i]);
  return out;
}

/// The coordinate of x that output coordinate `j` copies: j (a prefix block).
template <class T>
std::vector<T> slice_like_source(const std::vector<T>& j) {
  return j;
}

}  // namespace cvm::rules
