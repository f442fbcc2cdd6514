// tile - reference transcription of spec/ops/tile.rst.
#include "cvm/ops/tile.h"

#include <algorithm>

#include "cvm/op.h"

namespace cvm {
namespace {

// Upstream's parameter struct for the op: keys, value types, required keys
// and parser bounds (checked before parse, attr_c0 ... attr_c4).
constexpr AttrSpec kAttrs[] = {
    {.key = "reps", .type = AttrType::kShape, .required = false},
};

std::any parse(AttrReader& r) {
  TileAttrs a;
  a.reps = r.tuple("reps", {0});
  // tile_c1: at least one entry.
  CVM_REQUIRE(!a.reps.empty(), "tile_c1", "reps must not be empty");
  // tile_c2: each entry in [1, 4096] (the default (0,) fails here).
  for (int64_t rk : a.reps)
    CVM_REQUIRE(rk >= 1 && rk <= 4096, "tile_c2", "reps entry ", rk, " is outside [1, 4096]");
  return a;
}

Types infer(const std::any& attrs, const Types& in) {
  const auto& r = std::any_cast<const TileAttrs&>(attrs).reps;
  const Shape& d = in[0].shape;
  const auto N = static_cast<int64_t>(d.size());
  const auto M = static_cast<int64_t>(r.size());
  const int64_t K = std::max(N, M);
  Shape out;
  for (int64_t k = 0; k < K; ++k) {
    const int64_t dk = k < K - N ? 1 : d[static_cast<size_t>(k - K + N)];
    const int64_t rk = k < K - M ? 1 : r[static_cast<size_t>(k - K + M)];
    out.push_back(dk * rk);  // <= 2^24 * 4096 = 2^36, int64
  }
  return {TensorType{out, in[0].precision}};
}

void kernel(const std::any&, const Inputs& in, const Outputs& out) {
  const Tensor& x = *in[0];
  Tensor& y = *out[0];
  const auto N = static_cast<int64_t>(x.shape.size());
  const auto K = static_cast<int64_t>(y.shape.size());
  for (int64_t flat = 0; flat < y.size(); ++flat) {
    const Index j = unravel(flat, y.shape);
    Index e(static_cast<size_t>(N), 0);
    for (int64_t t = 0; t < N; ++t)
      e[static_cast<size_t>(t)] =
          floor_mod(j[static_cast<size_t>(K - N + t)], x.shape[static_cast<size_t>(t)]);
    const int64_t v = x.at(e);
    CVM_BOUND(in_precision(v, y.precision), "tile_b1", "y[", flat, "] = ", v);
    y.data[static_cast<size_t>(flat)] = static_cast<int32_t>(v);
  }
}

}  // namespace

const OpDef& op_def_tile() {
  static const OpDef def{.name = "tile",
                         .parse_attrs = parse,
                         .num_inputs = fixed_inputs<1>,
                         .num_outputs = 1,
                         .infer = infer,
                         .gas_weight = gas_weight_one,
                         .reference = kernel,
                         .in_place = false,
                         .attr_schema = {.has_parser = true, .fields = kAttrs}};
  return def;
}

}  // namespace cvm
