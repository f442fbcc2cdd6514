// CUDA conv2d and dense (cuda/conv2d.cu, cuda/dense.cu, cuda/gemm_int8.cu)
// against the reference, bit for bit, on every path: the int8 tensor-core
// implicit GEMM in 32-deep and in 64-deep slices (cuda::use_deep_slices) and
// the simple one-thread-per-element kernel (cuda::force_simple_gemm(true)),
// with w passed as a runtime input (packed on
// the device by each launch) and as a model constant (packed once by the
// factory).
//
// Directed cases: 1x1, 3x3, strides, dilation, padding (and windows entirely
// in the padding), groups (with and without enough rows per group for the
// tensor-core path), depthwise, K not a multiple of 32, row (output channel /
// unit) and column (pixel / row of x) tails around the 128 x 128 block tile,
// several tiles and groups in the grid, and precision-8 extremes: every x and
// w element at +-127 with the largest K the precision rule accepts (the
// largest partial sums conv2d_b2 / dense_b2 allow), with and without a bias
// at its extreme. Expected values come from the reference kernel
// (run_reference), never from the code under test. Then a few hundred
// generated cases per op (oracle/gen) through gen::cuda_vs_reference, on the
// default path and with the simple path forced.
//
// Every test starts with CVM_REQUIRE_GPU(): without a CUDA device it is
// skipped with a message, never failed.
#include <gtest/gtest.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <cuda_runtime.h>

#include "cuda/gemm_int8.h"
#include "cuda/run_op.h"
#include "conv_case.h"
#include "cuda_support.h"
#include "cvm/ops/conv2d.h"
#include "cvm/tensor.h"
#include "cvm/validate.h"
#include "gen/chooser.h"
#include "gen/cuda_differential.h"
#include "gen/differential.h"
#include "gen/op_cases.h"
#include "gen/values.h"
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

Tensor rnd(const Shape& shape, int p, uint64_t seed) {
  gen::SeededChooser c(seed * 2654435761u + 11);
  return gen::random_tensor(c, TensorType{shape, p});
}

/// cuda == reference on every path (the default, the tensor-core path with
/// deep slices, the simple path), w as a runtime input and as a constant
/// (the other inputs always runtime values). The reference must accept the
/// case. When `tensor_cores` is set and the device has int8 mma (sm_80+), the
/// default path must really be the tensor-core one.
void check_both_paths(const std::string& op, const AttrMap& attrs, const std::vector<Tensor>& inputs,
                      std::optional<cuda::ConvGeometry> tensor_cores = std::nullopt) {
  const gen::Outcome want = gen::capture([&] { return run_reference(op, attrs, inputs).outputs; });
  ASSERT_EQ(want.error, "") << "the reference rejected a case meant to be valid: "
                            << gen::describe_case(op, attrs, inputs);
  if (tensor_cores && device_major() >= 8) {
    EXPECT_TRUE(cuda::tensor_core_eligible(*tensor_cores))
        << "expected the tensor-core path for " << gen::describe_case(op, attrs, inputs);
  }
  for (const char* path : {"default", "deep slices", "simple"})
    for (bool constant_w : {false, true}) {
      const ForceSimple force(std::string(path) == "simple");
      const DeepSlices deep(std::string(path) == "deep slices");
      std::vector<bool> constant(inputs.size(), false);
      constant[1] = constant_w;
      const gen::Outcome got =
          gen::capture([&] { return cuda::run_cuda_op(op, attrs, inputs, constant); });
      EXPECT_EQ(gen::compare_outcomes(want, got), "")
          << gen::describe_case(op, attrs, inputs) << "; " << path << " path"
          << (constant_w ? ", w constant" : ", w runtime");
    }
}

/// The geometry the CUDA kernel sees (output shape from the validator).
cuda::ConvGeometry conv_geometry_of(const ConvCase& k) {
  Types types{TensorType{{k.n, k.c, k.h, k.w}, k.px}, TensorType{{k.o, k.c / k.groups, k.kh, k.kw}, k.pw_}};
  if (k.bias) types.push_back(TensorType{{k.o}, k.pb});
  const ValidatedOp v = validate_op("conv2d", conv_attrs(k), types);
  return cuda::conv_geometry(parsed_conv_attrs(k), types[0].shape, v.outputs[0].shape);
}

