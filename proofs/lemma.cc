#include "lemma.h"

#include "cvm/rules/precision.h"
#include "z3_arith.h"

#include <chrono>
#include <sstream>
#include <string>
#include <utility>

namespace cvm::proofs {

z3::expr Query::var(const std::string& name) {
  vars_.push_back(ctx_.int_const(name.c_str()));
  return vars_.back();
}

void each_value(const EachCase& each, const std::string& name, int first, int last,
                const std::function<void(Query&, int)>& fill) {
  for (int v = first; v <= last; ++v)
    each(name + " = " + std::to_string(v), [&fill, v](Query& q) { fill(q, v); });
}

std::vector<Goal>& registry() {
  static std::vector<Goal> goals;
  return goals;
}

Register::Register(std::vector<Goal> goals) {
  for (Goal& g : goals) registry().push_back(std::move(g));
}

z3::expr within(const z3::expr& v, const z3::expr& bound) { return -bound <= v && v <= bound; }

z3::expr fits_int32(Query& q, const z3::expr& v) { return within(v, q.num(kInt32Max)); }

z3::expr fits_int64(Query& q, const z3::expr& v) { return within(v, q.num(kInt64Max)); }

int64_t range_of(int p) { return (int64_t{1} << (p - 1)) - 1; }

z3::expr pow2_expr(Query& q, const z3::expr& k) {
  q.oblige(0 <= k && k <= 64, "pow2_expr: 0 <= k <= 64 for k = " + k.to_string());
  // The last branch is k = 64 (the obligation excludes every other k there).
  // 2^64 does not fit int64: build the constant from its decimal string.
  z3::expr e = q.ctx().int_val("18446744073709551616");
  for (int i = 63; i >= 0; --i)
    e = z3::ite(k == i, q.ctx().int_val(std::to_string(uint64_t{1} << i).c_str()), e);
  return e;
}

z3::expr range_expr(Query& q, const z3::expr& p) {
  q.oblige(1 <= p && p <= 64, "range_expr: 1 <= p <= 64 for p = " + p.to_string());
  return pow2_expr(q, p - 1) - 1;
}

z3::expr within_range(Query& q, const z3::expr& v, const z3::expr& p) { return within(v, range_expr(q, p)); }

namespace {

/// Empty when every obligation of `q` follows from its hypotheses; else why
/// not (the first obligation that fails and a model of the hypotheses that
/// breaks it, or Z3's reason when it cannot decide).
std::string failed_obligation(z3::context& ctx, const Query& q, unsigned timeout_ms) {
  for (size_t i = 0; i < q.obligations().size(); ++i) {
    z3::solver s(ctx);
    z3::params params(ctx);
    params.set("timeout", timeout_ms);
    s.set(params);
    for (const z3::expr& h : q.hypotheses()) s.add(h);
    s.add(!q.obligations()[i]);
    const z3::check_result r = s.check();
    if (r == z3::unsat) continue;
    std::ostringstream os;
    os << "obligation not implied by the hypotheses: " << q.obligation_texts()[i];
    if (r == z3::sat) {
      const z3::model m = s.get_model();
      os << " (e.g.";
      for (const z3::expr& v : q.vars()) os << " " << v << " = " << m.eval(v, true);
      os << ")";
    } else {
      os << " (" << s.reason_unknown() << ")";
    }
    return os.str();
  }
  return "";
}

}  // namespace

Result check(const Goal& goal, unsigned timeout_ms) {
  Result r;
  r.label = goal.label;
  r.status = Status::kProved;
  const auto start = std::chrono::steady_clock::now();
  z3::context ctx;  // one context per goal; each case gets its own solver
  goal.cases([&](const std::string& case_name, const std::function<void(Query&)>& fill) {
    if (r.status != Status::kProved) return;  // stop at the first failure
    Query q(ctx);
    fill(q);
    if (const std::string why = failed_obligation(ctx, q, timeout_ms); !why.empty()) {
      r.status = Status::kUnknown;
      r.reason = case_name + ": " + why;
      return;
    }
    z3::solver s(ctx);
    z3::params params(ctx);
    params.set("timeout", timeout_ms);
    s.set(params);
    for (const z3::expr& h : q.hypotheses()) s.add(h);
    z3::expr all = ctx.bool_val(true);
    for (const z3::expr& c : q.claims()) all = all && c;
    s.add(!all);
    ++r.cases;
    switch (s.check()) {
      case z3::unsat:
        break;
      case z3::sat: {
        r.status = Status::kRefuted;
        const z3::model m = s.get_model();
        std::ostringstream os;
        os << case_name << ":";
        for (const z3::expr& v : q.vars()) os << " " << v << " = " << m.eval(v, true);
        r.counterexample = os.str();
        break;
      }
      case z3::unknown:
        r.status = Status::kUnknown;
        r.reason = case_name + ": " + s.reason_unknown();
        break;
    }
  });
  r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return r;
}

// ---------------------------------------------------------------------------
// Shared goal shapes.

void fill_copy(Query& q, int minus) {
  const z3::expr px = q.var("p_x");
  const z3::expr x = q.var("x_e");  // the input element the output value copies
  const z3::expr y = q.var("y");
  q.assume(1 <= px && px <= 32);
  const z3::expr py = px - minus;
  q.assume(1 <= py && py <= 32);  // op_c3
  q.assume(within_range(q, x, px));
  q.assume(y == x);
  q.claim(within_range(q, y, py));
  q.claim(fits_int32(q, y));
}

std::vector<Goal> copy_goals(const std::string& op, const std::string& statement,
                             const std::string& math) {
  return {
      Goal{.label = op + "_b1",
           .statement = statement,
           .math = math,
           .negative_control = false,
           .cases = single_case("all precisions", [](Query& q) { fill_copy(q, 0); })},
      Goal{.label = op + "_b1_neg_precision_minus_one",
           .statement = "weakened rule p_y = p_x - 1 must be refuted",
           .math = R"(p_y = p_x - 1 \;\Rightarrow\; |y| \le R(p_y) \quad\text{(refuted)})",
           .negative_control = true,
           .cases = single_case("all precisions", [](Query& q) { fill_copy(q, 1); })},
  };
}

std::vector<Goal> copy_goals(const std::string& op) {
  return copy_goals(op, "y[i] = x[i]: |y[i]| <= R(p_x) = R(p_y), and y[i] fits int32",
                    R"(y_i = x_i:\ |y_i| \le R(p_x) = R(p_y) \le 2^{31}-1)");
}

BitsK declare_bits_k(Query& q, int64_t max_k) {
  const z3::expr k = q.var("K");
  const z3::expr b = q.var("bits_K");
  q.assume(1 <= k && k <= q.num(max_k));
  q.assume(1 <= b && b <= 31);
  q.assume(pow2_expr(q, b - 1) <= k && k < pow2_expr(q, b));
  return {k, b};
}

z3::expr sum_step(Query& q, const z3::expr& k, const z3::expr& a) {
  const z3::expr j = q.var("j");     // terms added so far
  const z3::expr sj = q.var("s_j");  // partial sum of the first j terms
  const z3::expr t = q.var("term");  // the next term, |t| <= a
  q.assume(0 <= j && j < k);
  q.assume(within(sj, j * a));  // induction hypothesis (j = 0: s = 0)
  q.assume(within(t, a));
  const z3::expr s1 = sj + t;
  q.claim(within(s1, (j + 1) * a));
  q.claim(within(s1, k * a));
  return s1;
}

namespace {

// dense / conv2d (see proofs/dense.cc for the argument).

// Declares K, b = bits(K), p_x = px, p_w = pw and p = p_x + p_w (+ b when
// `with_bits`); returns {K, p}.
std::pair<z3::expr, z3::expr> declare_dot(Query& q, int64_t max_k, int px, int pw, bool with_bits) {
  const auto [k, b] = declare_bits_k(q, max_k);
  const z3::expr pxv = q.var("p_x");
  const z3::expr pwv = q.var("p_w");
  const z3::expr p = q.var("p");
  q.assume(pxv == px && pwv == pw);
  // The runtime's rule, or (the control) without bits(K).
  q.assume(p == (with_bits ? rules::dot_product_sum_precision(pxv, pwv, b) : pxv + pwv));
  return {k, p};
}

// [per (p_x, p_w)] of <op>_b1: K * A <= 2^(p-2) - 1.
void fill_ka(Query& q, int64_t max_k, int px, int pw, bool with_bits) {
  const auto [k, p] = declare_dot(q, max_k, px, pw, with_bits);
  const z3::expr ka = k * q.num(range_of(px) * range_of(pw));
  q.claim(ka <= pow2_expr(q, p - 2) - 1);
}

// The output side: p, p_b, use_bias symbolic; |s| <= S <= 2^(p-2) - 1 is what
// the per-(p_x, p_w) cases prove. `bias_plus` is 1 for the rule, 0 for the
// weakened control. `b2` adds <op>_b2's claims on the biased sum.
void fill_out(Query& q, int bias_plus, bool b2) {
  const z3::expr px = q.var("p_x");
  const z3::expr pw = q.var("p_w");
  const z3::expr bk = q.var("bits_K");
  const z3::expr p = q.var("p");
  const z3::expr pb = q.var("p_b");
  const z3::expr use_bias = q.var("use_bias");
  const z3::expr py = q.var("p_y");
  const z3::expr sb = q.var("S");  // K * A
  const z3::expr s = q.var("s");   // the sum of the K terms
  const z3::expr bias = q.var("b_n");
  q.assume(1 <= px && px <= 8 && 1 <= pw && pw <= 8 && 1 <= bk && bk <= 31);
  q.assume(p == rules::dot_product_sum_precision(px, pw, bk));
  q.assume(1 <= pb && pb <= 32);
  q.assume(use_bias == 0 || use_bias == 1);
  // The runtime's rule; the control drops the +1 after the bias.
  q.assume(py == rules::dot_product_precision(px, pw, bk, use_bias == 1, pb) -
                     z3::ite(use_bias == 1, q.num(1 - bias_plus), q.num(0)));
  q.assume(py <= 32);  // op_c3
  q.assume(0 <= sb && sb <= pow2_expr(q, p - 2) - 1);
  q.assume(within(s, sb));
  q.assume(within_range(q, bias, pb));
  const z3::expr ry = range_expr(q, py);
  if (!b2) {
    const z3::expr y = z3::ite(use_bias == 1, s + bias, s);
    q.claim(within(y, ry));
    q.claim(fits_int32(q, y));
    return;
  }
  const z3::expr biased_bound = sb + range_expr(q, pb);
  q.claim(sb <= ry);
  q.claim(ry <= q.num(kInt32Max));
  q.claim(z3::implies(use_bias == 1, within(s + bias, biased_bound) && biased_bound <= ry));
}

// [per (p_x, p_w), sums] of <op>_b2: the induction step.
void fill_sums(Query& q, int64_t max_k, int64_t int64_bound, int px, int pw) {
  const auto [k, p] = declare_dot(q, max_k, px, pw, true);
  const z3::expr a = q.num(range_of(px) * range_of(pw));
  sum_step(q, k, a);
  const z3::expr ka = k * a;
  q.claim(ka <= pow2_expr(q, p - 2) - 1);
  q.claim(ka + q.num(kInt32Max) < q.num(int64_bound));  // |b| <= R(p_b) <= 2^31 - 1
}

std::string pxpw(int px, int pw) {
  return "p_x = " + std::to_string(px) + ", p_w = " + std::to_string(pw);
}

// <op>_b1 and its controls: the 64 K * A cases, then the output case.
auto b1_cases(int64_t max_k, bool with_bits, int bias_plus) {
  return [max_k, with_bits, bias_plus](const auto& each) {
    for (int px = 1; px <= 8; ++px)
      for (int pw = 1; pw <= 8; ++pw)
        each(pxpw(px, pw) + ", K * A",
             [max_k, px, pw, with_bits](Query& q) { fill_ka(q, max_k, px, pw, with_bits); });
    each("output", [bias_plus](Query& q) { fill_out(q, bias_plus, false); });
  };
}

}  // namespace

std::vector<Goal> dot_product_goals(const DotProduct& d) {
  const int64_t max_k = d.max_k;
  const int64_t int64_bound = d.int64_bound;
  const auto term = d.term;
  return {
      Goal{.label = d.op + "_b1",
           .statement = d.b1_statement,
           .math = d.b1_math,
           .negative_control = false,
           .cases = b1_cases(max_k, true, 1)},
      Goal{.label = d.op + "_b1_neg_without_bits_k",
           .statement = "weakened rule p = p_x + p_w (no bits(K)) must be refuted",
           .math = R"(p = p_x + p_w \;\Rightarrow\; |y| \le R(p_y) \quad\text{(refuted)})",
           .negative_control = true,
           .cases = b1_cases(max_k, false, 1)},
      Goal{.label = d.op + "_b1_neg_bias_without_plus_one",
           .statement = "weakened rule p_y = max(p, p_b) with a bias must be refuted",
           .math = R"(p_y = \max(p, p_b) \;\Rightarrow\; |s + b| \le R(p_y) \quad\text{(refuted)})",
           .negative_control = true,
           .cases = b1_cases(max_k, true, 0)},
      Goal{.label = d.op + "_b2",
           .statement = d.b2_statement,
           .math = d.b2_math,
           .negative_control = false,
           .cases =
               [max_k, int64_bound, term](const auto& each) {
                 for (int px = 1; px <= 8; ++px)
                   for (int pw = 1; pw <= 8; ++pw) {
                     each(pxpw(px, pw) + ", term", [term, px, pw](Query& q) { term(q, px, pw); });
                     each(pxpw(px, pw) + ", sums", [max_k, int64_bound, px, pw](Query& q) {
                       fill_sums(q, max_k, int64_bound, px, pw);
                     });
                   }
                 each("bias", [](Query& q) { fill_out(q, 1, true); });
               }},
  };
}

}  // namespace cvm::proofs
