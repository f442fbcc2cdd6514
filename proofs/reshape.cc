// Lemmas for spec/ops/reshape.rst.
//
// reshape_b1: y[i] = x[i], so |y[i]| <= R(p_x) = R(p_y) <= 2^31 - 1 (p_x
// symbolic in [1, 32]). The shape-inference products the page mentions are
// not modelled here (open).
#include "lemma.h"

namespace cvm::proofs {
namespace {

const Register registered(copy_goals("reshape",
                                     "y[i] = x[i]: |y[i]| <= R(p_x) = R(p_y) <= 2^31 - 1",
                                     R"(y_i = x_i:\ |y_i| \le R(p_x) = R(p_y) \le 2^{31}-1)"));

}  // namespace
}  // namespace cvm::proofs