void check_conv(const ConvCase& k, uint64_t seed = 1) {
  SCOPED_TRACE(describe(k));
  const cuda::ConvGeometry g = conv_geometry_of(k);
  check_both_paths("conv2d", conv_attrs(k), conv_inputs(k, seed, rnd),
                   g.opg >= cuda::gemm::kMinRows ? std::optional(g) : std::nullopt);
}

AttrMap dense_attrs(int64_t units, bool bias) {
  return {{"units", std::to_string(units)}, {"use_bias", bias ? "1" : "0"}};
}

void check_dense(int64_t m, int64_t k, int64_t units, bool bias, int px = 8, int pw = 8, int pb = 8,
                 uint64_t seed = 1) {
  SCOPED_TRACE(testing::Message() << "dense m" << m << " k" << k << " units" << units);
  std::vector<Tensor> in{rnd({m, k}, px, seed), rnd({units, k}, pw, seed + 1)};
  if (bias) in.push_back(rnd({units}, pb, seed + 2));
  const cuda::ConvGeometry g = cuda::dense_geometry(m, k, units, bias);
  check_both_paths("dense", dense_attrs(units, bias), in,
                   g.opg >= cuda::gemm::kMinRows ? std::optional(g) : std::nullopt);
}

// ---- conv2d ----------------------------------------------------------------------

TEST(cuda_conv2d, one_by_one_and_size_one_dims) {
  CVM_REQUIRE_GPU();
  check_conv({.n = 1, .c = 1, .h = 1, .w = 1, .o = 1, .kh = 1, .kw = 1});
  check_conv({.n = 1, .c = 1, .h = 1, .w = 1, .o = 8, .kh = 1, .kw = 1, .bias = false});
  check_conv({.n = 2, .c = 16, .h = 7, .w = 9, .o = 32, .kh = 1, .kw = 1});
  check_conv({.n = 2, .c = 1, .h = 1, .w = 5, .o = 3, .kh = 1, .kw = 3});
  check_conv({.n = 1, .c = 3, .h = 7, .w = 1, .o = 12, .kh = 3, .kw = 1});
}

TEST(cuda_conv2d, three_by_three_strides_padding_dilation) {
  CVM_REQUIRE_GPU();
  check_conv({.n = 2, .c = 3, .h = 9, .w = 8, .o = 16, .kh = 3, .kw = 3, .ph = 1, .pw = 1});
  check_conv({.n = 1, .c = 3, .h = 11, .w = 13, .o = 8, .kh = 3, .kw = 3, .sh = 2, .sw = 2, .ph = 1, .pw = 1});
  check_conv({.n = 1, .c = 3, .h = 23, .w = 23, .o = 16, .kh = 7, .kw = 7, .sh = 2, .sw = 2, .ph = 3, .pw = 3});
  check_conv({.n = 2, .c = 2, .h = 10, .w = 12, .o = 9, .kh = 2, .kw = 3, .sh = 3, .sw = 1, .ph = 0, .pw = 2});
  check_conv({.n = 1, .c = 2, .h = 9, .w = 20, .o = 10, .kh = 3, .kw = 2, .sh = 1, .sw = 3, .ph = 2, .pw = 0});
  check_conv({.n = 1, .c = 2, .h = 12, .w = 12, .o = 8, .kh = 3, .kw = 3, .ph = 2, .pw = 2, .dh = 2, .dw = 2});
  check_conv({.n = 1, .c = 2, .h = 12, .w = 12, .o = 11, .kh = 3, .kw = 3, .ph = 1, .pw = 2, .dh = 2, .dw = 3});
  check_conv({.n = 1, .c = 2, .h = 8, .w = 9, .o = 8, .kh = 2, .kw = 2, .sh = 4, .sw = 5, .ph = 4, .pw = 5, .dh = 3, .dw = 2});
  check_conv({.n = 1, .c = 3, .h = 3, .w = 2, .o = 8, .kh = 2, .kw = 2, .dh = 2, .dw = 1, .bias = false});
  // Windows entirely in the padding; huge strides and padding.
  check_conv({.n = 1, .c = 1, .h = 2, .w = 2, .o = 8, .kh = 1, .kw = 1, .ph = 3, .pw = 2});
  check_conv({.n = 1, .c = 1, .h = 1, .w = 1, .o = 8, .kh = 1, .kw = 1, .sh = 4096, .sw = 4096, .ph = 4096, .pw = 4096});
}

