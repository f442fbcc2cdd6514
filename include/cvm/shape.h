// Shapes and row-major indexing (spec/notation.rst, "Shapes and indices").
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace cvm {

/// A tensor shape: dims d_0 .. d_{n-1}, row-major, d_0 outermost.
using Shape = std::vector<int64_t>;
/// A multi-index into a shape, same length as the shape.
using Index = std::vector<int64_t>;

inline constexpr int kMaxRank = 6;                       ///< tensor_c1: a tensor has at most 6 dims.
inline constexpr int64_t kMaxDim = int64_t{1} << 24;     ///< tensor_c2: every dim is at most 2^24.
inline constexpr int64_t kMaxSize = int64_t{1} << 30;    ///< tensor_c3: a tensor has at most 2^30 elements.

/// |S|: the product of the dims (1 for a rank-0 shape).
int64_t shape_size(const Shape& shape);

/// Row-major strides: stride[n-1] = 1, stride[i] = stride[i+1] * d_{i+1}.
std::vector<int64_t> row_major_strides(const Shape& shape);

/// The flat offset of `index` in `shape` (row-major).
int64_t ravel(const Index& index, const Shape& shape);

/// The multi-index of flat offset `flat` in `shape` (inverse of ravel).
Index unravel(int64_t flat, const Shape& shape);

/// "(2, 3, 4)" - for error messages.
std::string shape_str(const Shape& shape);

/// Normalizes an axis in [-rank, rank-1] to [0, rank-1]; a value outside is a
/// LogicError carrying `label` and naming `what` (e.g. "axis").
int64_t normalize_axis(int64_t axis, int64_t rank, const char* label, const char* what);

/// The numpy-style broadcast of two shapes, aligned from the right; missing
/// leading dims count as 1; each dim pair must be equal or contain a 1, else
/// LogicError(label).
Shape broadcast_shapes(const Shape& a, const Shape& b, const char* label);

/// The coordinate in `in_shape` that broadcast output coordinate `out_index`
/// reads: right-aligned, 0 on every dim where in_shape has 1.
Index broadcast_source(const Index& out_index, const Shape& in_shape);

}  // namespace cvm
