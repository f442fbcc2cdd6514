#include "cvm/shape.h"

#include "cvm/errors.h"
#include "cvm/rules/broadcast_index.h"
#include "cvm/rules/ravel.h"

namespace cvm {

int64_t shape_size(const Shape& shape) {
  int64_t n = 1;
  for (int64_t d : shape) n *= d;
  return n;
}

std::vector<int64_t> row_major_strides(const Shape& shape) {
  std::vector<int64_t> stride(shape.size(), 1);
  for (size_t i = shape.size(); i-- > 1;) stride[i - 1] = stride[i] * shape[i];
  return stride;
}

int64_t ravel(const Index& index, const Shape& shape) {
  // The rule (proved in proofs/ravel.cc) needs rank >= 1; a rank-0 shape
  // holds one element, at offset 0.
  return shape.empty() ? 0 : rules::ravel(index, shape);
}

Index unravel(int64_t flat, const Shape& shape) {
  return rules::unravel(flat, shape);  // proved in proofs/ravel.cc
}

std::string shape_str(const Shape& shape) {
  std::string s = "(";
  for (size_t i = 0; i < shape.size(); ++i) {
    if (i) s += ", ";
    s += std::to_string(shape[i]);
  }
  if (shape.size() == 1) s += ",";
  return s + ")";
}

int64_t normalize_axis(int64_t axis, int64_t rank, const char* label, const char* what) {
  CVM_REQUIRE(axis >= -rank && axis < rank, label, what, " = ", axis, " is outside [", -rank,
              ", ", rank - 1, "] for rank ", rank);
  return axis < 0 ? axis + rank : axis;
}

Shape broadcast_shapes(const Shape& a, const Shape& b, const char* label) {
  const size_t n = a.size() > b.size() ? a.size() : b.size();
  Shape out(n, 1);
  for (size_t k = 0; k < n; ++k) {  // k counts from the right
    const int64_t da = k < a.size() ? a[a.size() - 1 - k] : 1;
    const int64_t db = k < b.size() ? b[b.size() - 1 - k] : 1;
    CVM_REQUIRE(da == db || da == 1 || db == 1, label, "shapes ", shape_str(a), " and ",
                shape_str(b), " do not broadcast: dim ", da, " vs ", db);
    out[n - 1 - k] = rules::broadcast_dim(da, db);
  }
  return out;
}

Index broadcast_source(const Index& out_index, const Shape& in_shape) {
  return rules::broadcast_source(out_index, in_shape);  // proved in proofs/broadcast_index.cc
}

}  // namespace cvm
