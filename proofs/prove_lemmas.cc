// cvm_prove_lemmas: proves every registered goal and writes the results.
//
//   cvm_prove_lemmas [--json FILE] [--timeout-ms N] [--only PREFIX] [--quiet]
//     --only PREFIX        only the goals whose label starts with PREFIX
//     --record FILE        write labels and verdicts (no timings) to FILE
//     --check-record FILE  fail unless the fresh verdicts equal FILE (CI)
//   cvm_prove_lemmas --coverage ROOT   every Bounds label of ROOT/spec/ops has a goal
//   cvm_prove_lemmas --self-test       the checker fails goals whose helpers lack bounds
//
// Exit 0 when every goal is proved and every negative control is refuted
// (with its counterexample printed); 1 otherwise. A progress line is printed
// per goal.
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <regex>
#include <set>
#include <sstream>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "lemma.h"

namespace {

const char* status_name(cvm::proofs::Status s) {
  switch (s) {
    case cvm::proofs::Status::kProved: return "proved";
    case cvm::proofs::Status::kRefuted: return "refuted";
    case cvm::proofs::Status::kUnknown: return "unknown";
  }
  return "?";
}

}  // namespace

// Every Bounds label "<op>_bN" defined on the pages under spec/ops, and the
// model-level ones ("infer_bN") under spec/model.
std::set<std::string> spec_bound_labels(const std::string& root) {
  std::set<std::string> labels;
  const std::regex re("``([a-z0-9_]+_b[0-9]+)``");
  std::vector<std::filesystem::path> pages;
  for (const char* dir : {"/spec/ops", "/spec/model"})
    for (const auto& e : std::filesystem::directory_iterator(root + dir)) pages.push_back(e.path());
  for (const auto& page : pages) {
    if (page.extension() != ".rst") continue;
    std::ifstream in(page);
    std::stringstream ss;
    ss << in.rdbuf();
    const std::string text = ss.str();
    for (auto it = std::sregex_iterator(text.begin(), text.end(), re); it != std::sregex_iterator(); ++it)
      labels.insert((*it)[1].str());
  }
  return labels;
}

// --coverage ROOT: every Bounds label has a goal and every goal names a label.
int check_coverage(const std::string& root) {
  const std::set<std::string> spec = spec_bound_labels(root);
  std::set<std::string> goals;
  int missing = 0;
  for (const auto& g : cvm::proofs::registry()) {
    if (g.math.empty()) {
      std::cout << "goal " << g.label << " has no math statement (Goal::math)\n";
      ++missing;
    }
    if (g.negative_control) continue;
    goals.insert(g.label);
    if (!spec.count(g.label)) {
      std::cout << "goal " << g.label << " proves no Bounds label of spec/ops\n";
      ++missing;
    }
  }
  for (const std::string& l : spec)
    if (!goals.count(l)) {
      std::cout << "Bounds label " << l << " has no goal in proofs/\n";
      ++missing;
    }
  std::cout << spec.size() << " Bounds labels, " << goals.size() << " goals, " << missing
            << " problem(s)\n";
  return missing == 0 ? 0 : 1;
}

// --self-test: the checker itself. A goal whose helper needs a bound the
// hypotheses do not give (2^k with k unbounded) must fail as unknown, for a
// bound goal and for a negative control alike; the same goal with k bounded
// is proved. Guards against helpers that silently weaken a goal.
int self_test() {
  using cvm::proofs::Goal;
  using cvm::proofs::Query;
  using cvm::proofs::Status;
  const auto pow2_goal = [](bool bounded, bool negative) {
    return Goal{.label = "self_test", .statement = "", .math = "", .negative_control = negative,
                .cases = [bounded](const auto& each) {
                  each("k", [bounded](Query& q) {
                    const z3::expr k = q.var("k");
                    if (bounded) q.assume(0 <= k && k <= 10);
                    q.assume(k >= 0);
                    q.claim(cvm::proofs::pow2_expr(q, k) >= 1);
                  });
                }};
  };
  int failures = 0;
  const auto expect = [&](const char* what, const Goal& g, Status want) {
    const cvm::proofs::Result r = cvm::proofs::check(g, 10000);
    const bool ok = r.status == want && (want != Status::kUnknown || r.reason.find("obligation") != std::string::npos);
    std::cout << (ok ? "ok   " : "FAIL ") << what << ": " << status_name(r.status)
              << (r.reason.empty() ? "" : " (" + r.reason + ")") << "\n";
    failures += ok ? 0 : 1;
  };
  expect("2^k, k in [0, 10]", pow2_goal(true, false), Status::kProved);
  expect("2^k, k unbounded above", pow2_goal(false, false), Status::kUnknown);
  expect("2^k, k unbounded above, negative control", pow2_goal(false, true), Status::kUnknown);
  return failures == 0 ? 0 : 1;
}

