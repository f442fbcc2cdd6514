// Fast kernels of the transform group (fast/transform_common.h) against the
// reference: size-1 dims, the blocked transpose's tile boundaries (8 x 8
// sub-blocks in 16 x 16 tiles: 7/8/9, 15/16/17, and 7/8 is also the threshold
// for taking the blocked path), chunk boundaries of the
// parallel split (16K elements, so the ~100K cases split mid-row over 2 and 7
// threads), precisions 1, 8, 32 with extreme values, and every attribute
// variant (negative axes, negative strides, clamping, index clipping...).
#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <vector>

#include "cvm/tensor.h"
#include "fast_support.h"
#include "support.h"

namespace cvm::oracle {
namespace {

void check(const std::string& op, const AttrMap& attrs, const std::vector<Tensor>& in) {
  expect_fast_matches_reference(op, attrs, in);
}

// ---- pure reshapes -------------------------------------------------------

TEST(fast_reshape, shapes_precisions_and_codes) {
  int seed = 1;
  for (int p : {1, 8, 32}) {
    check("reshape", {{"shape", "(-1,)"}}, {seeded_tensor({1}, p, seed++)});
    check("reshape", {{"shape", "(0, -4, 3, -1, -2)"}}, {seeded_tensor({2, 3, 2}, p, seed++)});
    check("reshape", {{"shape", "(-3, -1)"}}, {seeded_tensor({2, 3, 2}, p, seed++)});
    check("reshape", {{"shape", "(1, 1, -1)"}}, {seeded_tensor({5, 1}, p, seed++)});
  }
  check("reshape", {{"shape", "(-1, 97)"}}, {seeded_tensor({97, 1031}, 32, 9)});
  check("reshape", {{"shape", "(3, 4)"}}, {seeded_tensor({2, 5}, 8, 10)});  // rejected alike
}

TEST(fast_flatten, shapes_and_precisions) {
  int seed = 20;
  for (int p : {1, 8, 32}) {
    check("flatten", {}, {seeded_tensor({1}, p, seed++)});
    check("flatten", {}, {seeded_tensor({3}, p, seed++)});
    check("flatten", {}, {seeded_tensor({2, 1, 3, 1}, p, seed++)});
  }
  check("flatten", {}, {seeded_tensor({7, 13, 1123}, 8, 29)});
}

TEST(fast_expand_dims, axes_and_precisions) {
  int seed = 30;
  for (int p : {1, 8, 32}) {
    for (const char* ax : {"0", "1", "2", "-1", "-3"})
      check("expand_dims", {{"axis", ax}, {"num_newaxis", "2"}}, {seeded_tensor({2, 3}, p, seed++)});
    check("expand_dims", {{"axis", "0"}}, {seeded_tensor({1}, p, seed++)});
  }
  check("expand_dims", {{"axis", "1"}, {"num_newaxis", "3"}}, {seeded_tensor({101, 1009}, 32, 49)});
}

TEST(fast_squeeze, axes_and_precisions) {
  int seed = 50;
  for (int p : {1, 8, 32}) {
    check("squeeze", {{"axis", "()"}}, {seeded_tensor({1, 3, 1, 2}, p, seed++)});
    check("squeeze", {{"axis", "(-2,)"}}, {seeded_tensor({1, 3, 1, 2}, p, seed++)});
    check("squeeze", {{"axis", "(0, 2)"}}, {seeded_tensor({1, 3, 1, 2}, p, seed++)});
    check("squeeze", {}, {seeded_tensor({1, 1}, p, seed++)});
  }
  check("squeeze", {}, {seeded_tensor({1, 211, 1, 509}, 8, 69)});
}

// ---- concatenate -----------------------------------------------------------

TEST(fast_concatenate, axes_precisions_and_segments) {
  int seed = 100;
  for (int p : {1, 8, 32}) {
    check("concatenate", {}, {seeded_tensor({2, 2}, p, seed++), seeded_tensor({2, 1}, 8, seed++)});
    check("concatenate", {{"axis", "-1"}},
          {seeded_tensor({1}, p, seed++), seeded_tensor({2}, p, seed++), seeded_tensor({1}, p, seed++)});
    check("concatenate", {{"axis", "0"}},
          {seeded_tensor({1, 3, 1}, p, seed++), seeded_tensor({4, 3, 1}, p, seed++)});
    check("concatenate", {{"axis", "2"}},
          {seeded_tensor({2, 3, 1}, p, seed++), seeded_tensor({2, 3, 5}, 32, seed++)});
    check(
        "concatenate", {{"axis", "-2"}},
        {seeded_tensor({2, 1, 3}, p, seed++), seeded_tensor({2, 2, 3}, 1, seed++), seeded_tensor({2, 1, 3}, p, seed++)});
  }
  check("concatenate", {{"axis", "0"}}, {seeded_tensor({1}, 8, seed++)});  // one input
  // Large: chunks of 16K start inside segments.
  check("concatenate", {{"axis", "1"}},
        {seeded_tensor({37, 1001, 1}, 8, seed++), seeded_tensor({37, 3, 1}, 32, seed++),
         seeded_tensor({37, 1777, 1}, 1, seed++)});
  check("concatenate", {{"axis", "0"}}, {seeded_tensor({50001}, 8, seed++), seeded_tensor({60013}, 8, seed++)});
  check("concatenate", {{"axis", "3"}},
        {seeded_tensor({1, 2, 3}, 8, seed++), seeded_tensor({1, 2, 3}, 8, seed++)});
}

// ---- transpose -----------------------------------------------------------

TEST(fast_transpose, permutations_and_precisions) {
  int seed = 200;
  for (int p : {1, 8, 32}) {
    check("transpose", {}, {seeded_tensor({2, 3}, p, seed++)});
    check("transpose", {}, {seeded_tensor({1}, p, seed++)});
    check("transpose", {{"axes", "(1, 2, 0)"}}, {seeded_tensor({2, 3, 2}, p, seed++)});
    check("transpose", {{"axes", "(-1, 0, -2)"}}, {seeded_tensor({2, 3, 4}, p, seed++)});
    check("transpose", {{"axes", "(0, 2, 1, 3)"}}, {seeded_tensor({2, 3, 4, 5}, p, seed++)});
    check("transpose", {{"axes", "(3, 1, 2, 0)"}}, {seeded_tensor({1, 3, 1, 2}, p, seed++)});
  }
  check("transpose", {{"axes", "(0, 0)"}}, {seeded_tensor({2, 2}, 8, seed++)});  // rejected alike
  check("transpose", {}, {seeded_tensor({}, 8, seed++)});                        // rank 0
}

TEST(fast_transpose, blocked_tile_boundaries) {
  int seed = 250;
  // The blocked path needs both the strided inner dim and the contiguous dim
  // >= 8; tiles are 16 x 16 made of 8 x 8 sub-blocks: test 7, 8, 9, 15, 16,
  // 17, 31, 33 on each blocked dim.
  for (int64_t a : {7, 8, 9, 15, 16, 17, 31, 33})
    for (int64_t b : {7, 8, 9, 15, 16, 17, 33})
      check("transpose", {}, {seeded_tensor({a, b}, 32, seed++)});
  // Batched (outer dims around the blocked pair): NCHW -> NHWC and others.
  check("transpose", {{"axes", "(0, 2, 3, 1)"}}, {seeded_tensor({2, 33, 5, 7}, 8, seed++)});
  check("transpose", {{"axes", "(0, 2, 3, 1)"}}, {seeded_tensor({2, 17, 4, 4}, 8, seed++)});
  check("transpose", {{"axes", "(0, 2, 3, 1)"}}, {seeded_tensor({3, 9, 11, 4}, 8, seed++)});
  check("transpose", {{"axes", "(2, 0, 1)"}}, {seeded_tensor({33, 3, 40}, 8, seed++)});
  check("transpose", {{"axes", "(1, 0, 2)"}}, {seeded_tensor({33, 40, 3}, 8, seed++)});
  check("transpose", {{"axes", "(2, 1, 0)"}}, {seeded_tensor({9, 2, 40}, 8, seed++)});
  check("transpose", {{"axes", "(0, 3, 2, 1, 4, 5)"}}, {seeded_tensor({2, 9, 1, 10, 1, 1}, 8, seed++)});
  check("transpose", {{"axes", "(5, 4, 3, 2, 1, 0)"}}, {seeded_tensor({2, 3, 1, 2, 3, 2}, 8, seed++)});
  // Large: threads split tiles and rows.
  check("transpose", {}, {seeded_tensor({317, 331}, 32, seed++)});
  check("transpose", {{"axes", "(0, 2, 3, 1)"}}, {seeded_tensor({2, 64, 29, 29}, 8, seed++)});
  check("transpose", {{"axes", "(1, 0, 2)"}}, {seeded_tensor({300, 100, 4}, 8, seed++)});
}

// ---- slicing ---------------------------------------------------------------

TEST(fast_slice_like, axes_and_precisions) {
  int seed = 300;
  for (int p : {1, 8, 32}) {
    check("slice_like", {{"axis", "(1,)"}}, {seeded_tensor({3, 4}, p, seed++), seeded_tensor({1, 2}, 1, seed++)});
    check("slice_like", {}, {seeded_tensor({2, 3}, p, seed++), seeded_tensor({1, 2}, 32, seed++)});
    check("slice_like", {{"axis", "(-1, 0)"}},
          {seeded_tensor({4, 5, 6}, p, seed++), seeded_tensor({3, 2}, 8, seed++)});
    check("slice_like", {{"axis", "(0,)"}}, {seeded_tensor({4, 5, 6}, p, seed++), seeded_tensor({1}, 8, seed++)});
    check("slice_like", {}, {seeded_tensor({1, 1}, p, seed++), seeded_tensor({1, 1}, 8, seed++)});
    check("slice_like", {}, {seeded_tensor({3, 4, 5}, p, seed++), seeded_tensor({3, 4, 5}, 8, seed++)});
  }
  check("slice_like", {}, {seeded_tensor({3, 4}, 8, seed++), seeded_tensor({4, 4}, 8, seed++)});  // rejected
  check("slice_like", {}, {seeded_tensor({130, 1000}, 8, seed++), seeded_tensor({129, 777}, 8, seed++)});
  check("slice_like", {{"axis", "(0,)"}},
        {seeded_tensor({130, 1000}, 8, seed++), seeded_tensor({101}, 8, seed++)});
}

TEST(fast_strided_slice, strides_clamps_and_precisions) {
  int seed = 400;
  for (int p : {1, 8, 32}) {
    check("strided_slice", {{"begin", "(0, 3)"}, {"end", "(3, 0)"}, {"stride", "(2, -2)"}},
          {seeded_tensor({3, 4}, p, seed++)});
    check("strided_slice", {{"begin", "-1"}, {"end", "-5"}, {"stride", "-1"}},
          {seeded_tensor({4}, p, seed++)});
    check("strided_slice", {}, {seeded_tensor({3, 4}, p, seed++)});  // defaults: axis 0 ends at 1
    check("strided_slice", {{"begin", "(1, 1, 1)"}, {"end", "(3, 4, 5)"}},
          {seeded_tensor({3, 4, 5}, p, seed++)});
    check("strided_slice",
          {{"begin", "(-100, 100, 0)"}, {"end", "(100, -100, 1)"}, {"stride", "(1, -1, 1)"}},
          {seeded_tensor({3, 4, 5}, p, seed++)});
    check("strided_slice",
          {{"begin", "(0, 0, 0, 0)"}, {"end", "(9, 9, 9, 9)"}, {"stride", "(1, 1, 1, 1, 5)"}},
          {seeded_tensor({1, 2, 1, 3}, p, seed++)});  // extra entries ignored
  }
  // Huge strides: one output element per axis.
  check("strided_slice",
        {{"begin", "(2, 0)"},
         {"end", "(0, 5)"},
         {"stride", "(-9223372036854775808, 9223372036854775807)"}},
        {seeded_tensor({3, 5}, 8, seed++)});
  check("strided_slice", {{"begin", "(0,)"}, {"end", "(2,)"}, {"stride", "(0,)"}},
        {seeded_tensor({3}, 8, seed++)});  // rejected alike
  // Every stride sign and size over a rank-4 tensor.
  for (const char* st : {"(1, 1, 1, 2)", "(1, 1, 1, -1)", "(-1, 2, -3, 1)", "(2, -1, 1, -3)"})
    check("strided_slice",
          {{"begin", "(-1, 0, 5, 0)"}, {"end", "(-10, 9, -10, 9)"}, {"stride", st}},
          {seeded_tensor({4, 5, 7, 9}, 8, seed++)});
  for (const char* st : {"(1, 1, 1, 2)", "(-1, 2, -3, 1)", "(2, -1, 1, -3)"})
    check("strided_slice",
          {{"begin", "(0, -1, 0, -1)"}, {"end", "(9, -9, 9, -99)"}, {"stride", st}},
          {seeded_tensor({4, 5, 7, 9}, 8, seed++)});
  // Large.
  check("strided_slice", {{"begin", "(1, 2)"}, {"end", "(400, 700)"}, {"stride", "(1, 1)"}},
        {seeded_tensor({401, 703}, 32, seed++)});
  check("strided_slice", {{"begin", "(-1, -1)"}, {"end", "(-999, -999)"}, {"stride", "(-1, -2)"}},
        {seeded_tensor({401, 703}, 32, seed++)});
}

// ---- take ------------------------------------------------------------------

TEST(fast_take, flat_and_axes_with_clipping) {
  int seed = 500;
  for (int p : {1, 8, 32}) {
    check("take", {}, {seeded_tensor({2, 3}, p, seed++), seeded_tensor({2, 2}, 8, seed++)});
    check("take", {}, {seeded_tensor({1}, p, seed++), seeded_tensor({5}, 32, seed++)});
    check("take", {}, {seeded_tensor({4, 5}, p, seed++), indices({3, 7}, -3, 23, seed++)});
    for (const char* ax : {"0", "1", "2", "-1", "-3"}) {
      check("take", {{"axis", ax}}, {seeded_tensor({3, 4, 5}, p, seed++), indices({2, 3}, -2, 7, seed++)});
      check("take", {{"axis", ax}}, {seeded_tensor({3, 4, 5}, p, seed++), seeded_tensor({4}, 32, seed++)});
      check("take", {{"axis", ax}}, {seeded_tensor({3, 4, 5}, p, seed++), indices({1}, 0, 0, seed++)});
    }
    check("take", {{"axis", "0"}}, {seeded_tensor({1}, p, seed++), indices({3}, -1, 1, seed++)});
  }
  check("take", {{"axis", "3"}}, {seeded_tensor({3, 4}, 8, seed++), seeded_tensor({2}, 8, seed++)});  // rejected
  // Large.
  check("take", {}, {seeded_tensor({1000, 3}, 32, seed++), indices({333, 300}, -10, 3010, seed++)});
  check("take", {{"axis", "1"}},
        {seeded_tensor({20, 300, 17}, 8, seed++), indices({311}, -5, 305, seed++)});
  check("take", {{"axis", "-1"}},
        {seeded_tensor({20, 30, 17}, 8, seed++), indices({19, 11}, -5, 20, seed++)});
  check("take", {{"axis", "0"}}, {seeded_tensor({50, 3001}, 8, seed++), indices({40}, -5, 55, seed++)});
}

// ---- tile, repeat, upsampling ---------------------------------------------

TEST(fast_tile, reps_and_precisions) {
  int seed = 600;
  for (int p : {1, 8, 32}) {
    check("tile", {{"reps", "(2, 3)"}}, {seeded_tensor({2}, p, seed++)});
    check("tile", {{"reps", "2"}}, {seeded_tensor({2, 2}, p, seed++)});
    check("tile", {{"reps", "(1, 1)"}}, {seeded_tensor({3, 1}, p, seed++)});
    check("tile", {{"reps", "(3, 1, 2)"}}, {seeded_tensor({1, 4}, p, seed++)});
    check("tile", {{"reps", "(2, 1, 3, 1)"}}, {seeded_tensor({2, 3, 1, 4}, p, seed++)});
    check("tile", {{"reps", "(5,)"}}, {seeded_tensor({1}, p, seed++)});
  }
  check("tile", {{"reps", "(0,)"}}, {seeded_tensor({2}, 8, seed++)});   // rejected alike
  check("tile", {{"reps", "(3, 2)"}}, {seeded_tensor({}, 8, seed++)});  // rank 0
  check("tile", {{"reps", "(1, 2, 1, 1, 2, 3)"}}, {seeded_tensor({2, 1, 3, 2, 1, 2}, 8, seed++)});
  // Large.
  check("tile", {{"reps", "(3, 2, 7)"}}, {seeded_tensor({21, 5, 51}, 8, seed++)});
  check("tile", {{"reps", "(4, 4000)"}}, {seeded_tensor({7, 1}, 8, seed++)});
  check("tile", {{"reps", "(64,)"}}, {seeded_tensor({1601}, 32, seed++)});
}

TEST(fast_repeat, axes_and_precisions) {
  int seed = 700;
  for (int p : {1, 8, 32}) {
    for (const char* ax : {"0", "1", "-1", "-2", "2"}) {
      check("repeat", {{"repeats", "2"}, {"axis", ax}}, {seeded_tensor({2, 3, 4}, p, seed++)});
      check("repeat", {{"repeats", "1"}, {"axis", ax}}, {seeded_tensor({2, 1, 4}, p, seed++)});
    }
    check("repeat", {{"repeats", "5"}}, {seeded_tensor({1}, p, seed++)});
  }
  check("repeat", {{"repeats", "2"}, {"axis", "3"}}, {seeded_tensor({2, 3}, 8, seed++)});  // rejected
  // Large.
  check("repeat", {{"repeats", "3"}, {"axis", "-1"}}, {seeded_tensor({101, 331}, 8, seed++)});
  check("repeat", {{"repeats", "7"}, {"axis", "0"}}, {seeded_tensor({13, 1201}, 8, seed++)});
  check("repeat", {{"repeats", "2"}, {"axis", "1"}}, {seeded_tensor({17, 29, 101}, 32, seed++)});
}

TEST(fast_upsampling, scales_and_precisions) {
  int seed = 800;
  for (int p : {1, 8, 32}) {
    for (const char* s : {"1", "2", "3"}) {
      check("upsampling", {{"scale", s}}, {seeded_tensor({1, 1, 2, 2}, p, seed++)});
      check("upsampling", {{"scale", s}}, {seeded_tensor({2, 3, 1, 5}, p, seed++)});
      check("upsampling", {{"scale", s}}, {seeded_tensor({1, 2, 3, 1}, p, seed++)});
    }
  }
  check("upsampling", {{"scale", "0"}}, {seeded_tensor({1, 1, 2, 2}, 8, seed++)});  // rejected
  // Large.
  check("upsampling", {{"scale", "2"}}, {seeded_tensor({2, 16, 29, 31}, 8, seed++)});
  check("upsampling", {{"scale", "5"}}, {seeded_tensor({1, 3, 47, 13}, 32, seed++)});
  check("upsampling", {{"scale", "1"}}, {seeded_tensor({3, 8, 61, 67}, 8, seed++)});
}

}  // namespace
}  // namespace cvm::oracle
