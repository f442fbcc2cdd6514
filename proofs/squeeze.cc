// Lemmas for spec/ops/squeeze.rst.
//
// squeeze_b1: every output value is a copy of an input value x (|x| <= R(p_x)),
// and the precision rule is p_y = p_x; so |y| <= R(p_y) <= 2^31 - 1 for every
// p_x in [1, 32]. The precision is symbolic (range_expr).
#include "lemma.h"

namespace cvm::proofs {
namespace {

const Register registered(copy_goals("squeeze"));

}  // namespace
}  // namespace cvm::proofs
