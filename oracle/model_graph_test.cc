// Reading and writing the symbol (spec/model/graph.rst).
#include <gtest/gtest.h>

#include "cvm/graph.h"
#include "cvm/graph_builder.h"
#include "model_support.h"

namespace cvm::oracle {
namespace {

TEST(model_graph, reads_the_minimal_model_of_the_spec) {
  const Graph g = parse_graph_json(relu_symbol());
  ASSERT_EQ(g.nodes.size(), 2u);
  EXPECT_TRUE(g.nodes[0].is_variable);
  EXPECT_EQ(g.nodes[0].name, "data");
  EXPECT_FALSE(g.nodes[1].is_variable);
  EXPECT_EQ(g.nodes[1].func_name, "relu");
  EXPECT_EQ(g.nodes[1].inputs, (std::vector<EntryRef>{{0, 0}}));
  EXPECT_EQ(g.heads, (std::vector<EntryRef>{{1, 0}}));
  EXPECT_EQ(g.shape, (std::vector<Shape>{{4}, {4}}));
  EXPECT_EQ(g.precision, (std::vector<int64_t>{8, -1}));
  EXPECT_EQ(g.storage_id, (std::vector<int64_t>{0, 1}));
  EXPECT_EQ(g.op_attrs, (std::vector<std::string>{"", "{}"}));
  EXPECT_EQ(g.version, "cvm_1.0.0");
  EXPECT_EQ(g.postprocess, "");
}

TEST(model_graph, version_defaults_to_1_0_0) {
  // The spec's minimal model without its "version" key: still cvm_1.0.0 rules.
  std::string s = relu_symbol();
  s.erase(s.find(",\n \"version\""), std::string(",\n \"version\":\"cvm_1.0.0\"").size());
  EXPECT_EQ(parse_graph_json(s).version, "cvm_1.0.0");
}

TEST(model_graph, strips_one_numeric_suffix_from_func_name) {
  EXPECT_EQ(strip_func_suffix("conv2d_3"), "conv2d");
  EXPECT_EQ(strip_func_suffix("relu_"), "relu");           // a lone trailing _ goes too
  EXPECT_EQ(strip_func_suffix("cvm_right_shift"), "cvm_right_shift");  // "shift" is not digits
  EXPECT_EQ(strip_func_suffix("cvm_clip_12"), "cvm_clip");  // only the last suffix
  EXPECT_EQ(strip_func_suffix("relu_1_2"), "relu_1");
  EXPECT_EQ(strip_func_suffix("relu"), "relu");
}

TEST(model_graph, writer_emits_the_spec_layout) {
  GraphBuilder b;
  const EntryRef x = b.variable("data", {4}, 8);
  b.head(b.op1("relu", "r", {x}));
  // Expected text derived by hand from the "Writing" section of graph.rst.
  const std::string want =
      R"({"nodes":[{"op":"null","name":"data","inputs":[]},)"
      R"({"op":"cvm_op","name":"r","inputs":[[0,0,0]],"attrs":{"func_name":"relu","num_inputs":"1","num_outputs":"1","flatten_data":"0"}}],)"
      R"("arg_nodes":[0],"node_row_ptr":[0,1,2],"heads":[[1,0,0]],)"
      R"("attrs":{"dltype":["list_str",["int32","int32"]],"storage_id":["list_int",[0,1]],)"
      R"("shape":["list_shape",[[4],[4]]],"precision":["list_int",[8,8]],"op_attrs":["list_str",["","{}"]]},)"
      R"("version":"cvm_1.0.0"})";
  EXPECT_EQ(write_graph_json(b.graph()), want);
}

TEST(model_graph, write_then_read_gives_the_same_graph) {
  // Two outputs (get_valid_counts) shift every later entry id: node_row_ptr matters.
  GraphBuilder b;
  const EntryRef d = b.variable("data", {1, 4, 6}, 16);
  const auto gvc = b.op("get_valid_counts", "gvc", {d}, {{"score_threshold", "0"}});
  const EntryRef nms = b.op1("non_max_suppression_0", "nms", {gvc[1], gvc[0]},
                             {{"iou_threshold", "50"}, {"top_k", "-1"}, {"max_output_size", "-1"}});
  b.head(nms);
  b.head(gvc[0]);
  b.postprocess("detection");
  const std::string text = write_graph_json(b.graph());
  const Graph back = parse_graph_json(text);
  EXPECT_EQ(back, b.graph());
  EXPECT_NE(text.find(R"("node_row_ptr":[0,1,3,4])"), std::string::npos) << text;
  EXPECT_NE(text.find(R"("postprocess":"detection")"), std::string::npos) << text;
}

TEST(model_graph, op_attrs_round_trip_as_strings) {
  Graph g = parse_graph_json(relu_symbol());
  g.op_attrs[1] = R"({"a_min":"-3","a_max":"3"})";
  const AttrMap attrs = parse_op_attrs(g, 1);
  EXPECT_EQ(attrs, (AttrMap{{"a_max", "3"}, {"a_min", "-3"}}));
  EXPECT_EQ(op_attrs_json(attrs), R"({"a_max":"3","a_min":"-3"})");  // keys sorted
  g.op_attrs[1] = "{}";
  EXPECT_TRUE(parse_op_attrs(g, 1).empty());
  g.op_attrs[1] = "";  // not JSON: upstream's reader rejects it (runtime)
  EXPECT_THROW(parse_op_attrs(g, 1), RuntimeError);
}

}  // namespace
}  // namespace cvm::oracle
