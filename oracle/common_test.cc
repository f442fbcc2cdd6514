// The constraints shared by every operator (spec/common.rst): attribute
// syntax, op lookup, input count and tensor limits.
#include <fstream>
#include <regex>

#include <nlohmann/json.hpp>

#include "cvm/attrs.h"
#include "cvm/op.h"
#include "cvm/errors.h"
#include "support.h"

namespace cvm::oracle {
namespace {

TEST(common, op_c0_unknown_operator) {
  expect_rejected_types("op_c0", "softmax", {}, {{{4}, 8}});
  expect_rejected_types("op_c0", "Relu", {}, {{{4}, 8}});
}

TEST(common, op_c4_upstream_alias) {
  expect_rejected_types("op_c4", "nn.relu", {}, {{{4}, 8}});
  expect_rejected_types("op_c4", "add", {}, {{{4}, 8}, {{4}, 8}});
}

TEST(common, attr_c0_attributes_of_an_op_without_any) {
  expect_rejected_types("attr_c0", "relu", {{"__hint__", "1"}}, {{{4}, 8}});
}

TEST(common, attr_c4_below_a_parser_bound) {
  expect_rejected_types("attr_c4", "expand_dims", {{"axis", "0"}, {"num_newaxis", "0"}}, {{{4}, 8}});
}

TEST(common, op_c1_wrong_input_count) {
  expect_rejected_types("op_c1", "clip", {{"a_min", "0"}, {"a_max", "1"}}, {});
  expect_rejected_types("op_c1", "clip", {{"a_min", "0"}, {"a_max", "1"}}, {{{4}, 8}, {{4}, 8}});
}

TEST(common, attr_c1_unknown_attribute) {
  expect_rejected_types("attr_c1", "clip", {{"a_min", "0"}, {"a_max", "1"}, {"a_mid", "0"}},
                           {{{4}, 8}});
}

TEST(common, attr_c2_missing_required_attribute) {
  expect_rejected_types("attr_c2", "clip", {{"a_max", "1"}}, {{{4}, 8}});
}

TEST(common, attr_c3_unparsable_value) {
  expect_rejected_types("attr_c3", "clip", {{"a_min", "zero"}, {"a_max", "1"}}, {{{4}, 8}});
  // Out of int32 range is unparsable as int32.
  expect_rejected_types("attr_c3", "clip", {{"a_min", "0"}, {"a_max", "2147483648"}}, {{{4}, 8}});
}

TEST(common, tensor_c1_rank_limits) {
  expect_rejected_types("tensor_c1", "clip", {{"a_min", "0"}, {"a_max", "1"}},
                           {{{1, 1, 1, 1, 1, 1, 1}, 8}});
  expect_rejected_types("tensor_c1", "clip", {{"a_min", "0"}, {"a_max", "1"}}, {{{}, 8}});
}

TEST(common, tensor_c2_dim_limits) {
  expect_rejected_types("tensor_c2", "clip", {{"a_min", "0"}, {"a_max", "1"}}, {{{0}, 8}});
  expect_rejected_types("tensor_c2", "clip", {{"a_min", "0"}, {"a_max", "1"}},
                           {{{(1 << 24) + 1}, 8}});
}

TEST(common, tensor_c3_size_limit) {
  expect_rejected_types("tensor_c3", "clip", {{"a_min", "0"}, {"a_max", "1"}},
                           {{{1 << 16, 1 << 15}, 8}});
}

TEST(common, tensor_c4_precision_range) {
  expect_rejected_types("tensor_c4", "clip", {{"a_min", "0"}, {"a_max", "1"}}, {{{4}, 0}});
  expect_rejected_types("tensor_c4", "clip", {{"a_min", "0"}, {"a_max", "1"}}, {{{4}, 33}});
}

TEST(common, tensor_c5_values_within_precision) {
  // -128 has no precision 8: the range is symmetric.
  expect_rejected("tensor_c5", "clip", {{"a_min", "0"}, {"a_max", "1"}}, {T({2}, 8, {0, -128})});
  // Data length must match the shape.
  expect_rejected("tensor_c5", "clip", {{"a_min", "0"}, {"a_max", "1"}}, {T({3}, 8, {0, 1})});
}

TEST(common, op_c2_output_shape_limits) {
  // Broadcasting (2^15) against (2^15, 1) gives 2^30 elements, fine; against
  // (2^16, 1) the output would have 2^31 elements.
  expect_rejected_types("op_c2", "broadcast_add", {}, {{{1 << 15}, 8}, {{1 << 16, 1}, 8}});
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

// The normative examples of spec/common.rst ("Attribute syntax"): each line
// is a type, a value as a JSON string and its parse (a JSON value, "None" or
// "error"). Reading them from the page keeps the spec and the parser in step.
struct GrammarExample {
  std::string type, value, expected;
};

std::vector<GrammarExample> grammar_examples() {
  std::ifstream f(source_dir() + "/spec/common.rst");
  std::string line;
  bool in_block = false;
  std::vector<GrammarExample> out;
  const std::regex row(R"(^\s+(\w+)\s+("(?:[^"\\]|\\.)*")\s+(.+?)\s*$)");
  while (std::getline(f, line)) {
    if (line.find(":name: attribute-grammar-examples") != std::string::npos) {
      in_block = true;
      continue;
    }
    if (!in_block) continue;
    if (!line.empty() && line[0] != ' ') break;  // the block ends at the next unindented line
    std::smatch m;
    if (std::regex_match(line, m, row))
      out.push_back({m[1], nlohmann::json::parse(m[2].str()).get<std::string>(), m[3]});
  }
  return out;
}

// The parse of `value` as `type`, written the way the examples write it.
std::string parse_as(const std::string& type, const std::string& value) {
  using nlohmann::json;
  const auto int_list = [](const std::optional<std::vector<int64_t>>& t) {
    return t ? json(*t).dump(-1) : std::string("error");
  };
  if (type == "int") {
    auto v = parse_int(value, INT32_MIN, INT32_MAX);
    return v ? std::to_string(*v) : "error";
  }
  if (type == "bool") {
    auto v = parse_bool(value);
    return v ? (*v ? "true" : "false") : "error";
  }
  if (type == "shape") return int_list(parse_tuple(value, INT64_MIN, INT64_MAX));
  if (type == "tuple") return int_list(parse_tuple(value, INT32_MIN, INT32_MAX));
  if (type == "optional") {
    auto v = parse_optional_int(value);
    if (!v) return "error";
    return *v ? std::to_string(**v) : "None";
  }
  if (type == "string") return json(value).dump();
  if (type == "dtype") return is_dtype_name(value) ? json(value).dump() : "error";
  if (type == "out_dtype")
    return value == "same" || is_dtype_name(value) ? json(value).dump() : "error";
  return "unknown type " + type;
}

TEST(attribute_syntax, spec_examples) {
  const std::vector<GrammarExample> examples = grammar_examples();
  ASSERT_GE(examples.size(), 60u) << "the example block of spec/common.rst was not found";
  for (const GrammarExample& e : examples) {
    // "[1, 2]" on the page, "[1,2]" from dump(): compare without blanks.
    std::string want = e.expected;
    if (want.front() == '[') want = nlohmann::json::parse(want).dump(-1);
    EXPECT_EQ(parse_as(e.type, e.value), want) << e.type << " " << nlohmann::json(e.value).dump();
  }
}

TEST(attribute_syntax, hidden_keys) {
  EXPECT_TRUE(is_hidden_attr_key("__shape__"));
  EXPECT_TRUE(is_hidden_attr_key("__a__"));
  EXPECT_FALSE(is_hidden_attr_key("____"));  // four bytes: not longer than 4
  EXPECT_FALSE(is_hidden_attr_key("__a_"));
  EXPECT_FALSE(is_hidden_attr_key("_a__"));
}

// Phase 1 classes: an unknown key, a bad value, a bound or a missing key is
// a runtime error (upstream's ParamError); attributes on an op that takes
// none are a logic error.
TEST(attribute_syntax, phase_one_classes) {
  const auto label_of = [](const char* op, AttrMap attrs) -> std::string {
    const OpDef* def = find_op(op);
    try {
      check_attr_syntax(op, def->attr_schema(), attrs);
      return "ok";
    } catch (const RuntimeError& e) {
      return "runtime " + e.label();
    } catch (const LogicError& e) {
      return "logic " + e.label();
    }
  };
  EXPECT_EQ(label_of("dense", {{"units", "2"}}), "ok");
  EXPECT_EQ(label_of("dense", {{"units", "2"}, {"__hint__", "x"}}), "ok");
  EXPECT_EQ(label_of("dense", {{"units", "2"}, {"unit", "2"}}), "runtime attr_c1");
  EXPECT_EQ(label_of("dense", {{"units", "2L"}}), "runtime attr_c3");
  EXPECT_EQ(label_of("dense", {{"units", "0"}}), "runtime dense_c1");  // the field's own label
  EXPECT_EQ(label_of("expand_dims", {{"axis", "0"}, {"num_newaxis", "0"}}), "runtime attr_c4");
  EXPECT_EQ(label_of("dense", {{"use_bias", "true"}}), "runtime attr_c2");
  EXPECT_EQ(label_of("relu", {{"__hint__", "x"}}), "logic attr_c0");
  EXPECT_EQ(label_of("relu", {}), "ok");
}

// Phase 2 reads every key through the page's schema: an absent key is the
// schema's default, parsed in its type's grammar; a key the schema lacks, a
// wrong accessor or a default outside its grammar is cvm's own fault
// (op_internal), never the caller's.
TEST(attribute_reader, defaults_and_schema_faults) {
  static constexpr AttrSpec kFields[] = {
      {.key = "n", .type = AttrType::kInt, .required = true},
      {.key = "s", .type = AttrType::kShape, .required = false, .default_value = "(0,)"},
      {.key = "b", .type = AttrType::kBool, .required = false, .default_value = "TRUE"},
      {.key = "o", .type = AttrType::kOptionalInt, .required = false, .default_value = "None"},
      {.key = "w", .type = AttrType::kString, .required = false, .default_value = "NCHW"},
      {.key = "bad", .type = AttrType::kInt, .required = false, .default_value = "1.5"},
  };
  const AttrSchema schema{.has_parser = true, .fields = kFields};
  const AttrMap given{{"n", " -3"}, {"s", "[1, 2]"}};
  AttrReader r("toy", schema, given);
  EXPECT_EQ(r.fields_read(), 0u);
  EXPECT_EQ(r.int32("n"), -3);
  EXPECT_EQ(r.tuple("s"), (std::vector<int64_t>{1, 2}));
  EXPECT_EQ(r.boolean("b"), true);
  EXPECT_EQ(r.optional_int32("o"), std::nullopt);
  EXPECT_EQ(r.string("w"), "NCHW");
  EXPECT_EQ(r.fields_read(), 0b011111u);
  const AttrMap empty;
  AttrReader d("toy", schema, empty);
  EXPECT_EQ(d.tuple("s"), (std::vector<int64_t>{0}));  // "(0,)": tile's default, a 1-tuple
  const auto label_of = [&](auto read) -> std::string {
    try {
      read();
      return "ok";
    } catch (const RuntimeError& e) {
      return "runtime " + e.label();
    } catch (const LogicError& e) {
      return "logic " + e.label();
    }
  };
  EXPECT_EQ(label_of([&] { d.int32("n"); }), "runtime attr_c2");
  EXPECT_EQ(label_of([&] { d.int32("missing"); }), "runtime op_internal");  // not in the schema
  EXPECT_EQ(label_of([&] { d.boolean("n"); }), "runtime op_internal");      // an int read as a bool
  EXPECT_EQ(label_of([&] { d.string("s"); }), "runtime op_internal");       // a shape read as a string
  EXPECT_EQ(label_of([&] { d.int32("bad"); }), "runtime op_internal");      // a default outside the grammar
  const AttrMap bad_value{{"bad", "x"}};
  AttrReader v("toy", schema, bad_value);
  EXPECT_EQ(label_of([&] { v.int32("bad"); }), "runtime attr_c3");  // the node's value: the caller's fault
}

// Every default an attribute block gives parses in its own type's grammar
// (phase 1's check_value), so no absent key reads as an error.
TEST(attribute_reader, every_page_default_is_in_its_grammar) {
  int defaults = 0;
  for (const OpDef* op : all_ops())
    for (const AttrSpec& f : op->attr_schema().fields) {
      if (f.required) continue;
      ++defaults;
      const AttrSchema one{.has_parser = true, .fields = std::span<const AttrSpec>(&f, 1)};
      EXPECT_NO_THROW(check_attr_syntax(op->name, one, AttrMap{{std::string(f.key), std::string(f.default_value)}}))
          << op->name << "." << f.key << " default \"" << f.default_value << "\"";
    }
  EXPECT_GE(defaults, 40);
}

}  // namespace
}  // namespace cvm::oracle
