// Lemmas for spec/ops/upsampling.rst.
//
// upsampling_b1: every output value is a copy of an input element x_e
// (|x_e| <= R(p_x)), and p_y = p_x; so |y| <= R(p_y) <= 2^31 - 1 for every p_x
// in [1, 32] (symbolic). (The page's remark on the int64 index arithmetic,
// H * s <= 2^24 * 4096 = 2^36, is not part of this goal: it is non-linear in
// two symbolic integers and not what the label claims.)
#include "lemma.h"

namespace cvm::proofs {
namespace {

const Register registered(copy_goals("upsampling",
                                     "y[n, c, h, w] = x[n, c, h div s, w div s]: |y| <= R(p_x) = R(p_y) <= 2^31 - 1",
                                     R"(y[n, c, h, w] = x[n, c, \lfloor h / s \rfloor, \lfloor w / s \rfloor]:\ |y| \le R(p_x) = R(p_y) \le 2^{31}-1)"));

}  // namespace
}  // namespace cvm::proofs
