// Builders: get_valid_counts, non_max_suppression.
#include <algorithm>
#include <limits>
#include <string>

#include "gen/op_cases_internal.h"

namespace cvm::gen::detail {
namespace {

int64_t min1(int64_t v) { return std::max<int64_t>(1, v); }

std::optional<Draft> get_valid_counts(Ctx& g) {
  Chooser& c = g.c;
  TensorType x;
  if (auto t = g.input0([](const TensorType& t0) {
        return t0.shape.size() == 3 && t0.shape[2] >= 2 && t0.shape[2] <= 31;
      })) {
    x = *t;
  } else {
    const int64_t k = c.coin() ? c.pick(std::vector<int64_t>{2, 6, 31}) : c.range(2, 31);
    const int64_t rows = min1(g.max_elements / k);
    const int64_t b = random_dim(c, std::min<int64_t>(rows, 4));
    const int64_t nn = random_dim(c, std::min<int64_t>(min1(rows / b), 65));
    x.shape = {b, nn, k};
    x.precision = g.prec(1, 32);
  }
  Draft d{{}, {x}};
  switch (c.range(0, 5)) {
    case 0: break;
    case 1: d.attrs["score_threshold"] = itos(0); break;
    case 2: d.attrs["score_threshold"] = itos(c.range(-3, 3)); break;
    case 3:
      d.attrs["score_threshold"] =
          itos(c.coin() ? std::numeric_limits<int32_t>::min() : std::numeric_limits<int32_t>::max());
      break;
    default:
      d.attrs["score_threshold"] =
          itos(c.range(std::numeric_limits<int32_t>::min(), std::numeric_limits<int32_t>::max()));
      break;
  }
  return d;
}

/// An int32 limit attribute (top_k, max_output_size): any int32, mostly
/// around the number of boxes.
int64_t limit_value(Chooser& c, int64_t n) {
  switch (c.range(0, 5)) {
    case 0: return -1;
    case 1: return c.coin() ? std::numeric_limits<int32_t>::min() : c.range(-5, -1);
    case 2: return 0;
    case 3: return c.coin() ? std::numeric_limits<int32_t>::max() : n + c.range(0, 3);
    default: return c.range(1, std::max<int64_t>(1, n));
  }
}

std::optional<Draft> non_max_suppression(Ctx& g) {
  Chooser& c = g.c;
  TensorType data;
  if (auto t = g.input0([](const TensorType& t0) { return t0.shape.size() == 3 && t0.shape[2] == 6; })) {
    data = *t;
  } else {
    const int64_t rows = min1(g.max_elements / 6);
    const int64_t b = random_dim(c, std::min<int64_t>(rows, 3));
    int64_t nn = random_dim(c, std::min<int64_t>(min1(rows / b), 65));
    while (nn > 1 && b * nn * nn > g.max_work) nn /= 2;
    data.shape = {b, nn, 6};
    data.precision = g.prec(1, 32);
  }
  const int64_t b = data.shape[0], nn = data.shape[1];
  if (b * nn * nn > g.max_work && !g.req.input0) return std::nullopt;
  Draft d{{}, {data, TensorType{{b}, g.prec(1, 32)}}};
  AttrMap& a = d.attrs;
  switch (c.range(0, 4)) {
    case 0: break;
    case 1: a["iou_threshold"] = itos(c.range(1, 100)); break;
    case 2: a["iou_threshold"] = itos(c.pick(std::vector<int64_t>{1, 50, 99, 100, 101})); break;
    case 3: a["iou_threshold"] = itos(c.range(101, std::numeric_limits<int32_t>::max())); break;
    default: a["iou_threshold"] = itos(c.range(30, 70)); break;
  }
  maybe_bool(c, a, "force_suppress");
  if (c.coin()) a["top_k"] = itos(limit_value(c, nn));
  if (c.coin()) a["max_output_size"] = itos(limit_value(c, nn));
  maybe_default(c, a, "coord_start", "2");
  maybe_default(c, a, "score_index", "1");
  maybe_default(c, a, "id_index", "0");
  maybe_default(c, a, "return_indices", "false");
  maybe_default(c, a, "invalid_to_bottom", "true");
  return d;
}

}  // namespace

Builder vision_builder(std::string_view op) {
  if (op == "get_valid_counts") return get_valid_counts;
  if (op == "non_max_suppression") return non_max_suppression;
  return nullptr;
}

}  // namespace cvm::gen::detail
