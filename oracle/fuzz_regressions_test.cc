// Every fuzz target (fuzz/target.h) on its generated seed corpus and on the
// inputs saved in fuzz/regressions/<target>/ (crashes found by fuzzing,
// kept after the fix): each must be handled without a report. This runs the
// targets' checks in every build, with or without clang and libFuzzer.
#include <gtest/gtest.h>

#include <filesystem>

#include "fuzz/guard.h"
#include "fuzz/target.h"
#include "support.h"

namespace cvm::oracle {
namespace {

std::string run(const fuzz::Target& t, const std::string& bytes) {
  return t.run({reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size()});
}

class FuzzTarget : public testing::TestWithParam<std::string> {};

TEST_P(FuzzTarget, seed_corpus_runs_clean) {
  const fuzz::Target* t = fuzz::find_target(GetParam());
  ASSERT_NE(t, nullptr);
  const std::vector<std::string> seeds = t->seeds(source_dir());
  EXPECT_GE(seeds.size(), 4u) << "a target needs a seed corpus";
  for (size_t k = 0; k < seeds.size(); ++k) EXPECT_EQ(run(*t, seeds[k]), "") << "seed " << k;
}

TEST_P(FuzzTarget, saved_regressions_run_clean) {
  const fuzz::Target* t = fuzz::find_target(GetParam());
  ASSERT_NE(t, nullptr);
  const std::filesystem::path dir = std::filesystem::path(source_dir()) / "fuzz/regressions" / GetParam();
  if (!std::filesystem::exists(dir)) GTEST_SKIP() << "no saved inputs for " << GetParam();
  for (const auto& entry : std::filesystem::directory_iterator(dir))
    EXPECT_EQ(run(*t, read_text(entry.path().string())), "") << entry.path();
}

std::vector<std::string> target_names() {
  std::vector<std::string> names;
  for (const fuzz::Target& t : fuzz::targets()) names.emplace_back(t.name);
  return names;
}

INSTANTIATE_TEST_SUITE_P(fuzz_regressions, FuzzTarget, testing::ValuesIn(target_names()),
                         [](const auto& param_info) { return param_info.param; });

// The classification every target relies on: only a LogicError is a correct
// rejection; a RuntimeError not named as expected, or any other exception,
// is a report.
TEST(fuzz_regressions, guard_reports_all_but_logic_errors) {
  EXPECT_EQ(fuzz::guarded("t", []() -> std::string { throw LogicError("x_c1", "bad"); }), "");
  EXPECT_NE(fuzz::guarded("t", []() -> std::string { throw RuntimeError("x_b1", "bug"); }), "");
  EXPECT_EQ(fuzz::guarded("t", []() -> std::string { throw RuntimeError("model_c6", "cap"); },
                          {"model_c6"}), "");
  EXPECT_NE(fuzz::guarded("t", []() -> std::string { throw std::out_of_range("x"); }), "");
  EXPECT_EQ(fuzz::guarded("t", []() -> std::string { return "found"; }), "found");
}

TEST(fuzz_regressions, every_target_is_listed_once) {
  std::vector<std::string> expected{"graph_json", "params", "npy", "model",
                                    "op_diff", "model_diff", "certified"};
#ifdef CVM_HAVE_CUDA
  expected.emplace_back("cuda_op_diff");  // only CUDA builds compile it
#endif
  EXPECT_EQ(target_names(), expected);
  EXPECT_EQ(fuzz::find_target("nonexistent"), nullptr);
}

}  // namespace
}  // namespace cvm::oracle
