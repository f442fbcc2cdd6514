// Loading a model: gas, storage size, input/output facts, the memory plan
// (spec/model/load.rst, spec/model/gas.rst).
#include <gtest/gtest.h>

#include "cvm/graph_builder.h"
#include "cvm/params.h"
#include "cvm/plan.h"
#include "model_support.h"

namespace cvm::oracle {
namespace {

TEST(model_load, relu_model_facts_follow_the_spec) {
  const auto m = load(relu_symbol(), empty_params());
  EXPECT_EQ(m->gas(), 44u);            // gas.rst: 5*4 + 5*4 + 1*4
  EXPECT_EQ(m->storage_size(), 32u);   // two storage ids of 16 bytes
  EXPECT_EQ(m->input_width(), 1);      // precision 8
  EXPECT_EQ(m->input_length(), 4u);
  EXPECT_EQ(m->output_width(), 1);     // relu keeps precision 8
  EXPECT_EQ(m->output_length(), 4u);
  EXPECT_EQ(m->graph().entries[1].precision, 8);  // inferred, the JSON said -1
}

TEST(model_load, dense_gas_is_266) {
  // gas.rst example: mem 5*(10+15+3+6) = 170, weight 3*5+1 = 16, ops 16*6 = 96.
  GraphBuilder b;
  const EntryRef d = b.variable("data", {2, 5}, 8);
  const EntryRef w = b.variable("w", {3, 5}, 8);
  const EntryRef bias = b.variable("b", {3}, 8);
  b.head(b.op1("dense", "fc", {d, w, bias}, {{"units", "3"}, {"use_bias", "true"}}));
  const std::string params =
      write_params({{"w", 8, {3, 5}, std::vector<int32_t>(15, 1)}, {"b", 8, {3}, {0, 0, 0}}});
  const auto m = load(write_graph_json(b.graph()), params);
  EXPECT_EQ(m->gas(), 266u);
  EXPECT_EQ(load_graph(write_graph_json(b.graph())).gas, 266u);  // the symbol alone
  EXPECT_EQ(m->output_width(), 4);  // dense output precision 8+8+bits(5)+1 = 20 > 8
  EXPECT_EQ(m->output_length(), 6u * 4u);
}

TEST(model_load, storage_size_counts_each_storage_id_once) {
  // relu may run in place: both entries in pool 0, so 16 bytes instead of 32.
  std::string s = relu_symbol();
  s.replace(s.find("[0,1]]"), 6, "[0,0]]");
  EXPECT_EQ(load(s, empty_params())->storage_size(), 16u);
}

TEST(model_load, func_name_suffix_and_alias_rules) {
  std::string s = relu_symbol();
  s.replace(s.find("\"relu\""), 6, "\"relu_17\"");
  EXPECT_EQ(load(s, empty_params())->graph().nodes[1].op->name, "relu");
}

TEST(model_load, data_after_an_operator_uses_its_own_shape) {
  // E-model-4: w (3), relu(w) (3), data (5), relu(data) (5). Upstream would use
  // entry 1 (data's position among the variables) and take shape (3).
  GraphBuilder b;
  const EntryRef w = b.variable("w", {3}, 8);
  b.head(b.op1("relu", "rw", {w}));
  const EntryRef d = b.variable("data", {5}, 8);
  b.head(b.op1("relu", "rd", {d}));
  const auto m = load(write_graph_json(b.graph()), write_params({{"w", 32, {3}, {1, -2, 3}}}));
  EXPECT_EQ(m->input_type().shape, (Shape{5}));
  EXPECT_EQ(m->input_length(), 5u);
}

TEST(model_load, v110_without_optional_tables) {
  // E-model-6: cvm_1.1.0 needs neither arg_nodes, node_row_ptr nor dltype,
  // even with an op outside the in-place list (negative).
  const std::string s = R"({"nodes":[{"op":"null","name":"data","inputs":[]},
    {"op":"cvm_op","name":"n","inputs":[[0,0]],"attrs":{"func_name":"negative"}}],
    "heads":[[1,0]],
    "attrs":{"storage_id":["list_int",[0,1]],"shape":["list_shape",[[2],[2]]],
             "precision":["list_int",[8,-1]],"op_attrs":["list_str",["","{}"]]},
    "version":"cvm_1.1.0"})";
  const auto m = load(s, empty_params());
  EXPECT_EQ(m->gas(), 5u * 2 + 5u * 2 + 2u);
}

