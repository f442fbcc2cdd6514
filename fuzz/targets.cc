#include "fuzz/target.h"

namespace cvm::fuzz {
namespace {

constexpr Target kTargets[] = {
    {"graph_json", fuzz_graph_json, seeds_graph_json},
    {"params", fuzz_params, seeds_params},
    {"npy", fuzz_npy, seeds_npy},
    {"model", fuzz_model, seeds_model},
    {"op_diff", fuzz_op_diff, seeds_random_bytes},
    {"model_diff", fuzz_model_diff, seeds_random_bytes},
    {"certified", fuzz_certified, seeds_random_bytes},
#ifdef CVM_HAVE_CUDA
    {"cuda_op_diff", fuzz_cuda_op_diff, seeds_random_bytes},
#endif
};

}  // namespace

std::span<const Target> targets() { return kTargets; }

const Target* find_target(std::string_view name) {
  for (const Target& t : kTargets)
    if (t.name == name) return &t;
  return nullptr;
}

}  // namespace cvm::fuzz
