// CUDA kernels of the transform, reduce and vision groups and cvm_lut against
// the reference on a few hundred generated cases per op (oracle/gen) through
// gen::cuda_vs_reference. Their directed cases are written once in
// oracle/directed/ and run by cuda_directed_test.cc.
//
// Every test starts with CVM_REQUIRE_GPU(): without a CUDA device it is
// skipped with a message, never failed.
#include <gtest/gtest.h>

#include <cstdint>
#include <string>

#include "cuda_support.h"

namespace cvm::oracle {
namespace {

class cuda_generated : public ::testing::TestWithParam<std::string> {};

TEST_P(cuda_generated, matches_reference) {
  CVM_REQUIRE_GPU();
  const std::string op = GetParam();
  uint64_t salt = 0;
  for (char ch : op) salt = salt * 131 + static_cast<unsigned char>(ch);
  expect_cuda_agrees_on_generated_cases(op, 300, salt);
}

INSTANTIATE_TEST_SUITE_P(ops, cuda_generated,
                         ::testing::Values("reshape", "flatten", "expand_dims", "squeeze", "transpose",
                                           "concatenate", "repeat", "tile", "take", "strided_slice",
                                           "slice_like", "upsampling", "sum", "max", "max_pool2d",
                                           "get_valid_counts", "non_max_suppression", "cvm_lut"),
                         [](const ::testing::TestParamInfo<std::string>& p) { return p.param; });

}  // namespace
}  // namespace cvm::oracle
