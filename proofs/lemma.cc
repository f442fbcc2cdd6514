#include "lemma.h"

#include <chrono>
#include <sstream>

namespace cvm::proofs {

z3::expr Query::var(const std::string& name) {
  vars_.push_back(ctx_.int_const(name.c_str()));
  return vars_.back();
}

std::vector<Goal>& registry() {
  static std::vector<Goal> goals;
  return goals;
}

Register::Register(std::vector<Goal> goals) {
  for (Goal& g : goals) registry().push_back(std::move(g));
}

int64_t range_of(int p) { return (int64_t{1} << (p - 1)) - 1; }

z3::expr pow2_expr(Query& q, const z3::expr& k) {
  // 2^64 does not fit int64: build the constant from its decimal string.
  z3::expr e = q.ctx().int_val("18446744073709551616");
  for (int i = 63; i >= 0; --i)
    e = z3::ite(k == i, q.ctx().int_val(std::to_string(uint64_t{1} << i).c_str()), e);
  return e;
}

z3::expr range_expr(Query& q, const z3::expr& p) { return pow2_expr(q, p - 1) - 1; }

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

}  // namespace cvm::proofs