TEST(cuda_conv2d, groups_and_depthwise) {
  CVM_REQUIRE_GPU();
  // Two groups of 8 output channels (tensor-core path, grid z = 2).
  check_conv({.n = 1, .c = 4, .h = 6, .w = 7, .o = 16, .kh = 3, .kw = 3, .ph = 1, .pw = 1, .groups = 2});
  check_conv({.n = 2, .c = 8, .h = 9, .w = 10, .o = 64, .kh = 3, .kw = 3, .sh = 2, .sw = 2, .ph = 1, .pw = 1, .groups = 4});
  // Groups with fewer rows than kMinRows (simple path on both settings).
  check_conv({.n = 1, .c = 4, .h = 6, .w = 7, .o = 6, .kh = 3, .kw = 3, .ph = 1, .pw = 1, .groups = 2});
  check_conv({.n = 1, .c = 6, .h = 4, .w = 4, .o = 9, .kh = 1, .kw = 1, .groups = 3, .bias = false});
  // Depthwise (groups = C = O) and depthwise with a multiplier of 8.
  check_conv({.n = 2, .c = 6, .h = 9, .w = 9, .o = 6, .kh = 3, .kw = 3, .sh = 2, .sw = 2, .ph = 1, .pw = 1, .groups = 6});
  check_conv({.n = 1, .c = 8, .h = 5, .w = 18, .o = 16, .kh = 3, .kw = 3, .ph = 1, .pw = 1, .groups = 8});
  check_conv({.n = 1, .c = 3, .h = 7, .w = 6, .o = 24, .kh = 3, .kw = 3, .ph = 1, .pw = 1, .groups = 3});
}

TEST(cuda_conv2d, k_not_a_multiple_of_32) {
  CVM_REQUIRE_GPU();
  // K = C KH KW around the 32-deep slices: 1, 31, 32, 33, 63, 65, 513, 1281.
  for (int64_t c : {1, 31, 32, 33, 63, 65, 1281})
    check_conv({.n = 1, .c = c, .h = 3, .w = 6, .o = 9, .kh = 1, .kw = 1});
  check_conv({.n = 1, .c = 57, .h = 5, .w = 5, .o = 10, .kh = 3, .kw = 3, .ph = 1, .pw = 1});  // K = 513
  check_conv({.n = 1, .c = 3, .h = 6, .w = 6, .o = 8, .kh = 2, .kw = 5});                         // K = 30
}

TEST(cuda_conv2d, row_and_column_tails) {
  CVM_REQUIRE_GPU();
  // Output channels around the 128-row block tile.
  for (int64_t o : {7, 8, 9, 16, 127, 128, 129, 257})
    check_conv({.n = 1, .c = 3, .h = 5, .w = 6, .o = o, .kh = 2, .kw = 2});
  // Output pixels (N OH OW) around the 128-column block tile: 127, 128, 129, 255, 256, 257.
  for (int64_t w : {127, 128, 129, 255, 256, 257})
    check_conv({.n = 1, .c = 2, .h = 1, .w = w, .o = 8, .kh = 1, .kw = 1});
  check_conv({.n = 3, .c = 2, .h = 8, .w = 8, .o = 8, .kh = 1, .kw = 1});    // 192 pixels over 3 images
  check_conv({.n = 2, .c = 3, .h = 9, .w = 7, .o = 130, .kh = 3, .kw = 3, .ph = 1, .pw = 1});
}

TEST(cuda_conv2d, larger_cases) {
  CVM_REQUIRE_GPU();
  check_conv({.n = 2, .c = 64, .h = 14, .w = 14, .o = 64, .kh = 3, .kw = 3, .ph = 1, .pw = 1}, 9);
  check_conv({.n = 1, .c = 3, .h = 56, .w = 56, .o = 64, .kh = 7, .kw = 7, .sh = 2, .sw = 2, .ph = 3, .pw = 3}, 10);
  check_conv({.n = 4, .c = 128, .h = 7, .w = 7, .o = 256, .kh = 1, .kw = 1, .sh = 2, .sw = 2, .bias = false}, 11);
}

