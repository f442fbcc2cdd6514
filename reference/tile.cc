// tile - reference transcription of spec/ops/tile.rst.
#include "cvm/ops/tile.h"

#include "cvm/op.h"
#include "cvm/rules/tile_index.h"
#include "index_loop.h"

namespace cvm {
namespace {

std::any parse(AttrReader& r) {
  TileAttrs a;
  a.reps = r.tuple("reps");
  // tile_c1: at least one entry.
  CVM_REQUIRE(!a.reps.empty(), "tile_c1", "reps must not be empty");
  // tile_c2: each entry in [1, 4096] (the default (0,) fails here).
  for (int64_t rk : a.reps)
    CVM_REQUIRE(rk >= 1 && rk <= 4096, "tile_c2", "reps entry ", rk, " is outside [1, 4096]");
  return a;
}

Types infer(const std::any& attrs, const Types& in) {
  const auto& r = std::any_cast<const TileAttrs&>(attrs).reps;
  // (d'_0 r'_0, ..., d'_{K-1} r'_{K-1}), K = max(N, M); each <= 2^24 * 4096 = 2^36, int64
  return {TensorType{rules::tile_shape(in[0].shape, r), in[0].precision}};
}

void kernel(const std::any&, const Inputs& in, const Outputs& out) {
  const Tensor& x = *in[0];
  gather_elements(x, *out[0], "tile_b1", "tile_b2", [&](const Index& j) {
    return rules::tile_source(j, x.shape);  // e_t = j_{K-N+t} mod d_t
  });
}

}  // namespace

OpDef op_def_tile() {
  return {.parse_attrs = parse, .num_inputs = fixed_inputs<1>, .infer = infer, .reference = kernel};
}

}  // namespace cvm
