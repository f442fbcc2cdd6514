// CUDA kernels of the transform, reduce and vision groups against the
// reference, bit for bit: reshape, flatten, expand_dims, squeeze, transpose,
// concatenate, repeat, tile, take, strided_slice, slice_like, upsampling,
// sum, max, max_pool2d, get_valid_counts, non_max_suppression, cvm_lut.
//
// Directed cases per op (size-1 dims, negative axes and strides, index
// clipping, precision extremes +-(2^(p-1)-1), and the launch-shape boundaries
// of the CUDA kernels: copy plans of rank 1..4 and the generic rank,
// cuda/reduce_common.cuh's thread/block choice (2048 outputs), K split into
// parts (1024 elements per part), get_valid_counts' parts of 4096 rows and
// chunks of 256, non_max_suppression's kept list longer than a block, tied
// scores and the p = 32 IOU fallback): cuda::run_cuda_op against
// run_reference, both run here. Then a few hundred generated cases per op
// (oracle/gen) through gen::cuda_vs_reference.
//
// Every test starts with CVM_REQUIRE_GPU(): without a CUDA device it is
// skipped with a message, never failed.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "cuda/run_op.h"
#include "cuda_support.h"
#include "cvm/tensor.h"
#include "cvm/validate.h"
#include "gen/chooser.h"
#include "gen/cuda_differential.h"
#include "gen/differential.h"
#include "gen/op_cases.h"
#include "gen/values.h"
#include "reduce_cases.h"
#include "support.h"

