// The directed cases of oracle/directed/ (with the CUDA launch-shape cases)
// on the reference, the fast kernels at every ISA level (7 threads, runtime
// and constant inputs) and the CUDA kernels (runtime and constant inputs),
// so that a disagreement names which backends agree with each other. Starts
// with CVM_REQUIRE_GPU(): without a CUDA device it is skipped, never failed.
#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

#include "cuda/run_op.h"
#include "cuda_support.h"
#include "directed/directed_cases.h"
#include "directed/expect_agreement.h"
#include "gen/agreement.h"

namespace cvm::oracle {
namespace {

// The CUDA backend with the inputs as runtime values, then as constants
// (which its factories may pack), as gen::cuda_vs_reference runs it.
std::vector<gen::NamedRun> cuda_runs() {
  std::vector<gen::NamedRun> runs;
  for (bool constant : {false, true})
    runs.push_back({constant ? "cuda, constant inputs" : "cuda",
                    [constant](const std::string& op, const AttrMap& attrs, const std::vector<Tensor>& inputs) {
                      const std::vector<bool> mask(inputs.size(), constant);
                      return gen::capture([&] { return cuda::run_cuda_op(op, attrs, inputs, mask); });
                    }});
  return runs;
}

class cuda_all_backends_agree : public ::testing::TestWithParam<std::string> {};

TEST_P(cuda_all_backends_agree, on_every_directed_case) {
  CVM_REQUIRE_GPU();
  const std::string op = GetParam();
  // One thread count: the fast runs are here to say which side a CUDA
  // disagreement is on; directed_test covers the fast thread counts.
  std::vector<gen::NamedRun> runs = gen::reference_and_fast_runs(op, {7});
  for (gen::NamedRun& r : cuda_runs()) runs.push_back(std::move(r));
  expect_directed_cases_agree(op, Backends::with_cuda, runs);
}

INSTANTIATE_TEST_SUITE_P(directed, cuda_all_backends_agree, ::testing::ValuesIn(directed_ops()),
                         [](const ::testing::TestParamInfo<std::string>& p) { return p.param; });

}  // namespace
}  // namespace cvm::oracle
