#include "gen/values.h"

#include "cvm/intmath.h"

namespace cvm::gen {

int32_t extreme_value(Chooser& c, int precision) {
  const int64_t r = prec_max(precision);
  switch (c.range(0, 4)) {
    case 0: return static_cast<int32_t>(r);
    case 1: return static_cast<int32_t>(-r);
    case 2: return 0;
    case 3: return static_cast<int32_t>(std::min<int64_t>(1, r));
    default: return static_cast<int32_t>(-std::min<int64_t>(1, r));
  }
}

int32_t random_value(Chooser& c, int precision) {
  const int64_t r = prec_max(precision);
  if (c.range(0, 3) == 0) return extreme_value(c, precision);
  return static_cast<int32_t>(c.range(-r, r));
}

Tensor random_tensor(Chooser& c, const TensorType& type, bool extremes_only) {
  Tensor t{type.shape, type.precision, std::vector<int32_t>(static_cast<size_t>(shape_size(type.shape)))};
  for (int32_t& v : t.data) v = extremes_only ? extreme_value(c, type.precision) : random_value(c, type.precision);
  return t;
}

}  // namespace cvm::gen
