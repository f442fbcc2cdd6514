// The index functions of the windowed NCHW ops conv2d and max_pool2d
// (spec/ops/conv2d.rst, spec/ops/max_pool2d.rst): where a window cell sits in
// the input, whether it is a cell of the input or padding, which input
// channel a grouped convolution reads, and the row-major offset of a rank-4
// index. The reference kernels call them with int64_t; proofs/conv2d_index.cc
// and proofs/max_pool2d_index.cc call them with Z3 expressions and prove that
// every offset they compute lies in its buffer (conv2d_b3, max_pool2d_b3).
//
// Plain integer arithmetic only (see arith.h): with the dims and attributes
// the pages allow, every value here stays far inside int64 (the lemmas bound
// them), so nothing wraps.
#pragma once

#include "cvm/rules/arith.h"

namespace cvm::rules {

/// The input coordinate of window cell `k` of the window at output position
/// `o`, along one spatial axis: o * stride + k * dilation - pad. conv2d's
/// r S_H + u D_H - P_H; max_pool2d's h' S_H + r - P_H is the same with
/// dilation 1 (its window cells are adjacent). Negative, or at least the
/// extent, means the cell is not a cell of the input (see in_extent).
template <class T>
T window_coord(const T& o, const T& k, const T& stride, const T& dilation, const T& pad) {
  return o * stride + k * dilation - pad;
}

/// Whether coordinate `i` names a cell of an axis of extent `d`: 0 <= i < d.
/// The kernels test every window coordinate with it before they read: a
/// coordinate outside is padding (conv2d reads it as 0, max_pool2d skips it),
/// so it is never used as an index.
template <class T>
typename Arith<T>::Bool in_extent(const T& i, const T& d) {
  return Arith<T>::lit(i, 0) <= i && i < d;
}

/// The input channel that input channel `ic` of output channel `oc`'s group
/// is, in a convolution with `opg` output and `icg` input channels per group:
/// (oc div opg) * icg + ic. Output channel oc belongs to group oc div opg,
/// whose input channels are the icg channels from (oc div opg) * icg on.
template <class T>
T group_input_channel(const T& oc, const T& opg, const T& icg, const T& ic) {
  return Arith<T>::floor_div(oc, opg) * icg + ic;
}

/// The row-major offset of index (i0, i1, i2, i3) in a rank-4 shape
/// (d0, d1, d2, d3): ((i0 d1 + i1) d2 + i2) d3 + i3 (d0 bounds i0 only, so it
/// is no argument). In [0, d0 d1 d2 d3) when every 0 <= i_k < d_k.
template <class T>
T offset4(const T& i0, const T& i1, const T& i2, const T& i3, const T& d1, const T& d2,
          const T& d3) {
  return ((i0 * d1 + i1) * d2 + i2) * d3 + i3;
}

}  // namespace cvm::rules
