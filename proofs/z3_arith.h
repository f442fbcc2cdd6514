// The prover's instantiation of the rules' arithmetic
// (include/cvm/rules/arith.h): Z3 integer expressions, so that a lemma states
// its claim about the very function the runtime calls.
//
// Every operation stays linear integer arithmetic when its divisor or shift
// is a constant: floor_div by a numeral and shr by a constant k are Z3's
// division by a positive numeral (Euclidean, which is floor division for a
// positive divisor). A symbolic divisor makes a query non-linear; goals that
// need one split it into cases.
#pragma once

#include <z3++.h>

#include "cvm/rules/arith.h"

namespace cvm::rules {

template <>
struct Arith<z3::expr> {
  using Bool = z3::expr;
  static z3::expr select(const z3::expr& c, const z3::expr& a, const z3::expr& b) {
    return z3::ite(c, a, b);
  }
  static z3::expr max(const z3::expr& a, const z3::expr& b) { return z3::ite(a < b, b, a); }
  static z3::expr min(const z3::expr& a, const z3::expr& b) { return z3::ite(b < a, b, a); }
  static z3::expr lit(const z3::expr& like, int64_t v) { return like.ctx().int_val(v); }
  /// floor(a / b) for b != 0: Z3's integer division is Euclidean, which is
  /// floor division when b > 0; for b < 0, floor(a / b) = floor(-a / -b).
  static z3::expr floor_div(const z3::expr& a, const z3::expr& b) {
    return z3::ite(b > 0, a / b, (-a) / (-b));
  }
  static z3::expr floor_mod(const z3::expr& a, const z3::expr& b) { return a - b * floor_div(a, b); }
  static z3::expr shr(const z3::expr& a, int k) {
    return a / a.ctx().int_val(static_cast<int64_t>(int64_t{1} << k));
  }
};

}  // namespace cvm::rules
