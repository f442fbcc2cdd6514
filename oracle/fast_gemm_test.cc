// conv2d and dense fast kernels (fast/gemm_common*.{h,cc}, fast/conv2d.cc,
// fast/dense.cc) and their fused epilogues (cvm/epilogue.h) against the
// reference: tile boundaries of the blocking (kMR = 4 rows, 16-column tiles,
// 32-panel row blocks, 320-pair K blocks), every attribute variant,
// precision extremes, and fused == unfused chains.
#include <gtest/gtest.h>

#include <algorithm>
#include <climits>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "conv_case.h"
#include "cvm/intmath.h"
#include "cvm/validate.h"
#include "fast/epilogue.h"
#include "fast/run_op.h"
#include "fast_support.h"
#include "fused_chain.h"
#include "support.h"

namespace cvm::oracle {
namespace {

void check_conv(const ConvCase& k, uint64_t seed = 1) {
  SCOPED_TRACE(describe(k));
  expect_fast_matches_reference("conv2d", conv_attrs(k), conv_inputs(k, seed, seeded_tensor));
}

void check_dense(int64_t m, int64_t k, int64_t units, bool bias, int px = 8, int pw = 8,
                 int pb = 8, uint64_t seed = 1) {
  SCOPED_TRACE(testing::Message() << "dense m" << m << " k" << k << " units" << units);
  std::vector<Tensor> in{seeded_tensor({m, k}, px, seed), seeded_tensor({units, k}, pw, seed + 1)};
  if (bias) in.push_back(seeded_tensor({units}, pb, seed + 2));
  expect_fast_matches_reference("dense", {{"units", std::to_string(units)}, {"use_bias", bias ? "1" : "0"}},
                                in);
}

TEST(fast_conv2d, size_one_dims) {
  check_conv({.n = 1, .c = 1, .h = 1, .w = 1, .o = 1, .kh = 1, .kw = 1});
  check_conv({.n = 1, .c = 1, .h = 1, .w = 1, .o = 1, .kh = 1, .kw = 1, .bias = false});
  check_conv({.n = 2, .c = 1, .h = 1, .w = 5, .o = 3, .kh = 1, .kw = 3});
  check_conv({.n = 1, .c = 3, .h = 7, .w = 1, .o = 2, .kh = 3, .kw = 1});
}

TEST(fast_conv2d, pixel_tile_boundaries) {
  // Output pixels 15, 16, 17 (one 16-column tile), 63..65 (4-tile column
  // blocks); rows within and across output rows.
  for (int64_t w : {15, 16, 17, 63, 64, 65}) check_conv({.n = 1, .c = 2, .h = 1, .w = w, .o = 5, .kh = 1, .kw = 1});
  for (int64_t w : {3, 5, 7, 8, 9}) check_conv({.n = 2, .c = 3, .h = 9, .w = w, .o = 4, .kh = 3, .kw = 3, .ph = 1, .pw = 1});
}

TEST(fast_conv2d, row_panel_and_block_boundaries) {
  // Output channels kMR - 1, kMR, kMR + 1, and 32-panel row blocks (127..129).
  for (int64_t o : {1, 3, 4, 5, 8, 127, 128, 129}) check_conv({.n = 1, .c = 3, .h = 5, .w = 6, .o = o, .kh = 2, .kw = 2});
}

TEST(fast_conv2d, k_block_boundaries) {
  // K = C * KH * KW around one K block (320 pairs = 640 terms) and odd K.
  for (int64_t c : {1, 511, 639, 640, 641, 1030, 1281}) check_conv({.n = 1, .c = c, .h = 3, .w = 6, .o = 5, .kh = 1, .kw = 1});
  check_conv({.n = 1, .c = 57, .h = 5, .w = 5, .o = 6, .kh = 3, .kw = 3, .ph = 1, .pw = 1});  // K = 513
}

TEST(fast_conv2d, strides_padding_dilation) {
  check_conv({.n = 1, .c = 3, .h = 11, .w = 13, .o = 4, .kh = 3, .kw = 3, .sh = 2, .sw = 2, .ph = 1, .pw = 1});
  check_conv({.n = 1, .c = 3, .h = 23, .w = 23, .o = 8, .kh = 7, .kw = 7, .sh = 2, .sw = 2, .ph = 3, .pw = 3});
  check_conv({.n = 2, .c = 2, .h = 10, .w = 12, .o = 3, .kh = 2, .kw = 3, .sh = 3, .sw = 1, .ph = 0, .pw = 2});
  check_conv({.n = 1, .c = 2, .h = 9, .w = 20, .o = 3, .kh = 3, .kw = 2, .sh = 1, .sw = 3, .ph = 2, .pw = 0});
  check_conv({.n = 1, .c = 2, .h = 12, .w = 12, .o = 3, .kh = 3, .kw = 3, .ph = 1, .pw = 2, .dh = 2, .dw = 3});
  check_conv({.n = 1, .c = 2, .h = 8, .w = 9, .o = 3, .kh = 2, .kw = 2, .sh = 4, .sw = 5, .ph = 4, .pw = 5, .dh = 3, .dw = 2});
  // Windows entirely in the padding.
  check_conv({.n = 1, .c = 1, .h = 2, .w = 2, .o = 2, .kh = 1, .kw = 1, .ph = 3, .pw = 2});
  // Huge padding with huge strides: the AVX2 path's padded copy would be too
  // large, so the portable path runs.
  check_conv({.n = 1, .c = 1, .h = 1, .w = 1, .o = 2, .kh = 1, .kw = 1, .sh = 4096, .sw = 4096, .ph = 4096, .pw = 4096});
  check_conv({.n = 1, .c = 1, .h = 3, .w = 2, .o = 1, .kh = 2, .kw = 2, .sh = 1, .sw = 1, .ph = 0, .pw = 0, .dh = 2, .dw = 1});
}

TEST(fast_conv2d, groups) {
  check_conv({.n = 1, .c = 4, .h = 6, .w = 7, .o = 6, .kh = 3, .kw = 3, .ph = 1, .pw = 1, .groups = 2});
  check_conv({.n = 2, .c = 6, .h = 9, .w = 9, .o = 6, .kh = 3, .kw = 3, .sh = 2, .sw = 2, .ph = 1, .pw = 1, .groups = 6});
  check_conv({.n = 1, .c = 8, .h = 5, .w = 18, .o = 16, .kh = 3, .kw = 3, .ph = 1, .pw = 1, .groups = 8});
  check_conv({.n = 1, .c = 6, .h = 4, .w = 4, .o = 9, .kh = 1, .kw = 1, .groups = 3, .bias = false});
}

TEST(fast_conv2d, precision_extremes) {
  check_conv({.n = 1, .c = 3, .h = 6, .w = 7, .o = 5, .kh = 3, .kw = 3, .px = 1, .pw_ = 8, .pb = 1});
  check_conv({.n = 1, .c = 3, .h = 6, .w = 7, .o = 5, .kh = 3, .kw = 3, .px = 2, .pw_ = 1, .pb = 2});
  check_conv({.n = 1, .c = 3, .h = 6, .w = 7, .o = 5, .kh = 3, .kw = 3, .px = 8, .pw_ = 8, .pb = 30});
  check_conv({.n = 1, .c = 3, .h = 6, .w = 7, .o = 5, .kh = 3, .kw = 3, .px = 4, .pw_ = 7, .pb = 31});
  // All x and w at +-127: the largest sums.
  ConvCase k{.n = 1, .c = 64, .h = 6, .w = 6, .o = 6, .kh = 3, .kw = 3, .ph = 1, .pw = 1, .pb = 25};
  std::vector<Tensor> in = conv_inputs(k, 5, seeded_tensor);
  for (int32_t& v : in[0].data) v = 127;
  for (size_t i = 0; i < in[1].data.size(); ++i) in[1].data[i] = i % 3 == 0 ? -127 : 127;
  for (int32_t& v : in[1].data) v = -v;
  expect_fast_matches_reference("conv2d", conv_attrs(k), in);
  for (int32_t& v : in[1].data) v = -127;
  expect_fast_matches_reference("conv2d", conv_attrs(k), in);
}

TEST(fast_conv2d, larger_case_splits_over_threads) {
  check_conv({.n = 2, .c = 16, .h = 30, .w = 29, .o = 24, .kh = 3, .kw = 3, .ph = 1, .pw = 1}, 9);
  check_conv({.n = 1, .c = 16, .h = 33, .w = 33, .o = 32, .kh = 1, .kw = 1, .sh = 2, .sw = 2}, 10);
}

TEST(fast_dense, size_one_dims) {
  check_dense(1, 1, 1, true);
  check_dense(1, 1, 1, false);
  check_dense(3, 1, 5, true);
  check_dense(1, 7, 1, true);
}

TEST(fast_dense, tile_boundaries) {
  for (int64_t m : {1, 3, 4, 5, 9})
    for (int64_t units : {15, 16, 17, 63, 64, 65}) check_dense(m, 13, units, m % 2 == 1);
  for (int64_t k : {2, 3, 639, 640, 641, 1281}) check_dense(5, k, 17, true);
  check_dense(129, 9, 20, true);  // 32-panel row blocks
}

TEST(fast_dense, precision_extremes) {
  check_dense(3, 40, 18, true, 1, 8, 1);
  check_dense(3, 40, 18, true, 8, 1, 8);
  check_dense(3, 40, 18, true, 8, 8, 31);
  check_dense(3, 40, 18, true, 2, 3, 30);
  std::vector<Tensor> in{seeded_tensor({5, 300}, 8, 3), seeded_tensor({20, 300}, 8, 4), seeded_tensor({20}, 8, 5)};
  for (int32_t& v : in[0].data) v = -127;
  for (int32_t& v : in[1].data) v = 127;
  expect_fast_matches_reference("dense", {{"units", "20"}}, in);
}

TEST(fast_dense, larger_case_splits_over_threads) {
  check_dense(64, 300, 200, true, 8, 8, 8, 7);
  check_dense(2, 512, 1000, true, 8, 8, 12, 8);
}

// ---- int8 path corners (AVX-512 VNNI: u = x + 128, minus 128 sum w) ----
// expect_fast_matches_reference runs every ISA level the CPU has, so these
// check the int8 path where the CPU has AVX-512 VNNI and the int16 paths
// everywhere; the expected values come from the reference backend.

// x and w filled with constants (or a +-pattern): the largest |sums|.
void check_conv_filled(const ConvCase& k, int32_t xv, int32_t wv, bool alternate_w = false,
                       uint64_t seed = 11) {
  SCOPED_TRACE(testing::Message() << "conv c" << k.c << " h" << k.h << " w" << k.w << " o" << k.o
                                  << " k" << k.kh << "x" << k.kw << " g" << k.groups << " x=" << xv
                                  << " w=" << wv << (alternate_w ? " alternating" : ""));
  std::vector<Tensor> in = conv_inputs(k, seed, seeded_tensor);
  for (int32_t& v : in[0].data) v = xv;
  for (size_t i = 0; i < in[1].data.size(); ++i)
    in[1].data[i] = alternate_w && i % 2 == 1 ? -wv : wv;
  ASSERT_NO_THROW(run_reference("conv2d", conv_attrs(k), in));  // a valid case
  expect_fast_matches_reference("conv2d", conv_attrs(k), in);
}

void check_dense_filled(int64_t m, int64_t k, int64_t units, int32_t xv, int32_t wv, int px = 8,
                        uint64_t seed = 21) {
  SCOPED_TRACE(testing::Message() << "dense m" << m << " k" << k << " units" << units << " x=" << xv
                                  << " w=" << wv);
  std::vector<Tensor> in{seeded_tensor({m, k}, px, seed), seeded_tensor({units, k}, 8, seed + 1),
                         seeded_tensor({units}, 8, seed + 2)};
  for (int32_t& v : in[0].data) v = xv;
  for (int32_t& v : in[1].data) v = wv;
  ASSERT_NO_THROW(run_reference("dense", {{"units", std::to_string(units)}}, in));  // a valid case
  expect_fast_matches_reference("dense", {{"units", std::to_string(units)}}, in);
}

TEST(fast_gemm_int8, extreme_operands_every_sign) {
  // x = +-127 with w = +-127 over 3x3 windows with padding (padding cells:
  // x = 0, u = 128, counted in the weight sum), K = 576 (several quads, one
  // K block) and K = 1440 (two K blocks of <= 320 quads).
  for (int64_t c : {64, 160})
    for (int32_t xv : {-127, 127})
      for (int32_t wv : {-127, 127})
        check_conv_filled({.n = 1, .c = c, .h = 6, .w = 7, .o = 12, .kh = 3, .kw = 3, .ph = 1, .pw = 1, .pb = 25},
                          xv, wv);
  check_conv_filled({.n = 2, .c = 64, .h = 5, .w = 5, .o = 8, .kh = 3, .kw = 3, .ph = 1, .pw = 1}, 127, 127, true);
  for (int32_t xv : {-127, 127})
    for (int32_t wv : {-127, 127}) {
      check_dense_filled(5, 1281, 20, xv, wv);
      check_dense_filled(1, 640, 17, xv, wv);
    }
}

TEST(fast_gemm_int8, k_not_a_multiple_of_four) {
  // K = 1 .. 9 (padding terms of the last quad have w = 0 and must add 0
  // whatever u is), with the extremes and with random values.
  for (int64_t c = 1; c <= 9; ++c) {
    check_conv_filled({.n = 1, .c = c, .h = 3, .w = 17, .o = 5, .kh = 1, .kw = 1}, -127, 127);
    check_conv_filled({.n = 1, .c = c, .h = 3, .w = 17, .o = 5, .kh = 1, .kw = 1}, 127, -127, true);
    check_conv({.n = 1, .c = c, .h = 4, .w = 16, .o = 12, .kh = 1, .kw = 1}, 30 + static_cast<uint64_t>(c));
    check_dense_filled(3, c, 17, -127, -127);
    check_dense(4, c, 16, true, 8, 8, 8, 40 + static_cast<uint64_t>(c));
  }
  // K = 1 with a 1x1 kernel and K = 3 with a 1x3 kernel over padding.
  check_conv_filled({.n = 1, .c = 1, .h = 4, .w = 9, .o = 3, .kh = 1, .kw = 3, .pw = 1}, -127, -127);
}

TEST(fast_gemm_int8, many_k_blocks) {
  // 320-quad K blocks: K = 1279, 1280, 1281 (one or two blocks) and 2561
  // (three), both operands random and extreme.
  for (int64_t c : {1279, 1280, 1281, 2561}) {
    check_conv({.n = 1, .c = c, .h = 2, .w = 9, .o = 13, .kh = 1, .kw = 1}, 50 + static_cast<uint64_t>(c));
    check_conv_filled({.n = 1, .c = c, .h = 2, .w = 8, .o = 8, .kh = 1, .kw = 1}, -127, 127);
    check_dense(6, c, 33, true, 8, 8, 8, 60 + static_cast<uint64_t>(c));
    check_dense_filled(4, c, 16, 127, -127);
  }
}

TEST(fast_gemm_int8, padding_cells_are_x_zero) {
  // Windows partly or entirely in the padding with all-nonzero weights: the
  // padding cells have u = 128 and their weights are in the correction.
  check_conv_filled({.n = 1, .c = 3, .h = 2, .w = 3, .o = 4, .kh = 3, .kw = 3, .ph = 2, .pw = 2}, 127, -127);
  check_conv_filled({.n = 1, .c = 1, .h = 2, .w = 2, .o = 2, .kh = 1, .kw = 1, .ph = 3, .pw = 2}, -127, 127);
  check_conv_filled({.n = 1, .c = 5, .h = 7, .w = 9, .o = 16, .kh = 5, .kw = 5, .sh = 2, .sw = 3, .ph = 4, .pw = 4, .dh = 2, .dw = 1},
                    -127, -127);
  check_conv({.n = 2, .c = 7, .h = 6, .w = 20, .o = 12, .kh = 3, .kw = 3, .sh = 1, .sw = 2, .ph = 2, .pw = 3}, 71);
}

TEST(fast_gemm_int8, groups_and_panel_runs) {
  // Output channels per group covering runs of 1, 2, 3 panels (4 -> 1, 8 ->
  // 2, 12 -> 3, 16 -> 2 + 2, 20 -> 3 + 2, 28 -> 3 + 2 + 2) and a partial
  // panel; per-group corrections.
  for (int64_t opg : {1, 4, 7, 8, 12, 16, 20, 28}) {
    check_conv({.n = 1, .c = 6, .h = 5, .w = 8, .o = 2 * opg, .kh = 3, .kw = 3, .ph = 1, .pw = 1, .groups = 2},
               80 + static_cast<uint64_t>(opg));
    check_conv_filled({.n = 1, .c = 6, .h = 4, .w = 4, .o = 3 * opg, .kh = 3, .kw = 3, .ph = 1, .pw = 1, .groups = 3},
                      127, -127, true);
  }
  check_conv_filled({.n = 2, .c = 8, .h = 9, .w = 9, .o = 8, .kh = 3, .kw = 3, .ph = 1, .pw = 1, .groups = 8}, -127, 127);
  for (int64_t m : {1, 4, 8, 12, 13, 16, 20, 28, 29}) check_dense(m, 70, 35, true, 8, 8, 8, 90 + static_cast<uint64_t>(m));
}

TEST(fast_gemm_int8, wrapping_intermediates_are_exact) {
  // Small p_x with a long K: sum u w = S + 128 W leaves int32 (128 * 127 *
  // 140000 > 2^31) while S and the biased sum fit; the modular correction
  // must still give S exactly.
  check_conv_filled({.n = 1, .c = 140000, .h = 1, .w = 2, .o = 5, .kh = 1, .kw = 1, .px = 2}, 1, 127);
  check_conv_filled({.n = 1, .c = 140000, .h = 1, .w = 2, .o = 5, .kh = 1, .kw = 1, .px = 2}, -1, -127);
  check_conv_filled({.n = 1, .c = 140000, .h = 1, .w = 1, .o = 4, .kh = 1, .kw = 1, .px = 1}, 0, 127);
  check_dense_filled(2, 140000, 3, 1, 127, 2);
  check_dense_filled(2, 140000, 3, -1, -127, 2);
  check_dense_filled(5, 140000, 17, 0, -127, 1);
}

// ---- fused == unfused chains --------------------------------------------

TEST(fast_conv2d, fused_equals_unfused_chain) {
  const ConvCase cases[] = {
      {.n = 1, .c = 5, .h = 9, .w = 10, .o = 6, .kh = 3, .kw = 3, .ph = 1, .pw = 1},
      {.n = 2, .c = 4, .h = 7, .w = 7, .o = 4, .kh = 3, .kw = 3, .sh = 2, .sw = 2, .groups = 2, .bias = false},
      {.n = 1, .c = 600, .h = 2, .w = 9, .o = 5, .kh = 1, .kw = 1, .pb = 20},
  };
  uint64_t seed = 100;
  for (const ConvCase& k : cases)
    for (const auto& chain : epilogue_chains())
      EXPECT_EQ(fused_vs_chain("conv2d", conv_attrs(k), conv_inputs(k, ++seed, seeded_tensor), chain), "");
}

TEST(fast_dense, fused_equals_unfused_chain) {
  uint64_t seed = 200;
  for (int64_t m : {1, 6})
    for (const auto& chain : epilogue_chains()) {
      ++seed;
      std::vector<Tensor> in{seeded_tensor({m, 37}, 8, seed), seeded_tensor({19, 37}, 8, seed + 1), seeded_tensor({19}, 16, seed + 2)};
      EXPECT_EQ(fused_vs_chain("dense", {{"units", "19"}}, in, chain), "");
    }
}

TEST(fast_dense, epilogue_step_maps_each_op_exactly) {
  // Scalar Epilogue::apply against the reference op on extreme values.
  const std::vector<int32_t> xs{INT32_MAX, INT32_MAX - 1, -INT32_MAX, 0, 1, -1, 2, -2, 3, -3, 1 << 30, -(1 << 30)};
  for (const auto& chain : epilogue_chains())
    for (const ChainStep& s : chain) {
      Tensor x{{static_cast<int64_t>(xs.size())}, 32, xs};
      const Tensor want = run_reference(s.op, s.attrs, {x}).outputs[0];
      const ValidatedOp v = validate_op(s.op, s.attrs, {x.type()});
      Epilogue e;
      e.push(*epilogue_step(*v.op, v.attrs));
      for (size_t i = 0; i < xs.size(); ++i) EXPECT_EQ(e.apply(xs[i]), want.data[i]) << s.op << " " << xs[i];
    }
  const ValidatedOp d = validate_op("dense", {{"units", "1"}}, {TensorType{{1, 1}, 8}, TensorType{{1, 1}, 8}, TensorType{{1}, 8}});
  EXPECT_FALSE(epilogue_step(*d.op, d.attrs).has_value());
}

// The differential tests skip the VNNI level for ops without paths of their
// own there (fast::isa_has_own_paths). That is sound only while every fast/
// source that asks for the level (use_avx512_vnni(level), or
// gemm::int8_gemm(level) which the GEMM answers from it) belongs to an op that has such paths: a
// new caller must be reviewed and isa_has_own_paths extended. conv2d.cc also
// hands the answer to the depthwise kernel (conv2d_depthwise_avx2.cc).
TEST(fast_isa_levels, only_the_gemm_asks_for_vnni) {
  EXPECT_TRUE(fast::isa_has_own_paths("conv2d", fast::Isa::kAvx512Vnni));
  EXPECT_TRUE(fast::isa_has_own_paths("dense", fast::Isa::kAvx512Vnni));
  EXPECT_FALSE(fast::isa_has_own_paths("relu", fast::Isa::kAvx512Vnni));
  EXPECT_TRUE(fast::isa_has_own_paths("relu", fast::Isa::kAvx2));
  std::vector<std::string> callers;
  for (const auto& entry : std::filesystem::directory_iterator(std::string(CVM_SOURCE_DIR) + "/fast")) {
    if (entry.path().extension() != ".cc") continue;
    std::ifstream in(entry.path());
    const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    const bool asks = text.find("use_avx512_vnni(") != std::string::npos || text.find("int8_gemm(") != std::string::npos;
    if (asks && entry.path().filename() != "registry.cc") callers.push_back(entry.path().filename().string());
  }
  std::sort(callers.begin(), callers.end());
  EXPECT_EQ(callers, (std::vector<std::string>{"conv2d.cc", "dense.cc", "gemm_common_avx2.cc"}));
}

}  // namespace
}  // namespace cvm::oracle