// The int8 NHWC copy pads each group's channels to 4, 8 or a multiple of 16
// (chunks of 4, 8 or 16 bytes); a multiple of 16 that is not of 32 makes a
// 32-deep slice straddle two window positions.
TEST(cuda_conv2d, channel_padding_and_chunks) {
  CVM_REQUIRE_GPU();
  for (int64_t c : {4, 5, 8, 12, 16, 20, 48, 80})
    check_conv({.n = 2, .c = c, .h = 6, .w = 7, .o = 24, .kh = 3, .kw = 3, .ph = 1, .pw = 1}, static_cast<uint64_t>(c));
  check_conv({.n = 1, .c = 10, .h = 5, .w = 9, .o = 16, .kh = 3, .kw = 3, .ph = 1, .pw = 1, .groups = 2});   // ICG 5 -> 8
  check_conv({.n = 1, .c = 96, .h = 5, .w = 5, .o = 32, .kh = 3, .kw = 3, .ph = 1, .pw = 1, .groups = 2});  // ICG 48
}

// Small problems with a long depth run split-K (several blocks per output
// tile, int32 atomics into a zeroed y): ResNet-18's last stages at batch 1,
// and a 1x1 convolution with a bias.
TEST(cuda_conv2d, split_k) {
  CVM_REQUIRE_GPU();
  check_conv({.n = 1, .c = 512, .h = 7, .w = 7, .o = 512, .kh = 3, .kw = 3, .ph = 1, .pw = 1, .pb = 20}, 21);
  check_conv({.n = 1, .c = 256, .h = 14, .w = 14, .o = 256, .kh = 3, .kw = 3, .ph = 1, .pw = 1, .bias = false}, 22);
  check_conv({.n = 1, .c = 1024, .h = 3, .w = 3, .o = 72, .kh = 1, .kw = 1, .pb = 30}, 23);
  check_dense(1, 4096, 64, true, 8, 8, 24, 24);
}

TEST(cuda_conv2d, precisions) {
  CVM_REQUIRE_GPU();
  check_conv({.n = 1, .c = 3, .h = 6, .w = 7, .o = 9, .kh = 3, .kw = 3, .px = 1, .pw_ = 8, .pb = 1});
  check_conv({.n = 1, .c = 3, .h = 6, .w = 7, .o = 9, .kh = 3, .kw = 3, .px = 2, .pw_ = 1, .pb = 2});
  check_conv({.n = 1, .c = 3, .h = 6, .w = 7, .o = 9, .kh = 3, .kw = 3, .px = 8, .pw_ = 8, .pb = 30});
  check_conv({.n = 1, .c = 3, .h = 6, .w = 7, .o = 9, .kh = 3, .kw = 3, .px = 4, .pw_ = 7, .pb = 31});
}

// Every x and w at +-127 (so every term is +-127^2 = 16129 with one sign and
// every partial sum is as large as conv2d_b2 allows), with the largest K the
// precision rule accepts: without a bias p_y = 16 + bits(K) <= 32, K <= 65535;
// with a bias of precision 31 at +-(2^30 - 1), max(16 + bits(K), 31) + 1 <= 32,
// K <= 32767. The centre output of a 3x3, padding-1 window on a 3x3 image reads
// all K terms: |s| = K * 16129 (1 056 913 911 for K = 65529).
void extreme_conv(int64_t c, bool bias, int32_t xv, int32_t wv, int32_t bv) {
  ConvCase k{.n = 1, .c = c, .h = 3, .w = 3, .o = 8, .kh = 3, .kw = 3, .ph = 1, .pw = 1, .bias = bias, .pb = 31};
  std::vector<Tensor> in = conv_inputs(k, 5, rnd);
  for (int32_t& v : in[0].data) v = xv;
  for (int32_t& v : in[1].data) v = wv;
  if (bias)
    for (int32_t& v : in[2].data) v = bv;
  SCOPED_TRACE(testing::Message() << "extreme conv c" << c << " x " << xv << " w " << wv << " b " << bv);
  check_both_paths("conv2d", conv_attrs(k), in, conv_geometry_of(k));
}

