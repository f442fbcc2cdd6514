// CUDA kernels of the transform, reduce and vision groups against the
// reference, bit for bit. The directed cases of reshape ... non_max_suppression
// are written once in oracle/directed/ and run by cuda_directed_test.cc (with
// the CUDA launch-shape boundaries); here: cvm_lut's directed cases (index
// clipping, precision extremes +-(2^(p-1)-1)), cuda::run_cuda_op against
// run_reference, both run here, then a few hundred generated cases per op
// (oracle/gen) through gen::cuda_vs_reference.
//
// Every test starts with CVM_REQUIRE_GPU(): without a CUDA device it is
// skipped with a message, never failed.
#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <vector>

#include "cuda/run_op.h"
#include "cuda_support.h"
#include "cvm/tensor.h"
#include "cvm/validate.h"
#include "gen/chooser.h"
#include "gen/differential.h"
#include "gen/values.h"
#include "support.h"

namespace cvm::oracle {
namespace {

// A seeded tensor of precision p (gen::random_tensor: about 1/4 of the
// values at the extremes +-R(p), 0, +-1).
Tensor rnd(const Shape& shape, int p, uint64_t seed) {
  gen::SeededChooser c(seed * 2654435761u + 7);
  return gen::random_tensor(c, TensorType{shape, p});
}

// cuda == reference for one application: the same outputs bit for bit, or
// the same rejection (error class and label). `valid` cases must also be
// accepted by the reference, so a test never passes on a rejection alone.
void check(const std::string& op, const AttrMap& attrs, const std::vector<Tensor>& inputs,
           bool valid = true) {
  const gen::Outcome want =
      gen::capture([&] { return run_reference(op, attrs, inputs).outputs; });
  if (valid) {
    EXPECT_EQ(want.error, "") << op << " rejected a case meant to be valid";
  }
  const gen::Outcome got = gen::capture([&] { return cuda::run_cuda_op(op, attrs, inputs); });
  EXPECT_EQ(gen::compare_outcomes(want, got), "") << gen::describe_case(op, attrs, inputs);
}

// ---- cvm_lut (index clipping) ------------------------------------------------

TEST(cuda_cvm_lut, clipping_and_precisions) {
  CVM_REQUIRE_GPU();
  uint64_t seed = 550;
  for (int p : {1, 8, 32}) {
    check("cvm_lut", {{"in_dim", "5"}}, {indices({7}, -3, 9, seed++), rnd({5}, p, seed++)});
    check("cvm_lut", {{"in_dim", "1"}}, {indices({2, 3}, -2, 2, seed++), rnd({1}, p, seed++)});
    check("cvm_lut", {{"in_dim", "6"}}, {rnd({3, 4}, 32, seed++), rnd({2, 3}, p, seed++)});
  }
  check("cvm_lut", {{"in_dim", "4"}}, {T({4}, 32, {-2147483647, 2147483647, 0, 3}), rnd({4}, 8, seed++)});
  check("cvm_lut", {{"in_dim", "4"}}, {rnd({4}, 8, seed++), rnd({5}, 8, seed++)}, false);  // rejected
  check("cvm_lut", {{"in_dim", "256"}}, {indices({301, 307}, -20, 300, seed++), rnd({256}, 8, seed++)});
}

// ---- generated cases (oracle/gen) through gen::cuda_vs_reference ------------------

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
