// Lemmas for spec/ops/expand_dims.rst.
//
// expand_dims_b1: every output value is a copy of an input value x (|x| <= R(p_x)),
// and the precision rule is p_y = p_x; so |y| <= R(p_y) <= 2^31 - 1 for every
// p_x in [1, 32]. The precision is symbolic (range_expr).
#include "lemma.h"

namespace cvm::proofs {
namespace {

const Register registered(copy_goals("expand_dims",
                                     "y[i] = x[i]: |y[i]| <= R(p_x) = R(p_y), and y[i] fits int32",
                                     R"(y_i = x_i:\ |y_i| \le R(p_x) = R(p_y) \le 2^{31}-1)"));

}  // namespace
}  // namespace cvm::proofs
