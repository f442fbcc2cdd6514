// Lemmas for spec/ops/tile.rst.
//
// tile_b1: y[j] = x[e] with e_t = j_{K-N+t} mod d_t, so |y[j]| <= R(p_x) =
// R(p_y) <= 2^31 - 1 (p_x symbolic). The product d'_k * r'_k <= 2^36 the page
// mentions is not modelled here (open).
#include "lemma.h"

namespace cvm::proofs {
namespace {

const Register registered(copy_goals("tile",
                                     "y[j] = x[j mod d]: |y[j]| <= R(p_x) = R(p_y) <= 2^31 - 1",
                                     R"(y_j = x[j \bmod d]:\ |y_j| \le R(p_x) = R(p_y) \le 2^{31}-1)"));

}  // namespace
}  // namespace cvm::proofs