TEST(cuda_conv2d, precision_8_extremes_at_every_element) {
  CVM_REQUIRE_GPU();
  constexpr int32_t kB = (int32_t{1} << 30) - 1;
  // No bias: K = 7281 * 9 = 65529 <= 65535.
  extreme_conv(7281, false, 127, 127, 0);
  extreme_conv(7281, false, 127, -127, 0);
  extreme_conv(7281, false, -127, -127, 0);
  // Bias of precision 31: K = 3640 * 9 = 32760 <= 32767.
  extreme_conv(3640, true, 127, 127, kB);
  extreme_conv(3640, true, -127, 127, -kB);
  extreme_conv(3640, true, 127, 127, -kB);
  // Mixed signs at full precision: alternating w, every x at -127.
  ConvCase k{.n = 1, .c = 64, .h = 6, .w = 6, .o = 16, .kh = 3, .kw = 3, .ph = 1, .pw = 1, .pb = 25};
  std::vector<Tensor> in = conv_inputs(k, 6, rnd);
  for (int32_t& v : in[0].data) v = -127;
  for (size_t i = 0; i < in[1].data.size(); ++i) in[1].data[i] = i % 3 == 0 ? -127 : 127;
  check_both_paths("conv2d", conv_attrs(k), in, conv_geometry_of(k));
}

// ---- dense -----------------------------------------------------------------------

TEST(cuda_dense, size_one_dims) {
  CVM_REQUIRE_GPU();
  check_dense(1, 1, 1, true);
  check_dense(1, 1, 1, false);
  check_dense(1, 1, 8, true);
  check_dense(3, 1, 5, true);
  check_dense(1, 7, 16, false);
}

TEST(cuda_dense, tails_and_k_slices) {
  CVM_REQUIRE_GPU();
  // Units are the GEMM rows, rows of x its columns.
  for (int64_t units : {7, 8, 9, 127, 128, 129, 257})
    for (int64_t m : {1, 5}) check_dense(m, 13, units, m == 1);
  for (int64_t m : {127, 128, 129, 257}) check_dense(m, 20, 10, true);
  for (int64_t k : {2, 31, 32, 33, 63, 64, 65, 513, 1281}) check_dense(5, k, 17, true);
}

TEST(cuda_dense, larger_cases) {
  CVM_REQUIRE_GPU();
  check_dense(64, 512, 1000, true, 8, 8, 12, 7);
  check_dense(2, 512, 1000, true, 8, 8, 12, 8);
  check_dense(300, 100, 200, false, 8, 8, 8, 9);
}

TEST(cuda_dense, precisions) {
  CVM_REQUIRE_GPU();
  check_dense(3, 40, 18, true, 1, 8, 1);
  check_dense(3, 40, 18, true, 8, 1, 8);
  check_dense(3, 40, 18, true, 8, 8, 31);
  check_dense(3, 40, 18, true, 2, 3, 30);
}

// As extreme_conv: K = 65535 without a bias, K = 32767 with a bias of
// precision 31 at +-(2^30 - 1); every x and w at +-127.
void extreme_dense(int64_t k, bool bias, int32_t xv, int32_t wv, int32_t bv) {
  std::vector<Tensor> in{rnd({3, k}, 8, 1), rnd({9, k}, 8, 2)};
  for (int32_t& v : in[0].data) v = xv;
  for (int32_t& v : in[1].data) v = wv;
  if (bias) in.push_back(T({9}, 31, std::vector<int32_t>(9, bv)));
  SCOPED_TRACE(testing::Message() << "extreme dense k" << k << " x " << xv << " w " << wv << " b " << bv);
  check_both_paths("dense", dense_attrs(9, bias), in, cuda::dense_geometry(3, k, 9, bias));
}

TEST(cuda_dense, precision_8_extremes_at_every_element) {
  CVM_REQUIRE_GPU();
  constexpr int32_t kB = (int32_t{1} << 30) - 1;
  extreme_dense(65535, false, 127, 127, 0);
  extreme_dense(65535, false, -127, 127, 0);
  extreme_dense(65535, false, -127, -127, 0);
  extreme_dense(32767, true, 127, 127, kB);
  extreme_dense(32767, true, 127, -127, -kB);
  extreme_dense(32767, true, -127, -127, -kB);
}

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
