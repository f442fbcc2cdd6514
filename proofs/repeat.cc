// Lemmas for spec/ops/repeat.rst.
//
// repeat_b1: y[j] = x[..., j_a div r, ...], so |y[j]| <= R(p_x) = R(p_y) <=
// 2^31 - 1 (p_x symbolic). The product d_a * r < 2^55 the page mentions is not
// modelled here (open).
#include "lemma.h"

namespace cvm::proofs {
namespace {

const Register registered(copy_goals("repeat",
                                     "y[j] = x[..., j_a div r, ...]: |y[j]| <= R(p_x) = R(p_y) <= 2^31 - 1",
                                     R"(y_j = x[\ldots, \lfloor j_a / r \rfloor, \ldots]:\ |y_j| \le R(p_x) = R(p_y) \le 2^{31}-1)"));

}  // namespace
}  // namespace cvm::proofs