int main(int argc, char** argv) {
  std::string json_path;
  std::string only;
  bool quiet = false;
  std::string record_path;        // write the record (no timings: reproducible)
  std::string check_record_path;  // compare fresh results with a committed record
  unsigned timeout_ms = 60000;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--json" && i + 1 < argc) json_path = argv[++i];
    else if (a == "--timeout-ms" && i + 1 < argc) timeout_ms = static_cast<unsigned>(std::stoul(argv[++i]));
    else if (a == "--only" && i + 1 < argc) only = argv[++i];
    else if (a == "--quiet") quiet = true;
    else if (a == "--record" && i + 1 < argc) record_path = argv[++i];
    else if (a == "--check-record" && i + 1 < argc) check_record_path = argv[++i];
    else if (a == "--coverage" && i + 1 < argc) return check_coverage(argv[++i]);
    else if (a == "--self-test") return self_test();
    else {
      std::cerr << "usage: cvm_prove_lemmas [--json FILE] [--timeout-ms N] [--only PREFIX] [--quiet]\n"
                   "       [--record FILE] [--check-record FILE] | --coverage ROOT | --self-test\n";
      return 2;
    }
  }
  // Sorted by label: static registration order depends on the link order.
  std::vector<cvm::proofs::Goal> goals = cvm::proofs::registry();
  std::sort(goals.begin(), goals.end(),
            [](const auto& a, const auto& b) { return a.label < b.label; });
  nlohmann::ordered_json out = nlohmann::ordered_json::array();
  nlohmann::ordered_json record = nlohmann::ordered_json::array();
  int failures = 0;
  size_t k = 0;
  size_t checked = 0;
  for (const auto& g : goals) {
    ++k;
    // --only LABEL: that goal, and (as a prefix) the goals whose label starts
    // with it, e.g. "conv2d_" for every conv2d goal and its controls.
    if (!only.empty() && g.label.rfind(only, 0) != 0) continue;
    ++checked;
    const cvm::proofs::Result r = cvm::proofs::check(g, timeout_ms);
    const bool ok = g.negative_control ? r.status == cvm::proofs::Status::kRefuted
                                       : r.status == cvm::proofs::Status::kProved;
    if (!ok) ++failures;
    if (!quiet || !ok) {
      std::cout << "[" << k << "/" << goals.size() << "] " << (ok ? "ok   " : "FAIL ") << g.label
                << ": " << status_name(r.status) << " (" << r.cases << " cases, " << r.seconds
                << " s)";
      if (!r.counterexample.empty()) std::cout << "\n      counterexample: " << r.counterexample;
      if (!r.reason.empty()) std::cout << "\n      unknown: " << r.reason;
      std::cout << std::endl;
    }
    record.push_back({{"label", g.label},
                      {"negative_control", g.negative_control},
                      {"status", status_name(r.status)}});
    out.push_back({{"label", g.label},
                   {"statement", g.statement},
                   {"math", g.math},
                   {"negative_control", g.negative_control},
                   {"status", status_name(r.status)},
                   {"ok", ok},
                   {"cases", r.cases},
                   {"seconds", r.seconds},
                   {"counterexample", r.counterexample}});
  }
  if (!json_path.empty()) std::ofstream(json_path) << out.dump(2) << "\n";
  if (!record_path.empty()) std::ofstream(record_path) << record.dump(1) << "\n";
  if (!check_record_path.empty()) {
    std::ifstream in(check_record_path);
    nlohmann::ordered_json committed;
    try {
      committed = nlohmann::ordered_json::parse(in);
    } catch (const std::exception& e) {
      std::cout << "cannot read the lemma record " << check_record_path << ": " << e.what() << "\n";
      return 1;
    }
    if (committed != record) {
      std::cout << "the committed lemma record " << check_record_path
                << " differs from these results; regenerate it with\n  cvm_prove_lemmas --record "
                << check_record_path << "\n";
      ++failures;
    }
  }
  std::cout << (failures == 0 ? "all goals hold" : std::to_string(failures) + " goal(s) FAILED")
            << " (" << checked << " of " << goals.size() << " goals checked)\n";
  return failures == 0 ? 0 : 1;
}
