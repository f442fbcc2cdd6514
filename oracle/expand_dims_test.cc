// expand_dims: edge cases and one test per constraint label (spec/ops/expand_dims.rst).
#include "support.h"

namespace cvm::oracle {
namespace {

Tensor x23() { return T({2, 3}, 8, {1, -2, 3, -4, 5, -6}); }

TEST(expand_dims, positive_axes_insert_before_that_dim) {
  // axis 0 prepends, axis 1 inserts between, axis N = 2 appends.
  expect_outputs("expand_dims", {{"axis", "0"}}, {x23()}, {T({1, 2, 3}, 8, x23().data)}, 1);
  expect_outputs("expand_dims", {{"axis", "1"}}, {x23()}, {T({2, 1, 3}, 8, x23().data)});
  expect_outputs("expand_dims", {{"axis", "2"}}, {x23()}, {T({2, 3, 1}, 8, x23().data)});
}

TEST(expand_dims, negative_axis_adds_n_plus_1) {
  // Quirk: -1 + N + 1 = N appends (adding only N would insert before the last dim);
  // -N-1 = -3 gives 0; -2 gives 1.
  expect_outputs("expand_dims", {{"axis", "-1"}}, {x23()}, {T({2, 3, 1}, 8, x23().data)});
  expect_outputs("expand_dims", {{"axis", "-2"}}, {x23()}, {T({2, 1, 3}, 8, x23().data)});
  expect_outputs("expand_dims", {{"axis", "-3"}}, {x23()}, {T({1, 2, 3}, 8, x23().data)});
}

TEST(expand_dims, several_new_axes) {
  // num_newaxis = 3 inserts three unit dims at once, up to rank 6.
  expect_outputs("expand_dims", {{"axis", "1"}, {"num_newaxis", "3"}}, {x23()},
                 {T({2, 1, 1, 1, 3}, 8, x23().data)});
  expect_outputs("expand_dims", {{"axis", "0"}, {"num_newaxis", "5"}}, {T({2}, 8, {1, 2})},
                 {T({1, 1, 1, 1, 1, 2}, 8, {1, 2})});
}

TEST(expand_dims, expand_dims_b1_holds_at_precision_1_and_32) {
  // expand_dims_b1: values are copied with the input precision.
  expect_outputs("expand_dims", {{"axis", "0"}}, {T({2}, 1, {0, 0})}, {T({1, 2}, 1, {0, 0})});
  expect_outputs("expand_dims", {{"axis", "1"}}, {T({2}, 32, {2147483647, -2147483647})},
                 {T({2, 1}, 32, {2147483647, -2147483647})});
}

TEST(expand_dims, expand_dims_c1_rejects_axis_outside_minus_n_minus_1_to_n) {
  expect_rejected_types("expand_dims_c1", "expand_dims", {{"axis", "3"}}, {{{2, 3}, 8}});
  expect_rejected_types("expand_dims_c1", "expand_dims", {{"axis", "-4"}}, {{{2, 3}, 8}});
}

TEST(expand_dims, expand_dims_c2_rejects_num_newaxis_above_4096) {
  // Below 1 is the parser's bound: attr_c4, a runtime error as upstream's ParamError.
  expect_rejected_types("attr_c4", "expand_dims", {{"axis", "0"}, {"num_newaxis", "0"}},
                           {{{2}, 8}});
  expect_rejected_types("attr_c4", "expand_dims", {{"axis", "0"}, {"num_newaxis", "-1"}},
                           {{{2}, 8}});
  expect_rejected_types("expand_dims_c2", "expand_dims",
                           {{"axis", "0"}, {"num_newaxis", "4097"}}, {{{2}, 8}});
}

TEST(expand_dims, num_newaxis_4096_passes_its_range_but_not_the_rank_limit) {
  // 4096 is inside the inclusive range; the rank 4097 output is op_c2.
  expect_rejected_types("op_c2", "expand_dims", {{"axis", "0"}, {"num_newaxis", "4096"}},
                           {{{2}, 8}});
  expect_rejected_types("op_c2", "expand_dims", {{"axis", "0"}, {"num_newaxis", "2"}},
                           {{{1, 1, 1, 1, 2}, 8}});
}

TEST(expand_dims, missing_axis_is_attr_c2) {
  expect_rejected_types("attr_c2", "expand_dims", {}, {{{2}, 8}});
}

}  // namespace
}  // namespace cvm::oracle
