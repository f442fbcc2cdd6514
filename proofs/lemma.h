// Lemmas: Z3 goals that prove an operator's Bounds labels (spec/ops/<op>.rst)
// for all attribute values, precisions, sizes and input values the spec allows.
//
// A goal states hypotheses (the constraints, the precision rule, value ranges)
// and a claim (the bound). It is proved when hypotheses AND NOT claim is
// unsatisfiable over the mathematical integers; `unknown` or a timeout is a
// failure, never a pass. Symbolic quantities that make the arithmetic
// non-linear (precisions, bits(K)) are split into cases by the goal itself,
// each case a separate solver query, so every query is linear integer
// arithmetic that Z3 decides.
//
// A negative control is a goal with a deliberately weakened rule; it must be
// refuted, and the counterexample is printed: proof that the prover is not
// vacuous.
#pragma once

#include <z3++.h>

#include <functional>
#include <string>
#include <vector>

namespace cvm::proofs {

/// One solver query: hypotheses and a claim over integer constants.
class Query {
 public:
  explicit Query(z3::context& ctx) : ctx_(ctx) {}
  z3::context& ctx() { return ctx_; }
  /// A fresh mathematical integer named `name` (shown in counterexamples).
  z3::expr var(const std::string& name);
  z3::expr num(int64_t v) { return ctx_.int_val(v); }
  void assume(const z3::expr& e) { hypotheses_.push_back(e); }
  void claim(const z3::expr& e) { claims_.push_back(e); }

  const std::vector<z3::expr>& hypotheses() const { return hypotheses_; }
  const std::vector<z3::expr>& claims() const { return claims_; }
  const std::vector<z3::expr>& vars() const { return vars_; }

 private:
  z3::context& ctx_;
  std::vector<z3::expr> vars_;
  std::vector<z3::expr> hypotheses_;
  std::vector<z3::expr> claims_;
};

/// A goal: a label, its statement, and the cases it splits into. `cases`
/// calls `each` once per case with a fresh Query to fill.
struct Goal {
  std::string label;      ///< the Bounds label, e.g. "dense_b1", or "<label>_neg_<what>"
  std::string statement;  ///< the claim in words
  bool negative_control = false;  ///< must be refuted
  std::function<void(const std::function<void(const std::string& case_name,
                                               const std::function<void(Query&)>& fill)>& each)>
      cases;
};

enum class Status { kProved, kRefuted, kUnknown };

struct Result {
  std::string label;
  Status status = Status::kUnknown;
  int cases = 0;
  double seconds = 0;         ///< wall time (reported, never asserted)
  std::string counterexample; ///< for a refuted case: the case and the model
  std::string reason;         ///< for unknown: Z3's reason
};

/// Checks every case of `goal`; the goal is proved when every case is unsat.
/// Stops at the first refuted or unknown case.
Result check(const Goal& goal, unsigned timeout_ms);

/// All goals, registered by the proofs/<op>.cc files.
std::vector<Goal>& registry();

/// Registers goals at static-initialisation time: `static Register r{...};`.
struct Register {
  explicit Register(std::vector<Goal> goals);
};

/// R(p) = 2^(p-1) - 1 for a concrete p in [1, 32].
int64_t range_of(int p);

/// R(p) for a symbolic p, as an if-then-else over p in [1, 64]; the query
/// must also assume 1 <= p <= 64 (outside, the value is unconstrained).
z3::expr range_expr(Query& q, const z3::expr& p);

/// 2^k for a symbolic k in [0, 64], as an if-then-else chain.
z3::expr pow2_expr(Query& q, const z3::expr& k);

}  // namespace cvm::proofs
