// The directed cases of oracle/directed/ on the reference and the fast
// kernels at every ISA level the CPU has, with each thread count of
// kFastThreadCounts, the inputs given as runtime values and as constants
// (oracle/cuda_directed_test.cc adds the CUDA backend). A failure names the
// case and which runs agree with each other. Also the self-test of that
// report (gen/agreement.h) on runs with known outcomes.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "directed/directed_cases.h"
#include "directed/expect_agreement.h"
#include "fast_support.h"
#include "gen/agreement.h"
#include "support.h"

namespace cvm::oracle {
namespace {

class all_backends_agree : public ::testing::TestWithParam<std::string> {};

TEST_P(all_backends_agree, on_every_directed_case) {
  const std::string op = GetParam();
  expect_directed_cases_agree(op, Backends::reference_and_fast, gen::reference_and_fast_runs(op, kFastThreadCounts));
}

INSTANTIATE_TEST_SUITE_P(directed, all_backends_agree, ::testing::ValuesIn(directed_ops()),
                         [](const ::testing::TestParamInfo<std::string>& p) { return p.param; });

// A run that gives a fixed outcome whatever the case.
gen::NamedRun fixed(const std::string& name, const gen::Outcome& outcome) {
  return {name, [outcome](const std::string&, const AttrMap&, const std::vector<Tensor>&) { return outcome; }};
}

TEST(agreement, reports_which_runs_agree) {
  const std::vector<Tensor> in{T({2, 2}, 8, {1, -2, 3, -4})};
  const gen::Outcome good{{T({2, 2}, 8, {1, 0, 3, 0})}, ""};
  const gen::Outcome off{{T({2, 2}, 8, {1, 0, 3, 9})}, ""};
  const gen::Outcome rejected{{}, "logic relu_c1"};
  // All alike: no report, and the first run's outcome.
  const gen::Agreement same = gen::run_on_all("relu", {}, in, {fixed("reference", good), fixed("fast a", good)});
  EXPECT_EQ(same.report, "");
  ASSERT_EQ(same.first.outputs.size(), 1u);
  EXPECT_EQ(same.first.outputs[0].data, good.outputs[0].data);
  // Three classes, in the order of their first run, each later one against the first.
  const gen::Agreement split = gen::run_on_all(
      "relu", {}, in,
      {fixed("reference", good), fixed("fast a", off), fixed("fast b", good), fixed("cuda", rejected),
       fixed("fast c", off)});
  const std::string want =
      "op relu, attrs {}, inputs (2, 2)/p8; 3 classes of runs that agree: reference = fast b"
      " | fast a = fast c: output 0: first difference at coordinate (1, 1) (flat 3): got 9, expected 0"
      " | cuda: expected success, got logic relu_c1\n  inputs: ";
  EXPECT_EQ(split.report.substr(0, want.size()), want);
  EXPECT_NE(split.report.find("-4"), std::string::npos) << "the inputs are printed: " << split.report;
  EXPECT_TRUE(split.first.error.empty());
}

}  // namespace
}  // namespace cvm::oracle
