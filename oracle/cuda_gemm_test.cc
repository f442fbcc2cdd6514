// CUDA conv2d and dense (cuda/conv2d.cu, cuda/dense.cu, cuda/gemm_int8.cu)
// against the reference, bit for bit, on every path: the int8 tensor-core
// implicit GEMM in 32-deep and in 64-deep slices (cuda::use_deep_slices) and
// the simple one-thread-per-element kernel (cuda::force_simple_gemm(true)),
// with w passed as a runtime input (packed on the device by each launch) and
// as a model constant (packed once by the factory).
//
// The directed cases are those of oracle/directed/nn_cases.cc with the CUDA
// launch shapes (1x1, strides, dilation, padding, groups, depthwise, K around
// the 32-deep slices, tails of the 128 x 128 block tile, channel padding,
// split-K, every operand at +-127 with the largest K the precision rule
// accepts). cuda_directed_test runs them on the default path with every input
// a runtime value and with every input a constant; here on the default path
// with only w constant and on the deep-slice and simple paths, and every case
// with at least kMinRows output channels per group must take the tensor-core
// path (sm_80+). Then a few hundred generated cases per op (oracle/gen)
// through gen::cuda_vs_reference, on the default path and with the other
// paths forced. Expected values come from the reference kernel, never from
// the code under test.
//
// Every test starts with CVM_REQUIRE_GPU(): without a CUDA device it is
// skipped with a message, never failed.
#include <gtest/gtest.h>

#include <any>
#include <string>
#include <vector>

#include <cuda_runtime.h>

#include "cuda/gemm_int8.h"
#include "cuda/run_op.h"
#include "cuda_support.h"
#include "cvm/ops/conv2d.h"
#include "cvm/tensor.h"
#include "cvm/validate.h"
#include "directed/directed_cases.h"
#include "directed/expect_agreement.h"
#include "gen/agreement.h"
#include "gen/differential.h"
#include "support.h"

namespace cvm::oracle {
namespace {

/// Compute capability major of the current device (0 if unknown).
int device_major() {
  int device = 0, major = 0;
  if (cudaGetDevice(&device) != cudaSuccess) return 0;
  if (cudaDeviceGetAttribute(&major, cudaDevAttrComputeCapabilityMajor, device) != cudaSuccess)
    return 0;
  return major;
}

// The reference, then the GEMM paths cuda_directed_test does not run: the
// default path with w constant (x and b runtime), the deep-slice and simple
// paths with w runtime and constant.
std::vector<gen::NamedRun> gemm_path_runs() {
  std::vector<gen::NamedRun> runs;
  runs.push_back({"reference", [](const std::string& op, const AttrMap& attrs, const std::vector<Tensor>& inputs) {
                    return gen::capture([&] { return run_reference(op, attrs, inputs).outputs; });
                  }});
  for (const std::string path : {"default", "deep slices", "simple"})
    for (bool constant_w : {false, true}) {
      if (path == "default" && !constant_w) continue;  // cuda_directed_test's runtime run
      runs.push_back(
          {"cuda " + path + " path, w " + (constant_w ? "constant" : "runtime"),
           [path, constant_w](const std::string& op, const AttrMap& attrs, const std::vector<Tensor>& inputs) {
             const ForceSimple force(path == "simple");
             const DeepSlices deep(path == "deep slices");
             std::vector<bool> constant(inputs.size(), false);
             constant[1] = constant_w;
             return gen::capture([&] { return cuda::run_cuda_op(op, attrs, inputs, constant); });
           }});
    }
  return runs;
}

/// The geometry the CUDA kernel sees for a conv2d or dense case the
/// reference accepts (output shape from the validator).
cuda::ConvGeometry geometry_of(const DirectedCase& c) {
  Types types;
  for (const Tensor& t : c.inputs) types.push_back(t.type());
  const ValidatedOp v = validate_op(c.op, c.attrs, types);
  if (c.op == "dense")
    return cuda::dense_geometry(types[0].shape[0], types[0].shape[1], types[1].shape[0], types.size() == 3);
  return cuda::conv_geometry(std::any_cast<const Conv2dAttrs&>(v.attrs), types[0].shape, v.outputs[0].shape);
}

class cuda_gemm_paths : public ::testing::TestWithParam<std::string> {};

TEST_P(cuda_gemm_paths, agree_on_every_directed_case) {
  CVM_REQUIRE_GPU();
  expect_directed_cases_agree(GetParam(), Backends::with_cuda, gemm_path_runs());
}

// With int8 mma (sm_80+), the default path of every case with at least
// kMinRows output channels per group is the tensor-core one (so the cases
// aimed at its tiles test it).
TEST_P(cuda_gemm_paths, wide_groups_take_the_tensor_core_path) {
  CVM_REQUIRE_GPU();
  if (device_major() < 8) GTEST_SKIP() << "no int8 tensor-core path before compute capability 8.0";
  const std::vector<DirectedCase> cases = directed_cases(GetParam(), Backends::with_cuda);
  ASSERT_FALSE(cases.empty());
  for (const DirectedCase& c : cases) {
    if (c.reference != Expect::accepted) continue;
    const cuda::ConvGeometry g = geometry_of(c);
    if (g.opg < cuda::gemm::kMinRows) continue;
    EXPECT_TRUE(cuda::tensor_core_eligible(g))
        << "case " << c.name << ": expected the tensor-core path for " << gen::describe_case(c.op, c.attrs, c.inputs);
  }
}

INSTANTIATE_TEST_SUITE_P(directed, cuda_gemm_paths, ::testing::Values("conv2d", "dense"),
                         [](const ::testing::TestParamInfo<std::string>& p) { return p.param; });

// ---- generated cases (oracle/gen) through gen::cuda_vs_reference --------------

TEST(cuda_gemm_generated, conv2d_default_path) {
  CVM_REQUIRE_GPU();
  expect_cuda_agrees_on_generated_cases("conv2d", 400, 1);
}

TEST(cuda_gemm_generated, dense_default_path) {
  CVM_REQUIRE_GPU();
  expect_cuda_agrees_on_generated_cases("dense", 400, 2);
}

TEST(cuda_gemm_generated, conv2d_deep_slices) {
  CVM_REQUIRE_GPU();
  const DeepSlices deep(true);
  expect_cuda_agrees_on_generated_cases("conv2d", 200, 5);
}

TEST(cuda_gemm_generated, dense_deep_slices) {
  CVM_REQUIRE_GPU();
  const DeepSlices deep(true);
  expect_cuda_agrees_on_generated_cases("dense", 200, 6);
}

TEST(cuda_gemm_generated, conv2d_simple_path) {
  CVM_REQUIRE_GPU();
  ForceSimple force(true);
  expect_cuda_agrees_on_generated_cases("conv2d", 150, 3);
}

TEST(cuda_gemm_generated, dense_simple_path) {
  CVM_REQUIRE_GPU();
  ForceSimple force(true);
  expect_cuda_agrees_on_generated_cases("dense", 150, 4);
}

}  // namespace
}  // namespace cvm::oracle
