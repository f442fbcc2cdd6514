// Lemmas for spec/ops/tile.rst.
//
// tile_b1: y[j] = x[e] with e_t = j_{K-N+t} mod d_t, so |y[j]| <= R(p_x) =
// R(p_y) <= 2^31 - 1 (p_x symbolic). The product d'_k * r'_k <= 2^36 the page
// mentions is not modelled here (open).
#include "lemma.h"

namespace cvm::proofs {
namespace {

constexpr int64_t kInt32Max = 2147483647;

void fill_value(Query& q, int minus) {
  const z3::expr px = q.var("p_x");
  const z3::expr x = q.var("x_e");
  const z3::expr y = q.var("y_j");
  q.assume(1 <= px && px <= 32);
  const z3::expr py = px - minus;
  q.assume(1 <= py && py <= 32);  // op_c3
  q.assume(-range_expr(q, px) <= x && x <= range_expr(q, px));
  q.assume(y == x);
  q.claim(-range_expr(q, py) <= y && y <= range_expr(q, py));
  q.claim(-q.num(kInt32Max) <= y && y <= q.num(kInt32Max));
}

const Register registered({
    Goal{.label = "tile_b1",
         .statement = "y[j] = x[j mod d]: |y[j]| <= R(p_x) = R(p_y) <= "
                      "2^31 - 1",
         .negative_control = false,
         .cases =
             [](const auto& each) {
               each("values, all precisions", [](Query& q) { fill_value(q, 0); });
             }},
    Goal{.label = "tile_b1_neg_precision_minus_one",
         .statement = "weakened rule p_y = p_x - 1 must be refuted",
         .negative_control = true,
         .cases = [](const auto& each) {
           each("values, all precisions", [](Query& q) { fill_value(q, 1); });
         }},
});

}  // namespace
}  // namespace cvm::proofs
