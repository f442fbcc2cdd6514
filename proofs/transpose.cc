// Lemmas for spec/ops/transpose.rst.
//
// transpose_b1: every output value is a copy of an input value x (|x| <= R(p_x)),
// and the precision rule is p_y = p_x; so |y| <= R(p_y) <= 2^31 - 1 for every
// p_x in [1, 32]. The precision is symbolic (range_expr).
#include "lemma.h"

namespace cvm::proofs {
namespace {

const Register registered(copy_goals("transpose",
                                     "y[j] = x[e] for some e: |y[j]| <= R(p_x) = R(p_y), and y[j] fits int32",
                                     R"(y_j = x_e:\ |y_j| \le R(p_x) = R(p_y) \le 2^{31}-1)"));

}  // namespace
}  // namespace cvm::proofs