namespace cvm::oracle {
namespace {

int64_t rmax(int p) { return (int64_t{1} << (p - 1)) - 1; }

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

// ---- flat copies -------------------------------------------------------------

TEST(cuda_reshape, shapes_precisions_and_codes) {
  CVM_REQUIRE_GPU();
  uint64_t seed = 1;
  for (int p : {1, 8, 32}) {
    check("reshape", {{"shape", "(-1,)"}}, {rnd({1}, p, seed++)});
    check("reshape", {{"shape", "(0, -4, 3, -1, -2)"}}, {rnd({2, 3, 2}, p, seed++)});
    check("reshape", {{"shape", "(-3, -1)"}}, {rnd({2, 3, 2}, p, seed++)});
    check("reshape", {{"shape", "(1, 1, -1)"}}, {rnd({5, 1}, p, seed++)});
  }
  check("reshape", {{"shape", "(-1, 97)"}}, {rnd({97, 1031}, 32, seed++)});
  check("reshape", {{"shape", "(3, 4)"}}, {rnd({2, 5}, 8, seed++)}, false);  // rejected alike
}

TEST(cuda_flatten, shapes_and_precisions) {
  CVM_REQUIRE_GPU();
  uint64_t seed = 20;
  for (int p : {1, 8, 32}) {
    check("flatten", {}, {rnd({1}, p, seed++)});
    check("flatten", {}, {rnd({3}, p, seed++)});
    check("flatten", {}, {rnd({2, 1, 3, 1}, p, seed++)});
  }
  check("flatten", {}, {rnd({7, 13, 1123}, 8, seed++)});
}

TEST(cuda_expand_dims, axes_and_precisions) {
  CVM_REQUIRE_GPU();
  uint64_t seed = 30;
  for (int p : {1, 8, 32}) {
    for (const char* ax : {"0", "1", "2", "-1", "-3"})
      check("expand_dims", {{"axis", ax}, {"num_newaxis", "2"}}, {rnd({2, 3}, p, seed++)});
    check("expand_dims", {{"axis", "0"}}, {rnd({1}, p, seed++)});
  }
  check("expand_dims", {{"axis", "1"}, {"num_newaxis", "3"}}, {rnd({101, 1009}, 32, seed++)});
  check("expand_dims", {{"axis", "4"}}, {rnd({2, 3}, 8, seed++)}, false);  // rejected alike
}

TEST(cuda_squeeze, axes_and_precisions) {
  CVM_REQUIRE_GPU();
  uint64_t seed = 50;
  for (int p : {1, 8, 32}) {
    check("squeeze", {{"axis", "()"}}, {rnd({1, 3, 1, 2}, p, seed++)});
    check("squeeze", {{"axis", "(-2,)"}}, {rnd({1, 3, 1, 2}, p, seed++)});
    check("squeeze", {{"axis", "(0, 2)"}}, {rnd({1, 3, 1, 2}, p, seed++)});
    check("squeeze", {}, {rnd({1, 1}, p, seed++)});
  }
  check("squeeze", {}, {rnd({1, 211, 1, 509}, 8, seed++)});
  check("squeeze", {{"axis", "(1,)"}}, {rnd({1, 3}, 8, seed++)}, false);  // rejected alike
}

// ---- concatenate -------------------------------------------------------------

TEST(cuda_concatenate, axes_precisions_and_segments) {
  CVM_REQUIRE_GPU();
  uint64_t seed = 100;
  for (int p : {1, 8, 32}) {
    check("concatenate", {}, {rnd({2, 2}, p, seed++), rnd({2, 1}, 8, seed++)});
    check("concatenate", {{"axis", "-1"}}, {rnd({1}, p, seed++), rnd({2}, p, seed++), rnd({1}, p, seed++)});
    check("concatenate", {{"axis", "0"}}, {rnd({1, 3, 1}, p, seed++), rnd({4, 3, 1}, p, seed++)});
    check("concatenate", {{"axis", "2"}}, {rnd({2, 3, 1}, p, seed++), rnd({2, 3, 5}, 32, seed++)});
    check("concatenate", {{"axis", "-2"}},
          {rnd({2, 1, 3}, p, seed++), rnd({2, 2, 3}, 1, seed++), rnd({2, 1, 3}, p, seed++)});
  }
  check("concatenate", {{"axis", "0"}}, {rnd({1}, 8, seed++)});  // one input
  // Many inputs (one launch each).
  std::vector<Tensor> many;
  for (int k = 0; k < 40; ++k) many.push_back(rnd({3, 1 + k % 5, 2}, 1 + k % 32, seed++));
  check("concatenate", {{"axis", "1"}}, many);
  // Large.
  check("concatenate", {{"axis", "1"}},
        {rnd({37, 1001, 1}, 8, seed++), rnd({37, 3, 1}, 32, seed++), rnd({37, 1777, 1}, 1, seed++)});
  check("concatenate", {{"axis", "0"}}, {rnd({50001}, 8, seed++), rnd({60013}, 8, seed++)});
  check("concatenate", {{"axis", "3"}}, {rnd({1, 2, 3}, 8, seed++), rnd({1, 2, 3}, 8, seed++)},
        false);  // rejected alike
}

// ---- transpose (copy plans of rank 1..4 and the generic rank) ----------------

TEST(cuda_transpose, permutations_and_plan_ranks) {
  CVM_REQUIRE_GPU();
  uint64_t seed = 200;
  for (int p : {1, 8, 32}) {
    check("transpose", {}, {rnd({2, 3}, p, seed++)});
    check("transpose", {}, {rnd({1}, p, seed++)});
    check("transpose", {{"axes", "(1, 2, 0)"}}, {rnd({2, 3, 2}, p, seed++)});
    check("transpose", {{"axes", "(-1, 0, -2)"}}, {rnd({2, 3, 4}, p, seed++)});
    check("transpose", {{"axes", "(0, 2, 1, 3)"}}, {rnd({2, 3, 4, 5}, p, seed++)});
    check("transpose", {{"axes", "(3, 1, 2, 0)"}}, {rnd({1, 3, 1, 2}, p, seed++)});
  }
  // Plans that stay rank 5 and 6 after simplification (generic kernel).
  check("transpose", {{"axes", "(4, 2, 0, 3, 1)"}}, {rnd({2, 3, 4, 5, 6}, 8, seed++)});
  check("transpose", {{"axes", "(5, 4, 3, 2, 1, 0)"}}, {rnd({2, 3, 2, 3, 2, 3}, 8, seed++)});
  check("transpose", {{"axes", "(0, 3, 2, 1, 4, 5)"}}, {rnd({2, 9, 1, 10, 1, 1}, 8, seed++)});
  check("transpose", {{"axes", "(0, 0)"}}, {rnd({2, 2}, 8, seed++)}, false);  // rejected alike
  // Large.
  check("transpose", {}, {rnd({317, 331}, 32, seed++)});
  check("transpose", {{"axes", "(0, 2, 3, 1)"}}, {rnd({2, 64, 29, 29}, 8, seed++)});
  check("transpose", {{"axes", "(1, 0, 2)"}}, {rnd({300, 100, 4}, 8, seed++)});
}

// ---- slicing -------------------------------------------------------------------

TEST(cuda_slice_like, axes_and_precisions) {
  CVM_REQUIRE_GPU();
  uint64_t seed = 300;
  for (int p : {1, 8, 32}) {
    check("slice_like", {{"axis", "(1,)"}}, {rnd({3, 4}, p, seed++), rnd({1, 2}, 1, seed++)});
    check("slice_like", {}, {rnd({2, 3}, p, seed++), rnd({1, 2}, 32, seed++)});
    // -1 normalises with x's rank (slice_like_c2's quirk), so like needs 3 dims.
    check("slice_like", {{"axis", "(-1, 0)"}}, {rnd({4, 5, 6}, p, seed++), rnd({3, 2, 4}, 8, seed++)});
    check("slice_like", {{"axis", "(-1,)"}}, {rnd({4, 5, 6}, p, seed++), rnd({3, 2}, 8, seed++)},
          false);  // rejected alike
    check("slice_like", {{"axis", "(0,)"}}, {rnd({4, 5, 6}, p, seed++), rnd({1}, 8, seed++)});
    check("slice_like", {}, {rnd({1, 1}, p, seed++), rnd({1, 1}, 8, seed++)});
    check("slice_like", {}, {rnd({3, 4, 5}, p, seed++), rnd({3, 4, 5}, 8, seed++)});
  }
  check("slice_like", {}, {rnd({3, 4}, 8, seed++), rnd({4, 4}, 8, seed++)}, false);  // rejected
  check("slice_like", {}, {rnd({130, 1000}, 8, seed++), rnd({129, 777}, 8, seed++)});
  check("slice_like", {{"axis", "(0,)"}}, {rnd({130, 1000}, 8, seed++), rnd({101}, 8, seed++)});
}

TEST(cuda_strided_slice, strides_clamps_and_precisions) {
  CVM_REQUIRE_GPU();
  uint64_t seed = 400;
  for (int p : {1, 8, 32}) {
    check("strided_slice", {{"begin", "(0, 3)"}, {"end", "(3, 0)"}, {"stride", "(2, -2)"}},
          {rnd({3, 4}, p, seed++)});
    check("strided_slice", {{"begin", "-1"}, {"end", "-5"}, {"stride", "-1"}}, {rnd({4}, p, seed++)});
    check("strided_slice", {}, {rnd({3, 4}, p, seed++)});  // defaults: axis 0 ends at 1
    check("strided_slice", {{"begin", "(1, 1, 1)"}, {"end", "(3, 4, 5)"}}, {rnd({3, 4, 5}, p, seed++)});
    check("strided_slice",
          {{"begin", "(-100, 100, 0)"}, {"end", "(100, -100, 1)"}, {"stride", "(1, -1, 1)"}},
          {rnd({3, 4, 5}, p, seed++)});
    check("strided_slice",
          {{"begin", "(0, 0, 0, 0)"}, {"end", "(9, 9, 9, 9)"}, {"stride", "(1, 1, 1, 1, 5)"}},
          {rnd({1, 2, 1, 3}, p, seed++)});  // extra entries ignored
  }
  // Huge strides: one output element per axis (never multiplied).
  check("strided_slice",
        {{"begin", "(2, 0)"}, {"end", "(0, 5)"}, {"stride", "(-9223372036854775808, 9223372036854775807)"}},
        {rnd({3, 5}, 8, seed++)});
  check("strided_slice", {{"begin", "(0,)"}, {"end", "(2,)"}, {"stride", "(0,)"}}, {rnd({3}, 8, seed++)},
        false);  // rejected alike
  // Every stride sign and size over a rank-4 tensor; begin and end follow
  // each axis's direction (strided_slice_c2 rejects an empty range), often
  // from far outside the axis so that they are clipped.
  const char* rank4[][3] = {
      {"(1, 0, 2, 0)", "(9, 9, 9, 9)", "(1, 1, 1, 2)"},
      {"(1, 0, 2, -1)", "(9, 9, 9, -99)", "(1, 1, 1, -1)"},
      {"(-1, 0, 5, 0)", "(-10, 9, -10, 9)", "(-1, 2, -3, 1)"},
      {"(0, -1, 0, -1)", "(9, -9, 9, -99)", "(2, -1, 1, -3)"},
      {"(-1, -1, -1, -1)", "(-99, -99, -99, -99)", "(-2, -1, -3, -1)"},
      {"(-3, 1, -100, 4)", "(100, 99, 100, -99)", "(3, 2, 1, -4)"},
  };
  for (const auto& [b, e, st] : rank4)
    check("strided_slice", {{"begin", b}, {"end", e}, {"stride", st}}, {rnd({4, 5, 7, 9}, 8, seed++)});
  // Rank 6 with mixed strides (generic plan kernel).
  check("strided_slice",
        {{"begin", "(0, -1, 0, 2, -1, 0)"}, {"end", "(2, -9, 3, -9, -9, 5)"}, {"stride", "(1, -1, 2, -1, -2, 2)"}},
        {rnd({2, 3, 4, 3, 5, 5}, 32, seed++)});
  // Large.
  check("strided_slice", {{"begin", "(1, 2)"}, {"end", "(400, 700)"}, {"stride", "(1, 1)"}},
        {rnd({401, 703}, 32, seed++)});
  check("strided_slice", {{"begin", "(-1, -1)"}, {"end", "(-999, -999)"}, {"stride", "(-1, -2)"}},
        {rnd({401, 703}, 32, seed++)});
}

// ---- take, cvm_lut (index clipping) --------------------------------------------

TEST(cuda_take, flat_and_axes_with_clipping) {
  CVM_REQUIRE_GPU();
  uint64_t seed = 500;
  for (int p : {1, 8, 32}) {
    check("take", {}, {rnd({2, 3}, p, seed++), rnd({2, 2}, 8, seed++)});
    check("take", {}, {rnd({1}, p, seed++), rnd({5}, 32, seed++)});
    check("take", {}, {rnd({4, 5}, p, seed++), indices({3, 7}, -3, 23, seed++)});
    for (const char* ax : {"0", "1", "2", "-1", "-3"}) {
      check("take", {{"axis", ax}}, {rnd({3, 4, 5}, p, seed++), indices({2, 3}, -2, 7, seed++)});
      check("take", {{"axis", ax}}, {rnd({3, 4, 5}, p, seed++), rnd({4}, 32, seed++)});
      check("take", {{"axis", ax}}, {rnd({3, 4, 5}, p, seed++), indices({1}, 0, 0, seed++)});
    }
    check("take", {{"axis", "0"}}, {rnd({1}, p, seed++), indices({3}, -1, 1, seed++)});
  }
  // Indices at the int32 extremes.
  check("take", {}, {rnd({6}, 8, seed++), T({4}, 32, {-2147483647, 2147483647, 5, 6})});
  check("take", {{"axis", "1"}}, {rnd({2, 6}, 8, seed++), T({2, 2}, 32, {-2147483647, 2147483647, 0, 5})});
  check("take", {{"axis", "3"}}, {rnd({3, 4}, 8, seed++), rnd({2}, 8, seed++)}, false);  // rejected
  // Large.
  check("take", {}, {rnd({1000, 3}, 32, seed++), indices({333, 300}, -10, 3010, seed++)});
  check("take", {{"axis", "1"}}, {rnd({20, 300, 17}, 8, seed++), indices({311}, -5, 305, seed++)});
  check("take", {{"axis", "-1"}}, {rnd({20, 30, 17}, 8, seed++), indices({19, 11}, -5, 20, seed++)});
  check("take", {{"axis", "0"}}, {rnd({50, 3001}, 8, seed++), indices({40}, -5, 55, seed++)});
}

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

// ---- tile, repeat, upsampling --------------------------------------------------

TEST(cuda_tile, reps_and_precisions) {
  CVM_REQUIRE_GPU();
  uint64_t seed = 600;
  for (int p : {1, 8, 32}) {
    check("tile", {{"reps", "(2, 3)"}}, {rnd({2}, p, seed++)});
    check("tile", {{"reps", "2"}}, {rnd({2, 2}, p, seed++)});
    check("tile", {{"reps", "(1, 1)"}}, {rnd({3, 1}, p, seed++)});
    check("tile", {{"reps", "(3, 1, 2)"}}, {rnd({1, 4}, p, seed++)});
    check("tile", {{"reps", "(2, 1, 3, 1)"}}, {rnd({2, 3, 1, 4}, p, seed++)});
    check("tile", {{"reps", "(5,)"}}, {rnd({1}, p, seed++)});
  }
  check("tile", {{"reps", "(0,)"}}, {rnd({2}, 8, seed++)}, false);  // rejected alike
  // Plan of rank 12 (generic kernel).
  check("tile", {{"reps", "(2, 2, 2, 2, 2, 2)"}}, {rnd({2, 3, 2, 3, 2, 3}, 8, seed++)});
  check("tile", {{"reps", "(1, 2, 1, 1, 2, 3)"}}, {rnd({2, 1, 3, 2, 1, 2}, 8, seed++)});
  // Large.
  check("tile", {{"reps", "(3, 2, 7)"}}, {rnd({21, 5, 51}, 8, seed++)});
  check("tile", {{"reps", "(4, 4000)"}}, {rnd({7, 1}, 8, seed++)});
  check("tile", {{"reps", "(64,)"}}, {rnd({1601}, 32, seed++)});
}

TEST(cuda_repeat, axes_and_precisions) {
  CVM_REQUIRE_GPU();
  uint64_t seed = 700;
  for (int p : {1, 8, 32}) {
    for (const char* ax : {"0", "1", "-1", "-2", "2"}) {
      check("repeat", {{"repeats", "2"}, {"axis", ax}}, {rnd({2, 3, 4}, p, seed++)});
      check("repeat", {{"repeats", "1"}, {"axis", ax}}, {rnd({2, 1, 4}, p, seed++)});
    }
    check("repeat", {{"repeats", "5"}}, {rnd({1}, p, seed++)});
  }
  check("repeat", {{"repeats", "2"}, {"axis", "3"}}, {rnd({2, 3}, 8, seed++)}, false);  // rejected
  // Large.
  check("repeat", {{"repeats", "3"}, {"axis", "-1"}}, {rnd({101, 331}, 8, seed++)});
  check("repeat", {{"repeats", "7"}, {"axis", "0"}}, {rnd({13, 1201}, 8, seed++)});
  check("repeat", {{"repeats", "2"}, {"axis", "1"}}, {rnd({17, 29, 101}, 32, seed++)});
}

TEST(cuda_upsampling, scales_and_precisions) {
  CVM_REQUIRE_GPU();
  uint64_t seed = 800;
  for (int p : {1, 8, 32}) {
    for (const char* s : {"1", "2", "3"}) {
      check("upsampling", {{"scale", s}}, {rnd({1, 1, 2, 2}, p, seed++)});
      check("upsampling", {{"scale", s}}, {rnd({2, 3, 1, 5}, p, seed++)});
      check("upsampling", {{"scale", s}}, {rnd({1, 2, 3, 1}, p, seed++)});
    }
  }
  check("upsampling", {{"scale", "0"}}, {rnd({1, 1, 2, 2}, 8, seed++)}, false);  // rejected
  // Large.
  check("upsampling", {{"scale", "2"}}, {rnd({2, 16, 29, 31}, 8, seed++)});
  check("upsampling", {{"scale", "5"}}, {rnd({1, 3, 47, 13}, 32, seed++)});
}

// ---- sum, max ------------------------------------------------------------------

// The launch-shape boundaries of cuda/reduce_common.cuh: 2047/2048/2049
// outputs (thread kernel from 2048 with the innermost axis kept or K <= 16),
// K around 16, the block kernel's K split into parts of >= 1024 elements
// (few outputs), large whole reductions (2048 parts), and the thread
// kernel's K split (fewer than 65536 outputs, parts of >= 256 elements).
void launch_shape_cases(const std::string& op, int p) {
  uint64_t seed = 900;
  for (int64_t inner : {2047, 2048, 2049}) {
    check(op, {{"axis", "0"}}, {rnd({3, inner}, p, seed++)});
    check(op, {{"axis", "(0, 2)"}}, {rnd({2, 3, 2, inner}, p, seed++)});
  }
  for (int64_t k : {15, 16, 17}) check(op, {{"axis", "-1"}}, {rnd({2048, k}, p, seed++)});
  for (int64_t k : {1023, 1024, 2047, 2048, 2049, 5000})
    check(op, {{"axis", "1"}}, {rnd({3, k}, p, seed++)});
  check(op, {{"axis", "0"}}, {rnd({40000, 3}, p, seed++)});
  check(op, {{"axis", "1"}}, {rnd({2, 20000, 5}, p, seed++)});
  check(op, {{"axis", "(0, 2)"}}, {rnd({50, 3, 700, 2}, p, seed++)});
  check(op, {{"axis", "-1"}}, {rnd({30000, 2}, p, seed++)});
  check(op, {{"axis", "-1"}}, {rnd({3, 40000}, p, seed++)});
  check(op, {{"axis", "(0, 2)"}, {"keepdims", "true"}}, {rnd({40, 50, 60}, p, seed++)});
  check(op, {}, {rnd({7, 100, 150}, p, seed++)});
  check(op, {}, {rnd({3000, 1000}, std::min(p, 10), seed++)});  // sum: p_y = p + 22 <= 32
  check(op, {{"axis", "(0, 1, 2)"}}, {rnd({7, 100, 150}, p, seed++)});
  check(op, {{"axis", "(0, 1)"}, {"exclude", "true"}}, {rnd({300, 400}, p, seed++)});  // K = 1
  check(op, {{"axis", "(1, 3)"}, {"exclude", "true"}}, {rnd({5, 3, 7, 9, 2}, p, seed++)});
  // Thread kernel with K split into parts (few outputs, long K).
  const int ps = op == "sum" ? std::min(p, 8) : p;
  check(op, {{"axis", "0"}}, {rnd({1000, 2048}, ps, seed++)});
  check(op, {{"axis", "(0, 2)"}}, {rnd({300, 2, 17, 2100}, ps, seed++)});
  check(op, {{"axis", "(1, 3)"}}, {rnd({3, 70, 5, 80, 2049}, ps, seed++)});
}

TEST(cuda_sum, every_axis_variant_small_shapes) {
  CVM_REQUIRE_GPU();
  for (int p : {1, 8, 24})
    for (const Shape& s : kSmallReduceShapes)
      all_axis_variants("sum", s, p, 100 + static_cast<uint64_t>(p), rnd, check);
}

TEST(cuda_max, every_axis_variant_small_shapes) {
  CVM_REQUIRE_GPU();
  for (int p : {1, 8, 32})
    for (const Shape& s : kSmallReduceShapes)
      all_axis_variants("max", s, p, 200 + static_cast<uint64_t>(p), rnd, check);
}

TEST(cuda_sum, precision_extremes_and_launch_shapes) {
  CVM_REQUIRE_GPU();
  // p_y = p_x + bits(K) = 32 exactly: the int32 accumulator at its limit.
  for (int64_t k : {1, 3, 7, 255, 4095, 65535}) {
    const int px = 32 - bits_of(k);
    check("sum", {{"axis", "-1"}}, {filled({3, k}, px, static_cast<int32_t>(rmax(px)))});
    check("sum", {{"axis", "0"}}, {filled({k, 5}, px, static_cast<int32_t>(-rmax(px)))});
    check("sum", {}, {filled({k}, px, static_cast<int32_t>(-rmax(px)))});
  }
  check("sum", {}, {filled({4}, 31, 1)}, false);  // p_y = 34: rejected alike (op_c3)
  launch_shape_cases("sum", 12);
}

TEST(cuda_max, quirk_extremes_and_launch_shapes) {
  CVM_REQUIRE_GPU();
  const Tensor x = T({2, 3}, 8, {-5, -3, -9, -1, -2, -7});
  check("max", {}, {x});  // the default whole reduction starts from 0
  check("max", {{"axis", "(0, 1)"}}, {x});
  check("max", {{"exclude", "true"}}, {x});
  check("max", {}, {T({1, 1}, 32, {-2147483647})});
  check("max", {{"keepdims", "true"}}, {T({1}, 32, {5})});
  check("max", {}, {filled({300, 301}, 32, -2147483647)});
  check("max", {{"axis", "0"}}, {filled({3000, 3}, 32, -2147483647)});
  launch_shape_cases("max", 32);
  launch_shape_cases("max", 1);
}

// ---- max_pool2d ----------------------------------------------------------------

bool pool(const Shape& s, int p, int64_t kh, int64_t kw, int64_t sh, int64_t sw, int64_t ph, int64_t pw,
          bool ceil, uint64_t seed, bool valid = true) {
  const AttrMap attrs = max_pool2d_attrs(kh, kw, sh, sw, ph, pw, ceil, seed % 2 == 1);
  const Tensor x = rnd(s, p, seed);
  check("max_pool2d", attrs, {x}, valid);
  return gen::capture([&] { return run_reference("max_pool2d", attrs, {x}).outputs; }).error.empty();
}

TEST(cuda_max_pool2d, attribute_variants) {
  CVM_REQUIRE_GPU();
  // ceil_mode may break max_pool2d_c8: such cases must be rejected alike.
  EXPECT_GT(max_pool2d_attribute_variants(pool), 150);
}

TEST(cuda_max_pool2d, windows_padding_and_extremes) {
  CVM_REQUIRE_GPU();
  pool({1, 3, 4, 5}, 32, 6, 7, 1, 1, 1, 1, false, 3);  // window covers the padded input
  pool({1, 3, 4, 5}, 32, 4, 5, 4, 5, 0, 0, true, 5);
  pool({2, 2, 9, 11}, 1, 3, 2, 2, 3, 2, 0, true, 7);
  pool({2, 2, 9, 11}, 32, 5, 4, 3, 2, 4, 2, true, 9);
  pool({1, 1, 3, 3}, 8, 2, 2, 4096, 4096, 1, 1, false, 11);
  // All-negative input with padding: padding must not read as 0.
  const AttrMap a{{"pool_size", "(3, 3)"}, {"padding", "(1, 1)"}};
  check("max_pool2d", a, {filled({1, 2, 5, 6}, 32, -2147483647)});
  check("max_pool2d", a, {filled({1, 2, 5, 6}, 1, 0)});
  // Large.
  pool({2, 8, 113, 115}, 8, 3, 3, 1, 1, 1, 1, false, 21);
  pool({1, 16, 64, 65}, 16, 3, 3, 2, 2, 1, 1, true, 22);
  pool({3, 5, 40, 1030}, 32, 2, 2, 2, 2, 0, 0, false, 23);
}

// ---- get_valid_counts -----------------------------------------------------------

TEST(cuda_get_valid_counts, thresholds_and_shapes) {
  CVM_REQUIRE_GPU();
  uint64_t seed = 40;
  for (const Shape& s : std::vector<Shape>{{1, 1, 2}, {2, 3, 3}, {3, 17, 6}, {1, 5, 31}})
    for (int p : {1, 8, 32})
      for (int64_t t : std::vector<int64_t>{0, -1, 1, -2147483647 - 1, 2147483647, rmax(p), -rmax(p)})
        check("get_valid_counts", {{"score_threshold", std::to_string(t)}}, {rnd(s, p, seed++)});
  check("get_valid_counts", {}, {rnd({2, 3, 32}, 8, seed++)}, false);  // K = 32: rejected alike
}

TEST(cuda_get_valid_counts, chunk_and_part_boundaries) {
  CVM_REQUIRE_GPU();
  // Chunks of 256 rows within parts of 4096 rows.
  uint64_t seed = 77;
  for (int64_t n : {255, 256, 257, 511, 4095, 4096, 4097, 8193})
    check("get_valid_counts", {}, {rnd({2, n, 6}, 8, seed++)});
  check("get_valid_counts", {{"score_threshold", "5"}}, {rnd({1, 20000, 6}, 4, seed++)});
  check("get_valid_counts", {}, {rnd({300, 60, 6}, 8, seed++)});
  check("get_valid_counts", {{"score_threshold", "100"}}, {filled({2, 5000, 3}, 8, 3)});  // none kept
  check("get_valid_counts", {{"score_threshold", "2"}}, {filled({2, 5000, 3}, 8, 3)});    // all kept
}

// ---- non_max_suppression ----------------------------------------------------------

// Boxes with few classes, tied scores and overlapping corners.
Tensor boxes(int64_t B, int64_t N, int p, uint64_t seed, int64_t coord_range) {
  std::vector<int32_t> v;
  uint64_t s = seed;
  const int64_t r = std::min(rmax(p), coord_range);
  const auto u = [&](int64_t lo, int64_t hi) {
    return static_cast<int32_t>(lo + static_cast<int64_t>(splitmix64(s) % static_cast<uint64_t>(hi - lo + 1)));
  };
  for (int64_t i = 0; i < B * N; ++i) {
    v.push_back(u(-std::min<int64_t>(1, r), std::min<int64_t>(2, r)));  // id, some negative
    v.push_back(splitmix64(s) % 4 == 0 ? u(-r, r) : u(-std::min<int64_t>(3, r), std::min<int64_t>(5, r)));
    const int32_t x1 = u(-r, r), y1 = u(-r, r);
    v.push_back(x1);
    v.push_back(y1);
    if (splitmix64(s) % 5 == 0) {  // arbitrary corners, possibly inverted
      v.push_back(u(-r, r));
      v.push_back(u(-r, r));
    } else {
      const auto span = static_cast<uint64_t>(r / 2 + 1);
      v.push_back(static_cast<int32_t>(std::min<int64_t>(r, x1 + static_cast<int64_t>(splitmix64(s) % span))));
      v.push_back(static_cast<int32_t>(std::min<int64_t>(r, y1 + static_cast<int64_t>(splitmix64(s) % span))));
    }
  }
  return T({B, N, 6}, p, v);
}

TEST(cuda_non_max_suppression, attribute_variants) {
  CVM_REQUIRE_GPU();
  uint64_t seed = 500;
  for (int p : {1, 2, 8, 31, 32})
    for (const std::string force : {"false", "true"})
      for (const std::string iou : {"1", "50", "100", "101"})
        for (const std::string topk : {"-1", "0", "3"})
          for (const std::string maxout : {"-1", "0", "2"}) {
            const int64_t B = 2, N = 9;
            const Tensor vc = T({B}, 8, {static_cast<int32_t>(seed % 12) - 2, 9});
            check("non_max_suppression",
                  {{"force_suppress", force}, {"iou_threshold", iou}, {"top_k", topk}, {"max_output_size", maxout}},
                  {boxes(B, N, p, seed, seed % 3 ? 20 : int64_t{1} << 40), vc});
            ++seed;
          }
  check("non_max_suppression", {{"iou_threshold", "0"}}, {boxes(1, 3, 8, 1, 20), T({1}, 8, {3})},
        false);  // rejected alike
}

TEST(cuda_non_max_suppression, huge_coordinates_ties_and_valid_count_clip) {
  CVM_REQUIRE_GPU();
  // p = 32 corners near +-R(32): areas beyond int64 and the I quot (U quot 100) branch.
  const int32_t R = 2147483647;
  const Tensor d = T({1, 4, 6}, 32,
                     {0, 9, -R, -R, R, R, 0, 9, -R + 7, -R, R, R - 3, 0, 8, -R, 0, R, R, 0, 7, 0, 0, 5, 5});
  for (const std::string iou : {"1", "60", "99", "100"})
    check("non_max_suppression", {{"iou_threshold", iou}}, {d, T({1}, 8, {4})});
  const Tensor e = T({1, 3, 6}, 31,
                     {0, 1, -1073741823, -1073741823, 1073741823, 1073741823, 0, 1, -1073741820, -1073741823,
                      1073741823, 1073741820, 0, 1, -1073741823, 0, 1073741823, 1073741823});
  for (const std::string iou : {"1", "50", "99", "100"})
    check("non_max_suppression", {{"iou_threshold", iou}}, {e, T({1}, 32, {-5})});
  for (int32_t c : {-2147483647, -1, 0, 2, 3, 2147483647})
    check("non_max_suppression", {{"iou_threshold", "50"}}, {e, T({1}, 32, {c})});
  // Scores at +-R(32) and all tied: the order is the input order.
  std::vector<int32_t> tied;
  for (int i = 0; i < 40; ++i) {
    const int32_t s = i % 3 == 0 ? R : (i % 3 == 1 ? -R : 0);
    tied.insert(tied.end(), {i % 2, s, i, i, i + 10, i + 10});
  }
  for (const std::string iou : {"1", "30", "90"})
    check("non_max_suppression", {{"iou_threshold", iou}}, {T({1, 40, 6}, 32, tied), T({1}, 8, {40})});
  std::vector<int32_t> same;
  for (int i = 0; i < 30; ++i) same.insert(same.end(), {0, 7, 0, 0, 10 + i % 4, 10});
  check("non_max_suppression", {{"iou_threshold", "80"}}, {T({1, 30, 6}, 8, same), T({1}, 8, {30})});
}

TEST(cuda_non_max_suppression, kept_lists_longer_than_a_block) {
  CVM_REQUIRE_GPU();
  // Disjoint boxes: nothing suppressed, so |Q| grows past 256 (the block
  // size) and every thread scans several kept entries per candidate.
  std::vector<int32_t> grid;
  const int64_t N = 700;
  for (int64_t i = 0; i < N; ++i) {
    const auto x = static_cast<int32_t>((i % 30) * 20), y = static_cast<int32_t>((i / 30) * 20);
    grid.insert(grid.end(), {static_cast<int32_t>(i % 3), static_cast<int32_t>(i % 17), x, y, x + 10, y + 10});
  }
  const Tensor g = T({1, N, 6}, 16, grid);
  check("non_max_suppression", {}, {g, T({1}, 16, {static_cast<int32_t>(N)})});
  check("non_max_suppression", {{"force_suppress", "true"}, {"max_output_size", "500"}},
        {g, T({1}, 16, {static_cast<int32_t>(N)})});
  // A last box overlapping one early kept box only.
  std::vector<int32_t> g2 = grid;
  g2.insert(g2.end(), {0, -5, 1, 1, 11, 11});
  check("non_max_suppression", {{"force_suppress", "true"}},
        {T({1, N + 1, 6}, 16, g2), T({1}, 16, {static_cast<int32_t>(N + 1)})});
  // Large, several batches.
  check("non_max_suppression", {}, {boxes(3, 2000, 12, 9, 1000), T({3}, 16, {2000, 1500, 7})});
  check("non_max_suppression", {{"top_k", "100"}, {"force_suppress", "true"}},
        {boxes(2, 3000, 16, 10, 5000), T({2}, 16, {3000, 2999})});
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
