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
  /// A side condition a helper needs (e.g. pow2_expr's exponent range): it
  /// must follow from the hypotheses, checked separately from the claim and
  /// for negative controls too, so that a goal that forgot a bound fails
  /// (check() reports it as unknown) instead of silently proving less.
  void oblige(const z3::expr& e, const std::string& what) {
    obligations_.push_back(e);
    obligation_texts_.push_back(what);
  }

  const std::vector<z3::expr>& hypotheses() const { return hypotheses_; }
  const std::vector<z3::expr>& claims() const { return claims_; }
  const std::vector<z3::expr>& obligations() const { return obligations_; }
  const std::vector<std::string>& obligation_texts() const { return obligation_texts_; }
  const std::vector<z3::expr>& vars() const { return vars_; }

 private:
  z3::context& ctx_;
  std::vector<z3::expr> vars_;
  std::vector<z3::expr> hypotheses_;
  std::vector<z3::expr> claims_;
  std::vector<z3::expr> obligations_;
  std::vector<std::string> obligation_texts_;
};

/// A goal: a label, its statement, and the cases it splits into. `cases`
/// calls `each` once per case with a fresh Query to fill.
struct Goal {
  std::string label;      ///< the Bounds label, e.g. "dense_b1", or "<label>_neg_<what>"
  std::string statement;  ///< the claim in words (plain text, also in the JSON results)
  std::string math;       ///< the claim as a LaTeX formula (the docs table's math role)
  bool negative_control = false;  ///< must be refuted
  std::function<void(const std::function<void(const std::string& case_name,
                                               const std::function<void(Query&)>& fill)>& each)>
      cases;
};

/// The `each` a Goal's cases receive.
using EachCase = std::function<void(const std::string& case_name, const std::function<void(Query&)>& fill)>;

/// The cases of a goal that is a single query: `fill`, named `case_name`.
inline auto single_case(const std::string& case_name, const std::function<void(Query&)>& fill) {
  return [case_name, fill](const auto& each) { each(case_name, fill); };
}

/// Splits a goal over an integer quantity whose symbolic value would make
/// its queries non-linear (a precision, a shift, a count): one case per v in
/// [first, last], in that order, named "<name> = <v>" and filled by fill(q, v).
void each_value(const EachCase& each, const std::string& name, int first, int last,
                const std::function<void(Query&, int)>& fill);

/// The cases of a goal that is split over v in [first, last] (each_value).
inline auto split_over(const std::string& name, int first, int last,
                       const std::function<void(Query&, int)>& fill) {
  return [name, first, last, fill](const auto& each) { each_value(each, name, first, last, fill); };
}

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
/// Each case's obligations (Query::oblige) are checked first: one that does
/// not follow from the hypotheses makes the goal unknown (a failure, also for
/// a negative control). Stops at the first refuted or unknown case.
Result check(const Goal& goal, unsigned timeout_ms);

/// All goals, registered by the proofs/<op>.cc files.
std::vector<Goal>& registry();

/// Registers goals at static-initialisation time: `static Register r{...};`.
struct Register {
  explicit Register(std::vector<Goal> goals);
};

/// 2^31 - 1: the claims "fits int32".
inline constexpr int64_t kInt32Max = 2147483647;

/// 2^63 - 1: the claims "fits int64" (where the reference computes in int64).
inline constexpr int64_t kInt64Max = 9223372036854775807;

/// 2^24: the largest dimension of a tensor (tensor_c2).
inline constexpr int64_t kMaxDim = int64_t{1} << 24;

/// -bound <= v <= bound.
z3::expr within(const z3::expr& v, const z3::expr& bound);

/// |v| <= R(p): v is a value of precision p (R by range_expr, which obliges
/// 1 <= p <= 64).
z3::expr within_range(Query& q, const z3::expr& v, const z3::expr& p);

