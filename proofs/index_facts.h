// Two facts about products and floor division that the index-safety lemmas
// (proofs/conv2d_index.cc, max_pool2d_index.cc, upsampling_index.cc) use to
// keep their queries easy. A product of two symbolic integers makes a query
// non-linear; instead of leaving Z3 to find the non-linear argument, a goal
// proves each fact once, for all integers, as a case of its own
// (fill_order, fill_division), and its other cases assume the instances they
// need. An instance holds whatever its operands are (it is an implication
// from the fact's premises), so assuming it adds nothing unproved.
//   order(a, b, c):    c >= 0 and a <= b  =>  a c <= b c
//   division(a, b):    a >= 0 and b >= 1  =>  0 <= a div b and
//                      (a div b) b <= a < (a div b + 1) b
// (a div b is Arith<z3::expr>::floor_div, the rules' own division.)
#pragma once

#include <z3++.h>

#include "lemma.h"
#include "z3_arith.h"

namespace cvm::proofs {

inline z3::expr order(const z3::expr& a, const z3::expr& b, const z3::expr& c) {
  return z3::implies(c >= 0 && a <= b, a * c <= b * c);
}

inline z3::expr division(const z3::expr& a, const z3::expr& b) {
  const z3::expr t = rules::Arith<z3::expr>::floor_div(a, b);
  return z3::implies(a >= 0 && b >= 1, 0 <= t && t * b <= a && a < t * b + b);
}

/// The case [order]: order(a, b, c) for all integers a, b, c.
inline void fill_order(Query& q) {
  const z3::expr a = q.var("a"), b = q.var("b"), c = q.var("c");
  q.claim(order(a, b, c));
}

/// The case [division]: division(a, b) for all integers a, b.
inline void fill_division(Query& q) {
  const z3::expr a = q.var("a"), b = q.var("b");
  q.claim(division(a, b));
}

/// The cases "order" and "division": a goal whose other cases assume
/// instances of the two facts proves them first.
inline void fact_cases(const EachCase& each) {
  each("order", fill_order);
  each("division", fill_division);
}

}  // namespace cvm::proofs
