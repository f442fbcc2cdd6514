// The constraints shared by every operator (spec/common.rst): attribute
// syntax, op lookup, input count and tensor limits.
#include "cvm/attrs.h"
#include "cvm/errors.h"
#include "support.h"

namespace cvm::oracle {
namespace {

TEST(common, op_c0_unknown_operator) {
  expect_logic_error_types("op_c0", "nn.relu", {}, {{{4}, 8}});
}

TEST(common, op_c1_wrong_input_count) {
  expect_logic_error_types("op_c1", "clip", {{"a_min", "0"}, {"a_max", "1"}}, {});
  expect_logic_error_types("op_c1", "clip", {{"a_min", "0"}, {"a_max", "1"}}, {{{4}, 8}, {{4}, 8}});
}

TEST(common, attr_c1_unknown_attribute) {
  expect_logic_error_types("attr_c1", "clip", {{"a_min", "0"}, {"a_max", "1"}, {"a_mid", "0"}},
                           {{{4}, 8}});
}

TEST(common, attr_c2_missing_required_attribute) {
  expect_logic_error_types("attr_c2", "clip", {{"a_max", "1"}}, {{{4}, 8}});
}

TEST(common, attr_c3_unparsable_value) {
  expect_logic_error_types("attr_c3", "clip", {{"a_min", "zero"}, {"a_max", "1"}}, {{{4}, 8}});
  // Out of int32 range is unparsable as int32.
  expect_logic_error_types("attr_c3", "clip", {{"a_min", "0"}, {"a_max", "2147483648"}}, {{{4}, 8}});
}

TEST(common, tensor_c1_rank_limits) {
  expect_logic_error_types("tensor_c1", "clip", {{"a_min", "0"}, {"a_max", "1"}},
                           {{{1, 1, 1, 1, 1, 1, 1}, 8}});
  expect_logic_error_types("tensor_c1", "clip", {{"a_min", "0"}, {"a_max", "1"}}, {{{}, 8}});
}

TEST(common, tensor_c2_dim_limits) {
  expect_logic_error_types("tensor_c2", "clip", {{"a_min", "0"}, {"a_max", "1"}}, {{{0}, 8}});
  expect_logic_error_types("tensor_c2", "clip", {{"a_min", "0"}, {"a_max", "1"}},
                           {{{(1 << 24) + 1}, 8}});
}

TEST(common, tensor_c3_size_limit) {
  expect_logic_error_types("tensor_c3", "clip", {{"a_min", "0"}, {"a_max", "1"}},
                           {{{1 << 16, 1 << 15}, 8}});
}

TEST(common, tensor_c4_precision_range) {
  expect_logic_error_types("tensor_c4", "clip", {{"a_min", "0"}, {"a_max", "1"}}, {{{4}, 0}});
  expect_logic_error_types("tensor_c4", "clip", {{"a_min", "0"}, {"a_max", "1"}}, {{{4}, 33}});
}

TEST(common, tensor_c5_values_within_precision) {
  // -128 has no precision 8: the range is symmetric.
  expect_logic_error("tensor_c5", "clip", {{"a_min", "0"}, {"a_max", "1"}}, {T({2}, 8, {0, -128})});
  // Data length must match the shape.
  expect_logic_error("tensor_c5", "clip", {{"a_min", "0"}, {"a_max", "1"}}, {T({3}, 8, {0, 1})});
}

TEST(common, op_c2_output_shape_limits) {
  // Broadcasting (2^15) against (2^15, 1) gives 2^30 elements, fine; against
  // (2^16, 1) the output would have 2^31 elements.
  expect_logic_error_types("op_c2", "broadcast_add", {}, {{{1 << 15}, 8}, {{1 << 16, 1}, 8}});
}

TEST(common, op_b1_asserts_output_precision) {
  // A value outside its declared precision is a runtime error (our bug).
  EXPECT_THROW(assert_outputs_in_precision("test", {T({2}, 8, {0, 128})}), RuntimeError);
  try {
    assert_outputs_in_precision("test", {T({1}, 1, {1})});
    ADD_FAILURE() << "op_b1 did not fire";
  } catch (const RuntimeError& e) {
    EXPECT_EQ(e.label(), "op_b1");
  }
  EXPECT_NO_THROW(assert_outputs_in_precision("test", {T({2}, 8, {-127, 127})}));
}

TEST(attribute_syntax, ints) {
  EXPECT_EQ(parse_int(" -12 "), -12);
  EXPECT_EQ(parse_int("+3"), 3);
  EXPECT_EQ(parse_int("3x"), std::nullopt);
  EXPECT_EQ(parse_int(""), std::nullopt);
  EXPECT_EQ(parse_int("-9223372036854775808"), INT64_MIN);
  EXPECT_EQ(parse_int("9223372036854775808"), std::nullopt);
}

TEST(attribute_syntax, bools_are_case_insensitive) {
  EXPECT_EQ(parse_bool("True"), true);
  EXPECT_EQ(parse_bool("FALSE"), false);
  EXPECT_EQ(parse_bool("1"), true);
  EXPECT_EQ(parse_bool("yes"), std::nullopt);
}

TEST(attribute_syntax, tuples) {
  using V = std::vector<int64_t>;
  EXPECT_EQ(parse_tuple("(1, 2)"), V({1, 2}));
  EXPECT_EQ(parse_tuple("[1,2,]"), V({1, 2}));  // trailing comma
  EXPECT_EQ(parse_tuple("(3L, -4L)"), V({3, -4}));
  EXPECT_EQ(parse_tuple("()"), V{});
  EXPECT_EQ(parse_tuple("3"), V{3});  // a bare int is a 1-tuple
  EXPECT_EQ(parse_tuple("(1,,2)"), std::nullopt);
  EXPECT_EQ(parse_tuple("(1, 2]"), std::nullopt);
}

}  // namespace
}  // namespace cvm::oracle