TEST(model_load, params_named_data_are_ignored_and_duplicates_take_the_last) {
  GraphBuilder b;
  const EntryRef d = b.variable("data", {2}, 8);
  const EntryRef w = b.variable("w", {2}, 8);
  b.head(b.op1("elemwise_add", "add", {d, w}));
  const std::string params = write_params({{"data", 32, {3}, {9, 9, 9}},  // wrong shape: ignored
                                           {"w", 32, {2}, {1, 1}},
                                           {"w", 32, {2}, {10, 20}}});    // the later one wins
  const auto m = load(write_graph_json(b.graph()), params);
  EXPECT_EQ(m->variable_values()[1].data, (std::vector<int32_t>{10, 20}));
}

TEST(model_load, widths_follow_precisions_and_postprocess) {
  GraphBuilder b;
  const EntryRef d = b.variable("data", {1, 3}, 9);  // 9 > 8: 4-byte input
  b.head(b.op1("cvm_clip", "c", {d}, {{"precision", "4"}}));
  const Graph plain = b.graph();
  b.postprocess("argmax");
  const auto m = load(write_graph_json(plain), empty_params());
  EXPECT_EQ(m->input_width(), 4);
  EXPECT_EQ(m->input_length(), 12u);
  EXPECT_EQ(m->output_width(), 1);  // head precision 4
  const auto a = load(write_graph_json(b.graph()), empty_params());
  EXPECT_EQ(a->output_width(), 4);  // argmax indices are int32
  EXPECT_EQ(a->output_length(), 4u);  // one row
}

TEST(model_load, memory_plan_reuses_slots_of_dead_entries) {
  // load.rst example: data -> relu -> relu -> relu uses two slots: 0, 1, 0.
  GraphBuilder b;
  EntryRef x = b.variable("data", {4}, 8);
  for (int k = 0; k < 3; ++k) x = b.op1("relu", "r" + std::to_string(k), {x});
  b.head(x);
  const auto m = load(write_graph_json(b.graph()), empty_params());
  const MemoryPlan& p = m->plan();
  EXPECT_EQ(p.slot_of_entry, (std::vector<int64_t>{-1, 0, 1, 0}));
  EXPECT_EQ(p.slot_elements, (std::vector<int64_t>{4, 4}));
  EXPECT_EQ(p.bytes(), 4 * (0 + 4 + 8 + 4));  // params + input + slots + outputs
}

TEST(model_load, memory_plan_never_gives_a_node_its_input_slot) {
  // A fan-out: a is read by two nodes, and b's output is unused (freed at once).
  GraphBuilder b;
  const EntryRef d = b.variable("data", {8}, 8);
  const EntryRef a = b.op1("relu", "a", {d});
  b.op1("negative", "unused", {a});
  const EntryRef c = b.op1("abs", "c", {a});
  b.head(b.op1("elemwise_add", "sum", {a, c}));
  const auto m = load(write_graph_json(b.graph()), empty_params());
  const auto& slot = m->plan().slot_of_entry;
  // a: slot 0; unused: slot 1, freed right after; c: slot 1 again (a still live);
  // sum reads a and c, so it needs a third slot.
  EXPECT_EQ(slot, (std::vector<int64_t>{-1, 0, 1, 1, 2}));
}

TEST(model_load, memory_cap_is_a_runtime_error) {
  LoadOptions small;
  small.memory_cap_bytes = 40;  // the relu model needs 4*(0+4+4+4) = 48 bytes
  expect_runtime("model_c6", [&] { load(relu_symbol(), empty_params(), small); }, "48 bytes");
  small.memory_cap_bytes = 48;
  EXPECT_NO_THROW(load(relu_symbol(), empty_params(), small));
}

}  // namespace
}  // namespace cvm::oracle