/// |v| <= 2^31 - 1: v fits int32 (symmetric: -2^31 is never a value).
z3::expr fits_int32(Query& q, const z3::expr& v);

/// |v| <= 2^63 - 1: v fits int64 (symmetric, as fits_int32).
z3::expr fits_int64(Query& q, const z3::expr& v);

/// R(p) = 2^(p-1) - 1 for a concrete p in [1, 32].
int64_t range_of(int p);

/// R(p) for a symbolic p, as an if-then-else over p in [1, 64]. Obliges
/// 1 <= p <= 64: the query's hypotheses must bound p.
z3::expr range_expr(Query& q, const z3::expr& p);

/// 2^k for a symbolic k, as an if-then-else chain over k in [0, 64]. Obliges
/// 0 <= k <= 64 (outside, the chain's value would be arbitrary): the query's
/// hypotheses must bound k.
z3::expr pow2_expr(Query& q, const z3::expr& k);

// ---------------------------------------------------------------------------
// Shared goal shapes.

/// Transform ops, whose output values are copies of input values: one value
/// y = x_e of an input element |x_e| <= R(p_x), p_x in [1, 32], under the rule
/// p_y = p_x - minus (0: the page's rule p_y = p_x; 1: the weakened control)
/// with op_c3 (1 <= p_y <= 32). Claims |y| <= R(p_y) and y fits int32.
void fill_copy(Query& q, int minus);

/// The two goals of a transform op: "<op>_b1" (fill_copy with the page's
/// rule, one case "all precisions") and its negative control
/// "<op>_b1_neg_precision_minus_one". `statement` and `math` describe the
/// copy, e.g. "y[i] = x[i]: |y[i]| <= R(p_x) = R(p_y) <= 2^31 - 1".
std::vector<Goal> copy_goals(const std::string& op, const std::string& statement,
                             const std::string& math);

/// copy_goals of an op whose output holds its input's values in their order,
/// y[i] = x[i] (expand_dims, flatten, squeeze), with the statement and math
/// that say so.
std::vector<Goal> copy_goals(const std::string& op);

/// A reduction over K terms: declares K (1 <= K <= max_k) and b = bits(K)
/// (2^(b-1) <= K < 2^b, b in [1, 31]), named "K" and "bits_K".
struct BitsK {
  z3::expr k;
  z3::expr b;
};
BitsK declare_bits_k(Query& q, int64_t max_k);

/// The induction step of a sum of K terms each bounded by the constant `a`:
/// declares j (terms added so far), s_j (their sum) and the next term,
/// assumes 0 <= j < K, |s_j| <= j a (the hypothesis; j = 0: s = 0) and
/// |term| <= a, and claims |s_j + term| <= (j + 1) a and <= K a. Returns
/// s_j + term.
z3::expr sum_step(Query& q, const z3::expr& k, const z3::expr& a);

/// The accumulating ops dense and conv2d: s = sum of K terms x * w with
/// p_x, p_w in [1, 8], p = p_x + p_w + bits(K) (with_bits) and
/// p_y = use_bias ? max(p, p_b) + 1 : p. See proofs/dense.cc for the argument.
struct DotProduct {
  std::string op;       ///< "dense" or "conv2d"
  int64_t max_k;        ///< the largest K the constraints allow
  int64_t int64_bound;  ///< the page's bound on the int64 accumulator
  /// The "[term]" case for fixed (p_x, p_w): |term| <= R(p_x) R(p_w).
  std::function<void(Query&, int px, int pw)> term;
  std::string b1_statement, b1_math;  ///< of "<op>_b1"
  std::string b2_statement, b2_math;  ///< of "<op>_b2"
};

/// "<op>_b1", its controls "<op>_b1_neg_without_bits_k" and
/// "<op>_b1_neg_bias_without_plus_one", and "<op>_b2".
std::vector<Goal> dot_product_goals(const DotProduct& d);

}  // namespace cvm::proofs
