// The elementwise and broadcast CUDA kernels against the reference on
// directed cases: precision extremes (+-R(p), 0, +-1 at p = 1, 8, 31, 32),
// shifts of negative values and ties, division by zero and negative
// quotients, broadcasting with missing and size-1 dimensions up to rank 6,
// and sizes around the launch's block size. Each case goes through
// gen::cuda_vs_reference (runtime and constant inputs); nothing here
// hard-codes an output. Skips without a GPU.
#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "cuda_support.h"
#include "cvm/intmath.h"
#include "gen/cuda_differential.h"

namespace cvm::oracle {
namespace {

// A tensor of `shape` at precision p cycling through the extremes.
Tensor extremes(const Shape& shape, int p) {
  const auto r = static_cast<int32_t>(prec_max(p));
  const std::vector<int32_t> cycle = {r, -r, 0, p > 1 ? 1 : 0, p > 1 ? -1 : 0, r / 2, -(r / 3)};
  Tensor t{shape, p, std::vector<int32_t>(static_cast<size_t>(shape_size(shape)))};
  for (size_t i = 0; i < t.data.size(); ++i) t.data[i] = cycle[(i * 5 + i / 7) % cycle.size()];
  return t;
}

void expect_same(const std::string& op, const AttrMap& attrs, const std::vector<Tensor>& inputs) {
  const std::string report = gen::cuda_vs_reference(op, attrs, inputs);
  EXPECT_EQ(report, "") << report;
}

const std::vector<Shape> kSizes = {{1}, {255}, {256}, {257}, {3, 1000}, {2, 3, 4, 5, 6, 7}};

TEST(cuda_elem, unary_ops_at_the_extremes) {
  CVM_REQUIRE_GPU();
  for (const char* op : {"abs", "negative", "relu", "cvm_precision"})
    for (int p : {1, 8, 31, 32})
      for (const Shape& s : kSizes) expect_same(op, {}, {extremes(s, p)});
}

TEST(cuda_elem, clip_and_cvm_clip_bounds) {
  CVM_REQUIRE_GPU();
  for (const Shape& s : kSizes) {
    expect_same("clip", {{"a_min", "-5"}, {"a_max", "7"}}, {extremes(s, 8)});
    expect_same("clip", {{"a_min", "-2147483647"}, {"a_max", "2147483647"}}, {extremes(s, 32)});
    for (const char* p : {"1", "8", "32"}) expect_same("cvm_clip", {{"precision", p}}, {extremes(s, 32)});
  }
}

TEST(cuda_elem, shifts_round_and_saturate_like_the_reference) {
  CVM_REQUIRE_GPU();
  // Every value in [-40, 40]: ties of each sign at every shift.
  Tensor ramp{{81}, 8, {}};
  for (int v = -40; v <= 40; ++v) ramp.data.push_back(v);
  for (const char* b : {"1", "2", "3", "7", "31", "32"})
    for (const char* p : {"1", "4", "8", "32"}) {
      expect_same("cvm_right_shift", {{"shift_bit", b}, {"precision", p}}, {ramp});
      expect_same("cvm_right_shift", {{"shift_bit", b}, {"precision", p}}, {extremes({257}, 32)});
    }
  for (const char* b : {"1", "5", "8"})
    for (const char* p : {"8", "16", "32"}) {
      expect_same("cvm_left_shift", {{"shift_bit", b}, {"precision", p}}, {ramp});
      expect_same("cvm_left_shift", {{"shift_bit", b}, {"precision", p}}, {extremes({257}, 24)});
    }
}

TEST(cuda_elem, elemwise_add_and_sub_at_the_extremes) {
  CVM_REQUIRE_GPU();
  for (const char* op : {"elemwise_add", "elemwise_sub"})
    for (int p : {1, 8, 31})
      for (const Shape& s : kSizes) {
        Tensor b = extremes(s, p);
        std::reverse(b.data.begin(), b.data.end());
        expect_same(op, {}, {extremes(s, p), b});
      }
}

TEST(cuda_elem, broadcasting_over_missing_and_unit_dimensions) {
  CVM_REQUIRE_GPU();
  const std::vector<std::pair<Shape, Shape>> shapes = {
      {{5}, {5}},          {{1}, {300}},           {{300}, {1}},          {{2, 3, 4}, {4}},
      {{2, 1, 4}, {3, 1}}, {{1, 3, 1, 5}, {2, 1, 4, 1}}, {{2, 1, 2, 1, 2, 1}, {1, 2, 1, 2, 1, 2}},
      {{7, 1}, {1, 1, 1, 9}}};
  for (const char* op : {"broadcast_add", "broadcast_sub", "broadcast_mul", "broadcast_div", "broadcast_max",
                         "broadcast_greater"})
    for (const auto& [sa, sb] : shapes) {
      const int pa = std::string(op) == "broadcast_mul" ? 16 : 31;
      expect_same(op, {}, {extremes(sa, pa), extremes(sb, 15)});
      expect_same(op, {}, {extremes(sb, 15), extremes(sa, pa)});
    }
}

TEST(cuda_elem, division_by_zero_and_negative_quotients) {
  CVM_REQUIRE_GPU();
  // Every (a, b) in [-6, 6]^2: truncation toward zero, b = 0 gives 0.
  Tensor a{{13, 1}, 8, {}}, b{{1, 13}, 8, {}};
  for (int v = -6; v <= 6; ++v) {
    a.data.push_back(v);
    b.data.push_back(v);
  }
  expect_same("broadcast_div", {}, {a, b});
  expect_same("broadcast_div", {}, {extremes({300}, 32), extremes({300}, 8)});
}

TEST(cuda_elem, where_with_full_and_leading_conditions) {
  CVM_REQUIRE_GPU();
  const Tensor x = extremes({4, 3, 5}, 8), y = extremes({4, 3, 5}, 31);
  Tensor full = extremes({4, 3, 5}, 2), lead{{4}, 8, {0, 3, -1, 0}};
  expect_same("where", {}, {full, x, y});
  expect_same("where", {}, {lead, x, y});
}

}  // namespace
}  // namespace cvm::oracle
