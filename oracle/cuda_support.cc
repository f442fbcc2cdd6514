#include "cuda_support.h"

#include <optional>
#include <vector>

#include "cuda/gemm_int8.h"
#include "cuda/kernel.h"
#include "gen/chooser.h"
#include "gen/cuda_differential.h"
#include "gen/op_cases.h"
#include "gen/values.h"

namespace cvm::oracle {

bool cuda_device_present() { return cuda::device_present(); }

void expect_cuda_agrees_on_generated_cases(const std::string& op, int count, uint64_t salt) {
  int found = 0, failures = 0;
  for (int seed = 0; seed < count && failures < 3; ++seed) {
    gen::SeededChooser c(static_cast<uint64_t>(seed) * 7919 + salt);
    const std::optional<gen::GeneratedCase> g = gen::generate_case(op, c);
    if (!g) continue;
    ++found;
    const std::vector<Tensor> inputs = gen::input_values(c, *g, seed % 3 == 0);
    const std::string report = gen::cuda_vs_reference(op, g->attrs, inputs);
    if (!report.empty()) {
      ADD_FAILURE() << op << " seed " << seed << ": " << report;
      ++failures;
    }
  }
  EXPECT_GE(found, count / 2) << op << ": too few generated cases";
}

ForceSimple::ForceSimple(bool force)
    : ScopedSwitch(&cuda::simple_gemm_forced, &cuda::force_simple_gemm, force) {}

DeepSlices::DeepSlices(bool deep) : ScopedSwitch(&cuda::deep_slices_used, &cuda::use_deep_slices, deep) {}

FuseEpilogues::FuseEpilogues(bool fuse) : ScopedSwitch(&cuda::epilogues_fused, &cuda::fuse_epilogues, fuse) {}

}  // namespace cvm::oracle
