// Directed tests of the fast conv2d / max_pool2d paths of issue 20 against
// the reference, bit for bit, on every ISA level the CPU has and with 1, 2
// and 7 threads (fast_vs_reference):
// - the compact copy of strided 1x1 convolutions without padding
//   (fast/gemm_common_avx2.cc, ConvBuffer::compact), next to the 1x1 cases
//   that keep the padded copy (padding, stride 1);
// - the padded copy filled per plane by its task (padding rows, padding
//   columns, stride phases);
// - tiles finished one at a time (int16: bias and epilogue per full
//   16-column tile, partial tiles through the row routines; int8: the
//   corrections, bias and epilogue in the micro-kernel's registers, partial
//   tiles and panels through its scratch tile) and runs of 1 to 4 panels,
//   for conv2d (per-row corrections) and dense (per-column ones);
// - the AVX2 stride-2 windows and row maxima of max_pool2d
//   (fast/max_pool2d_avx2.cc) around its 8-column vector boundary.
#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <vector>

#include "conv_case.h"
#include "fast_support.h"
#include "support.h"

namespace cvm::oracle {
namespace {

void check_conv(const ConvCase& k, uint64_t seed) {
  SCOPED_TRACE(describe(k));
  expect_fast_matches_reference("conv2d", conv_attrs(k), conv_inputs(k, seed, seeded_tensor));
}

TEST(fast_conv_paths, strided_1x1_compact_copy) {
  uint64_t seed = 100;
  // Output widths around the 16-pixel tile (7, 8, 9, 15, 16, 17), tiles
  // that straddle output rows, odd input sizes (the last row / column of x
  // unread), unequal strides, and output channels around the 4-row panel.
  for (int64_t w : {13, 15, 16, 17, 31, 33, 34})
    for (int64_t s : {2, 3}) check_conv({.n = 1, .c = 5, .h = 9, .w = w, .o = 6, .kh = 1, .kw = 1, .sh = s, .sw = s}, seed++);
  check_conv({.n = 2, .c = 3, .h = 8, .w = 11, .o = 5, .kh = 1, .kw = 1, .sh = 2, .sw = 1}, seed++);
  check_conv({.n = 2, .c = 3, .h = 11, .w = 8, .o = 5, .kh = 1, .kw = 1, .sh = 1, .sw = 2}, seed++);
  check_conv({.n = 1, .c = 7, .h = 10, .w = 19, .o = 9, .kh = 1, .kw = 1, .sh = 2, .sw = 3, .bias = false}, seed++);
  // ResNet's downsampling shape, scaled down: 2 images, K a multiple of 4
  // and not, groups.
  check_conv({.n = 2, .c = 64, .h = 14, .w = 14, .o = 32, .kh = 1, .kw = 1, .sh = 2, .sw = 2}, seed++);
  check_conv({.n = 1, .c = 66, .h = 14, .w = 14, .o = 36, .kh = 1, .kw = 1, .sh = 2, .sw = 2}, seed++);
  check_conv({.n = 1, .c = 12, .h = 9, .w = 9, .o = 8, .kh = 1, .kw = 1, .sh = 2, .sw = 2, .groups = 4}, seed++);
  // Precision extremes (|x|, |w| = 127; the int8 path's corrections).
  check_conv({.n = 1, .c = 40, .h = 12, .w = 12, .o = 8, .kh = 1, .kw = 1, .sh = 2, .sw = 2, .px = 8, .pw_ = 8}, seed++);
  check_conv({.n = 1, .c = 40, .h = 12, .w = 12, .o = 8, .kh = 1, .kw = 1, .sh = 2, .sw = 2, .px = 2, .pw_ = 8}, seed++);
  // 1x1 that keep the padded copy: padding, or stride 1.
  check_conv({.n = 1, .c = 4, .h = 9, .w = 9, .o = 5, .kh = 1, .kw = 1, .sh = 2, .sw = 2, .ph = 1, .pw = 1}, seed++);
  check_conv({.n = 1, .c = 4, .h = 9, .w = 9, .o = 5, .kh = 1, .kw = 1, .sh = 2, .sw = 2, .ph = 0, .pw = 2}, seed++);
  check_conv({.n = 1, .c = 4, .h = 5, .w = 37, .o = 5, .kh = 1, .kw = 1}, seed++);
}

TEST(fast_conv_paths, padded_copy_filled_per_plane) {
  uint64_t seed = 200;
  // A stem-like 7x7 stride-2 pad-3 conv (K = 147, not a multiple of 4), and
  // paddings wider than the kernel reach, stride phases 1, 2, 3.
  check_conv({.n = 1, .c = 3, .h = 23, .w = 23, .o = 8, .kh = 7, .kw = 7, .sh = 2, .sw = 2, .ph = 3, .pw = 3}, seed++);
  check_conv({.n = 2, .c = 3, .h = 20, .w = 36, .o = 6, .kh = 7, .kw = 7, .sh = 2, .sw = 2, .ph = 3, .pw = 3}, seed++);
  for (int64_t s : {1, 2, 3})
    for (int64_t p : {0, 1, 2})
      check_conv({.n = 2, .c = 3, .h = 10, .w = 17, .o = 5, .kh = 3, .kw = 3, .sh = s, .sw = s, .ph = p, .pw = p}, seed++);
  check_conv({.n = 1, .c = 2, .h = 6, .w = 9, .o = 4, .kh = 3, .kw = 2, .sh = 1, .sw = 2, .ph = 2, .pw = 0}, seed++);
  check_conv({.n = 1, .c = 2, .h = 9, .w = 6, .o = 4, .kh = 2, .kw = 3, .sh = 3, .sw = 1, .ph = 0, .pw = 2}, seed++);
}

TEST(fast_conv_paths, tiles_finished_one_at_a_time) {
  uint64_t seed = 300;
  // Pixel counts with a partial last tile (1, 4, 5, 15 columns) and full
  // ones only; rows around panels and 32-panel row blocks; K over one
  // 320-pair / quad block (the tile is finished after the last block only).
  for (int64_t w : {16, 17, 20, 21, 31}) check_conv({.n = 1, .c = 3, .h = 2, .w = w, .o = 7, .kh = 1, .kw = 1}, seed++);
  check_conv({.n = 1, .c = 2, .h = 8, .w = 8, .o = 130, .kh = 1, .kw = 1}, seed++);
  check_conv({.n = 1, .c = 80, .h = 5, .w = 7, .o = 6, .kh = 3, .kw = 3, .ph = 1, .pw = 1}, seed++);
  check_conv({.n = 1, .c = 80, .h = 5, .w = 7, .o = 6, .kh = 3, .kw = 3, .ph = 1, .pw = 1, .bias = false}, seed++);
  // Panel runs: 1 to 9 panels (runs 4, 3 + 2, 4 + 3 + 2, ...), full and
  // partial last panels.
  for (int64_t o : {4, 8, 12, 16, 17, 20, 24, 28, 35, 36}) check_conv({.n = 1, .c = 3, .h = 2, .w = 17, .o = o, .kh = 1, .kw = 1}, seed++);
}

TEST(fast_conv_paths, dense_tiles_finished_in_the_micro_kernel) {
  uint64_t seed = 350;
  // Rows in panel runs of 1 to 4 (m = 1 .. 36), units around the 16-column
  // tile, K around the quad (5, 8) and over a 320-quad block (1290).
  for (int64_t m : {1, 4, 5, 16, 20, 36})
    for (int64_t units : {15, 16, 17, 33})
      for (int64_t k : {5, 8})
        for (bool bias : {true, false}) {
          SCOPED_TRACE(testing::Message() << "dense m" << m << " units" << units << " k" << k);
          std::vector<Tensor> in{seeded_tensor({m, k}, 8, seed), seeded_tensor({units, k}, 8, seed + 1)};
          if (bias) in.push_back(seeded_tensor({units}, 8, seed + 2));
          seed += 3;
          expect_fast_matches_reference("dense", {{"units", std::to_string(units)}, {"use_bias", bias ? "1" : "0"}},
                                        in);
        }
  std::vector<Tensor> in{seeded_tensor({9, 1290}, 4, seed), seeded_tensor({17, 1290}, 4, seed + 1),
                         seeded_tensor({17}, 8, seed + 2)};
  expect_fast_matches_reference("dense", {{"units", "17"}, {"use_bias", "1"}}, in);
}

void check_pool(const Shape& s, int64_t kh, int64_t kw, int64_t sh, int64_t sw, int64_t ph, int64_t pw,
                bool ceil, int p, uint64_t seed) {
  SCOPED_TRACE(testing::Message() << "max_pool2d " << s[2] << "x" << s[3] << " k" << kh << "x" << kw << " s"
                                  << sh << "," << sw << " p" << ph << "," << pw << " ceil " << ceil);
  expect_fast_matches_reference("max_pool2d",
                                {{"pool_size", pair_attr(kh, kw)},
                                 {"strides", pair_attr(sh, sw)},
                                 {"padding", pair_attr(ph, pw)},
                                 {"ceil_mode", ceil ? "true" : "false"}},
                                {seeded_tensor(s, p, seed)});
}

TEST(fast_conv_paths, max_pool2d_stride2_windows) {
  uint64_t seed = 400;
  // Output widths 7, 8, 9, 15, 16, 17 (one vector of 8 columns and tails),
  // window widths 1 to 4, with and without padding; rows 1 to 3 per window.
  for (int64_t w : {14, 15, 16, 17, 18, 30, 33, 34})
    for (int64_t kw : {1, 2, 3, 4})
      for (int64_t pad : {int64_t{0}, kw / 2})
        check_pool({1, 2, 5, w}, 3, kw, 2, 2, pad, pad, false, 8, seed++);
  // ResNet's pool (3x3, stride 2, pad 1), ceil mode, wide values.
  check_pool({1, 4, 22, 22}, 3, 3, 2, 2, 1, 1, false, 32, seed++);
  check_pool({1, 3, 21, 37}, 3, 3, 2, 2, 1, 1, true, 16, seed++);
  check_pool({2, 3, 9, 40}, 2, 3, 1, 2, 0, 1, false, 8, seed++);
}

TEST(fast_conv_paths, max_pool2d_all_negative_rows) {
  // Padding cells must never win, also in the vector windows: all inputs at
  // the most negative value of precision 32.
  const Shape s{1, 2, 6, 35};
  const auto n = static_cast<size_t>(s[0] * s[1] * s[2] * s[3]);
  expect_fast_matches_reference("max_pool2d",
                                {{"pool_size", "(3, 3)"}, {"strides", "(2, 2)"}, {"padding", "(1, 1)"}},
                                {T(s, 32, std::vector<int32_t>(n, -2147483647))});
}

}  // namespace
}  // namespace cvm::oracle
