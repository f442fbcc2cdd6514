// The taps of one window axis that fall inside the input, shared by the
// windowed NCHW kernels (conv2d, max_pool2d).
//
// Only index bookkeeping lives here; each op keeps its own formula, labels
// and bound assertions in reference/<op>.cc.
#pragma once

#include <cstdint>

#include "cvm/rules/window_index.h"

namespace cvm {

/// The taps t in [0, count) of one window axis whose input coordinate
/// coord(t) (rules::window_coord) names a cell of an axis of extent `extent`
/// (rules::in_extent); the others are padding cells. coord grows with t
/// (stride and dilation are >= 1), so these taps are one interval
/// [begin, end), empty when the whole axis of the window is padding. It is
/// found with the pages' own predicate, so that a kernel may loop over it
/// instead of testing every cell.
struct Taps {
  int64_t begin = 0;
  int64_t end = 0;
};

template <class Coord>
Taps taps_inside(int64_t count, int64_t extent, Coord coord) {
  Taps t;
  while (t.begin < count && !rules::in_extent(coord(t.begin), extent)) ++t.begin;
  t.end = t.begin;
  while (t.end < count && rules::in_extent(coord(t.end), extent)) ++t.end;
  return t;
}

}  // namespace cvm
