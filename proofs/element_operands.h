// The operands of the element-wise ops' value lemmas: the input precisions,
// one value of each input within its precision (the kernel reads one element
// of each input per output value), and the output precision by the op's rule.
// Unary: abs, negative, relu; binary: broadcast_add, broadcast_sub,
// broadcast_max, broadcast_greater, elemwise_add, elemwise_sub.
#pragma once

#include <functional>
#include <string>

#include "cvm/rules/precision.h"
#include "lemma.h"
#include "z3_arith.h"

namespace cvm::proofs {

struct UnaryOperand {
  z3::expr px;  ///< "p_x"
  z3::expr x;   ///< "x", one value of the input
  z3::expr py;  ///< the output precision, by the rule
};

/// Declares p_x and x (in this order, the order of a counterexample's
/// variables); assumes p_x in [1, 32], p_y = p_x - minus in [1, 32] (`minus`
/// 0: the page's rule p_y = p_x; 1: the weakened control), and |x| <= R(p_x),
/// or with `any_int32` any int32 value x (-2^31 included) instead.
inline UnaryOperand declare_unary_operand(Query& q, int minus, bool any_int32 = false) {
  const z3::expr px = q.var("p_x");
  const z3::expr x = q.var("x");
  q.assume(1 <= px && px <= 32);
  const z3::expr py = px - minus;  // precision rule p_y = p_x
  q.assume(1 <= py && py <= 32);
  if (any_int32) {
    q.assume(-q.num(kInt32Max) - 1 <= x && x <= q.num(kInt32Max));
  } else {
    q.assume(within_range(q, x, px));
  }
  return {px, x, py};
}

struct BinaryOperands {
  z3::expr pa, pb;  ///< "p_a", "p_b"
  z3::expr a, b;    ///< one value of each input
  z3::expr py;      ///< the output precision, by the rule
};

/// Declares p_a, p_b and the values named `a_name`, `b_name` (in this order,
/// the order of a counterexample's variables); assumes p_a, p_b in [1, 32],
/// p_y = rule(p_a, p_b) <= 32 (op_c3), |a| <= R(p_a) and |b| <= R(p_b).
inline BinaryOperands declare_binary_operands(
    Query& q, const std::string& a_name, const std::string& b_name,
    const std::function<z3::expr(const z3::expr& pa, const z3::expr& pb)>& rule) {
  const z3::expr pa = q.var("p_a");
  const z3::expr pb = q.var("p_b");
  const z3::expr a = q.var(a_name);
  const z3::expr b = q.var(b_name);
  q.assume(1 <= pa && pa <= 32 && 1 <= pb && pb <= 32);
  const z3::expr py = rule(pa, pb);
  q.assume(py <= 32);  // op_c3
  q.assume(within_range(q, a, pa));
  q.assume(within_range(q, b, pb));
  return {pa, pb, a, b, py};
}

/// The operands of a sum or difference (broadcast_add/sub, elemwise_add/sub)
/// under the runtime's rule p_y = max(p_a, p_b) + 1 (`plus` = 1), or the
/// weakened control p_y = max(p_a, p_b) (`plus` = 0).
inline BinaryOperands declare_sum_operands(Query& q, const std::string& a_name,
                                           const std::string& b_name, int plus) {
  return declare_binary_operands(q, a_name, b_name, [plus](const z3::expr& pa, const z3::expr& pb) {
    return rules::sum_of_two_precision(pa, pb) - (1 - plus);
  });
}

}  // namespace cvm::proofs
