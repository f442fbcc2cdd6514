// The bad-input suite, symbols (spec/model/graph.rst): one malformed symbol per
// rule of every graph_cN constraint, plus operator-level rejections through a
// model (spec/common.rst, op pages) and huge or hostile documents. Every test
// checks the class (LogicError), the label and that the message says what is
// wrong and where (node index, name and operator; table; reference).
//
// Syntactic cases are written as JSON text by hand (the reader is under test);
// semantic cases mutate a valid symbol with nlohmann::json.
#include <gtest/gtest.h>
#include <sys/mman.h>

#include <nlohmann/json.hpp>
#include <string>

#include "cvm/errors.h"
#include "cvm/graph.h"
#include "cvm/graph_builder.h"
#include "model_support.h"

namespace cvm::oracle {
namespace {

using nlohmann::json;

// The relu model of graph.rst, written by hand, one top-level value (and one
// graph attrs table) per field so that a test replaces exactly one piece. An
// empty field leaves its key out.
constexpr const char* kDataNode = R"({"op":"null","name":"data","inputs":[]})";
constexpr const char* kReluNode =
    R"({"op":"cvm_op","name":"r","inputs":[[0,0,0]],)"
    R"("attrs":{"func_name":"relu","num_inputs":"1","num_outputs":"1","flatten_data":"0"}})";

struct Symbol {
  std::string nodes = std::string("[") + kDataNode + "," + kReluNode + "]";
  std::string arg_nodes = "[0]";
  std::string node_row_ptr = "[0,1,2]";
  std::string heads = "[[1,0,0]]";
  std::string attrs;  // when set, the whole attrs value (the tables below are unused)
  std::string dltype = R"(["list_str",["int32","int32"]])";
  std::string storage_id = R"(["list_int",[0,1]])";
  std::string shape = R"(["list_shape",[[4],[4]]])";
  std::string precision = R"(["list_int",[8,-1]])";
  std::string op_attrs = R"(["list_str",["","{}"]])";
  std::string more_attrs;  // raw `"key":value` pairs appended to attrs
  std::string version = R"("cvm_1.0.0")";
  std::string more;  // raw `"key":value` pairs appended to the top level
  bool omit_attrs = false;

  std::string text() const {
    auto object = [](std::initializer_list<std::pair<const char*, const std::string*>> kv,
                     const std::string& extra) {
      std::string out = "{";
      for (const auto& [key, value] : kv) {
        if (value->empty()) continue;
        if (out.size() > 1) out += ",";
        out += std::string("\"") + key + "\":" + *value;
      }
      if (!extra.empty()) out += (out.size() > 1 ? "," : "") + extra;
      return out + "}";
    };
    const std::string a = omit_attrs ? std::string() : !attrs.empty() ? attrs
                                         : object({{"dltype", &dltype},
                                                   {"storage_id", &storage_id},
                                                   {"shape", &shape},
                                                   {"precision", &precision},
                                                   {"op_attrs", &op_attrs}},
                                                  more_attrs);
    return object({{"nodes", &nodes},
                   {"arg_nodes", &arg_nodes},
                   {"node_row_ptr", &node_row_ptr},
                   {"heads", &heads},
                   {"attrs", &a},
                   {"version", &version}},
                  more);
  }
};

// The symbol with its relu node replaced by `relu_node` (JSON text).
Symbol with_relu(const std::string& relu_node) {
  Symbol s;
  s.nodes = std::string("[") + kDataNode + "," + relu_node + "]";
  return s;
}

// Loading `symbol` (with no params) is a LogicError `label` whose message
// contains `needle`. The symbol alone (load_graph) must fail the same way.
void bad(const std::string& label, const std::string& symbol, const std::string& needle) {
  expect_rejection(label, [&] { load_graph(symbol); }, needle);
  expect_rejection(label, [&] { load(symbol, empty_params()); }, needle);
}
void bad(const std::string& label, const Symbol& symbol, const std::string& needle) {
  bad(label, symbol.text(), needle);
}

void good(const std::string& symbol) {
  try {
    load(symbol, empty_params());
  } catch (const std::exception& e) {
    ADD_FAILURE() << "expected the symbol to load, got: " << e.what();
  }
}
void good(const Symbol& symbol) { good(symbol.text()); }

// The symbol alone is valid (its variables other than data would need params).
void good_graph(const std::string& symbol) {
  try {
    load_graph(symbol);
  } catch (const std::exception& e) {
    ADD_FAILURE() << "expected the symbol to be valid, got: " << e.what();
  }
}

// A model with data (1, 1, 4, 4) p8, w (1, 1, 3, 3) p8 and conv2d (no bias):
// nodes 0, 1, 2 own entries 0, 1, 2.
json conv2d_model() {
  GraphBuilder b;
  const EntryRef d = b.variable("data", {1, 1, 4, 4}, 8);
  const EntryRef w = b.variable("w", {1, 1, 3, 3}, 8);
  b.head(b.op1("conv2d", "c", {d, w},
               {{"channels", "1"}, {"kernel_size", "(3, 3)"}, {"use_bias", "false"}}));
  return json::parse(write_graph_json(b.graph()));
}

// data (2, 5) p8, w (3, 5) p8, b (3) p8, dense units 3 with bias.
json dense_model() {
  GraphBuilder b;
  const EntryRef d = b.variable("data", {2, 5}, 8);
  const EntryRef w = b.variable("w", {3, 5}, 8);
  const EntryRef bias = b.variable("b", {3}, 8);
  b.head(b.op1("dense", "fc", {d, w, bias}, {{"units", "3"}, {"use_bias", "true"}}));
  return json::parse(write_graph_json(b.graph()));
}

// data (1, 3, 2) p8 -> get_valid_counts (2 outputs: entries 1 and 2) -> relu of output 1.
json gvc_model() {
  GraphBuilder b;
  const EntryRef d = b.variable("data", {1, 3, 2}, 8);
  const auto outs = b.op("get_valid_counts", "g", {d});
  b.head(b.op1("relu", "r", {outs[1]}));
  return json::parse(write_graph_json(b.graph()));
}

TEST(bad_graph, hand_written_base_symbol_loads) {
  good(Symbol{});  // every test below breaks exactly one rule of this symbol
  EXPECT_EQ(Symbol{}.text().find("\"postprocess\""), std::string::npos);
}

// graph_c1 ---------------------------------------------------------------------

TEST(bad_graph, graph_c1_not_json) {
  bad("graph_c1", "{\"nodes\": [", "not valid JSON");
  bad("graph_c1", "", "not valid JSON");
  bad("graph_c1", "nodes", "not valid JSON");
  bad("graph_c1", Symbol{}.text() + "}", "not valid JSON");  // trailing garbage
  bad("graph_c1", "{'nodes': []}", "not valid JSON");        // single quotes
}

TEST(bad_graph, graph_c1_top_level_not_an_object) {
  bad("graph_c1", "[]", "array");
  bad("graph_c1", "42", "number");
  bad("graph_c1", "\"symbol\"", "string");
  bad("graph_c1", "null", "null");
}

TEST(bad_graph, graph_c1_invalid_utf8) {
  std::string node = kReluNode;
  node.replace(node.find("\"r\""), 3, "\"r\xff\"");  // the name "r" followed by a stray byte
  bad("graph_c1", with_relu(node), "not valid JSON");
}

TEST(bad_graph, graph_c1_longer_than_2_31_minus_1_bytes) {
  // 2^31 bytes of address space, never touched (the length is checked first).
  const size_t n = size_t{1} << 31;
  void* p = mmap(nullptr, n, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  if (p == MAP_FAILED) GTEST_SKIP() << "cannot reserve 2 GiB of address space";
  const std::string_view text(static_cast<const char*>(p), n);
  expect_rejection("graph_c1", [&] { parse_graph_json(text); }, "2147483648 bytes");
  expect_rejection("graph_c1", [&] { load_graph(text); }, "2147483648 bytes");
  munmap(p, n);
}

// graph_c2 ---------------------------------------------------------------------

TEST(bad_graph, graph_c20_unknown_top_level_key) {
  Symbol s;
  s.more = R"("layout":"NCHW")";
  bad("graph_c20", s, "unknown key 'layout'");
}

TEST(bad_graph, graph_c2_missing_heads) {
  Symbol s;
  s.heads = "";
  bad("graph_c2", s, "'heads'");
}

TEST(bad_graph, graph_c2_missing_nodes) {
  Symbol s;
  s.nodes = "";
  bad("graph_c2", s, "'nodes'");
}

TEST(bad_graph, graph_c2_missing_attrs) {
  Symbol s;
  s.omit_attrs = true;
  bad("graph_c2", s, "'attrs'");
}

TEST(bad_graph, graph_c20_nodes_not_an_array) {
  Symbol s;
  s.nodes = std::string("{\"0\":") + kDataNode + "}";
  bad("graph_c20", s, "nodes must be an array");
}

TEST(bad_graph, graph_c20_heads_not_an_array) {
  Symbol s;
  s.heads = "[1,0,0]";  // an array, but of integers: graph_c5 (below)
  bad("graph_c5", s, "head 0");
  s.heads = R"({"0":[1,0,0]})";
  bad("graph_c20", s, "heads must be an array");
}

// graph_c3 ---------------------------------------------------------------------

TEST(bad_graph, graph_c3_unknown_version) {
  Symbol s;
  s.version = R"("cvm_2.0.0")";
  bad("graph_c3", s, "cvm_2.0.0");
  s.version = R"("CVM_1.0.0")";
  bad("graph_c3", s, "CVM_1.0.0");
}

TEST(bad_graph, graph_c3_version_not_a_string) {
  Symbol s;
  s.version = "1";
  bad("graph_c3", s, "version must be a string");
}

TEST(bad_graph, graph_c3_postprocess_not_a_string) {
  Symbol s;
  s.more = R"("postprocess":["argmax"])";
  bad("graph_c3", s, "postprocess must be a string");
  s.more = R"("postprocess":"no such thing")";  // any other string: no post-processing
  good(s);
  s.version = "";  // absent: cvm_1.0.0
  good(s);
}

// graph_c4 ---------------------------------------------------------------------

TEST(bad_graph, graph_c21_node_not_an_object) {
  Symbol s;
  s.nodes = std::string("[") + kDataNode + ",\"relu\"]";
  bad("graph_c21", s, "node 1 must be an object");
}

TEST(bad_graph, graph_c21_unknown_node_key) {
  Symbol s;
  s.nodes = std::string(R"([{"op":"null","name":"data","inputs":[],"shape":[4]},)") + kReluNode + "]";
  bad("graph_c21", s, "node 0 has an unknown key 'shape'");
}

TEST(bad_graph, graph_c4_missing_op_name_or_inputs) {
  for (const char* node : {R"({"name":"data","inputs":[]})", R"({"op":"null","inputs":[]})",
                           R"({"op":"null","name":"data"})"}) {
    Symbol s;
    s.nodes = std::string("[") + node + "," + kReluNode + "]";
    bad("graph_c4", s, "node 0 lacks the required key");
  }
}

TEST(bad_graph, graph_c4_op_neither_null_nor_cvm_op) {
  Symbol s = with_relu(R"({"op":"relu","name":"r","inputs":[[0,0]],"attrs":{"func_name":"relu"}})");
  bad("graph_c4", s, "node 1 op is 'relu'");
  s = with_relu(R"({"op":null,"name":"r","inputs":[[0,0]],"attrs":{"func_name":"relu"}})");
  bad("graph_c21", s, "node 1 op must be a string");
}

TEST(bad_graph, graph_c21_name_not_a_string) {
  Symbol s = with_relu(R"({"op":"cvm_op","name":7,"inputs":[[0,0]],"attrs":{"func_name":"relu"}})");
  bad("graph_c21", s, "node 1 name must be a string");
}

TEST(bad_graph, graph_c21_precision_not_an_integer) {
  Symbol s =
      with_relu(R"({"op":"cvm_op","name":"r","inputs":[[0,0]],"precision":"8","attrs":{"func_name":"relu"}})");
  bad("graph_c21", s, "node 1 precision must be an integer");
  s = with_relu(R"({"op":"cvm_op","name":"r","inputs":[[0,0]],"precision":8.5,"attrs":{"func_name":"relu"}})");
  bad("graph_c21", s, "node 1 precision must be an integer");
  s = with_relu(R"({"op":"cvm_op","name":"r","inputs":[[0,0]],"precision":99,"attrs":{"func_name":"relu"}})");
  good(s);  // an integer, ignored
}

TEST(bad_graph, graph_c21_inputs_not_an_array) {
  Symbol s = with_relu(R"({"op":"cvm_op","name":"r","inputs":{"0":[0,0]},"attrs":{"func_name":"relu"}})");
  bad("graph_c21", s, "node 1 'r' inputs must be an array");
}

// graph_c5 ---------------------------------------------------------------------

Symbol relu_input(const std::string& ref) {
  return with_relu(R"({"op":"cvm_op","name":"r","inputs":[)" + ref + R"(],"attrs":{"func_name":"relu"}})");
}

TEST(bad_graph, graph_c5_ref_of_length_1) {
  bad("graph_c5", relu_input("[0]"), "node 1 'r' input 0");
}

TEST(bad_graph, graph_c5_ref_of_length_4) {
  bad("graph_c5", relu_input("[0,0,0,0]"), "node 1 'r' input 0");
}

TEST(bad_graph, graph_c5_ref_not_an_array) {
  bad("graph_c5", relu_input("0"), "node 1 'r' input 0");
  bad("graph_c5", relu_input(R"({"node":0,"index":0})"), "node 1 'r' input 0");
}

TEST(bad_graph, graph_c5_negative_node_id) {
  bad("graph_c5", relu_input("[-1,0]"), "node 1 'r' input 0 node id is -1");
}

TEST(bad_graph, graph_c5_negative_index) {
  bad("graph_c5", relu_input("[0,-1]"), "node 1 'r' input 0 index is -1");
}

TEST(bad_graph, graph_c5_float_index) {
  bad("graph_c5", relu_input("[0,0.0]"), "node 1 'r' input 0 index must be an integer");
  bad("graph_c5", relu_input("[0.0,0]"), "node 1 'r' input 0 node id must be an integer");
  bad("graph_c5", relu_input("[0,\"0\"]"), "node 1 'r' input 0 index must be an integer");
}

TEST(bad_graph, graph_c5_node_id_beyond_int32) {
  bad("graph_c5", relu_input("[2147483648,0]"), "node 1 'r' input 0 node id is 2147483648");
  bad("graph_c5", relu_input("[0,18446744073709551615]"), "node 1 'r' input 0 index");
  // Beyond 64 bits the number is not an integer any more.
  bad("graph_c5", relu_input("[0,123456789012345678901234567890]"), "node 1 'r' input 0 index");
}

TEST(bad_graph, graph_c5_version_must_be_an_integer) {
  bad("graph_c5", relu_input("[0,0,\"v1\"]"), "node 1 'r' input 0 version");
  bad("graph_c5", relu_input("[0,0,1.5]"), "node 1 'r' input 0 version");
  good(relu_input("[0,0,-7]"));  // any integer
}

TEST(bad_graph, graph_c5_bad_head_reference) {
  Symbol s;
  s.heads = "[[1]]";
  bad("graph_c5", s, "head 0");
  s.heads = "[[1,0,0],[-1,0]]";
  bad("graph_c5", s, "head 1 node id is -1");
}

// graph_c6 ---------------------------------------------------------------------

TEST(bad_graph, graph_c22_operator_node_without_attrs) {
  bad("graph_c22", with_relu(R"({"op":"cvm_op","name":"r","inputs":[[0,0]]})"),
      "node 1 'r' is an operator node without attrs");
}

TEST(bad_graph, graph_c22_attrs_not_an_object) {
  bad("graph_c22", with_relu(R"({"op":"cvm_op","name":"r","inputs":[[0,0]],"attrs":["relu"]})"),
      "node 1 'r' attrs must be an object");
}

TEST(bad_graph, graph_c22_unknown_attrs_key) {
  bad("graph_c22",
      with_relu(R"({"op":"cvm_op","name":"r","inputs":[[0,0]],"attrs":{"func_name":"relu","units":"3"}})"),
      "node 1 'r' attrs has an unknown key 'units'");
}

TEST(bad_graph, graph_c22_non_string_attrs_value) {
  bad("graph_c22",
      with_relu(R"({"op":"cvm_op","name":"r","inputs":[[0,0]],"attrs":{"func_name":"relu","num_inputs":1}})"),
      "node 1 'r' attrs.num_inputs must be a string");
  bad("graph_c22", with_relu(R"({"op":"cvm_op","name":"r","inputs":[[0,0]],"attrs":{"func_name":7}})"),
      "node 1 'r' attrs.func_name must be a string");
}

TEST(bad_graph, graph_c6_missing_func_name) {
  bad("graph_c6", with_relu(R"({"op":"cvm_op","name":"r","inputs":[[0,0]],"attrs":{"num_inputs":"1"}})"),
      "node 1 'r' attrs lacks the required key 'func_name'");
  // A variable may have attrs, but then with func_name too.
  Symbol s;
  s.nodes = std::string(R"([{"op":"null","name":"data","inputs":[],"attrs":{}},)") + kReluNode + "]";
  bad("graph_c6", s, "node 0 'data' attrs lacks the required key 'func_name'");
}

TEST(bad_graph, informational_node_attrs_are_ignored) {
  good(with_relu(
      R"({"op":"cvm_op","name":"r","inputs":[[0,0]],"attrs":{"func_name":"relu","num_inputs":"7",)"
      R"("num_outputs":"x","flatten_data":"1","op_attrs":"not even JSON"}})"));
}

// graph_c7 ---------------------------------------------------------------------

TEST(bad_graph, graph_c23_attrs_not_an_object) {
  Symbol s;
  s.attrs = "[]";
  bad("graph_c23", s, "attrs must be an object");
}

TEST(bad_graph, graph_c23_unknown_attrs_table) {
  Symbol s;
  s.more_attrs = R"("layout":["list_str",["NCHW","NCHW"]])";
  bad("graph_c23", s, "attrs has an unknown key 'layout'");
}

TEST(bad_graph, graph_c7_missing_table) {
  for (std::string Symbol::*table :
       {&Symbol::storage_id, &Symbol::shape, &Symbol::precision, &Symbol::op_attrs}) {
    Symbol s;
    s.*table = "";
    bad("graph_c7", s, "attrs lacks the required key");
  }
}

TEST(bad_graph, graph_c7_wrong_tag) {
  Symbol s;
  s.storage_id = R"(["list_str",[0,1]])";
  bad("graph_c7", s, "attrs.storage_id has tag 'list_str', expected 'list_int'");
  s = Symbol{};
  s.shape = R"(["list_int",[[4],[4]]])";
  bad("graph_c7", s, "attrs.shape has tag 'list_int', expected 'list_shape'");
  s = Symbol{};
  s.dltype = R"(["list_int",["int32","int32"]])";
  bad("graph_c7", s, "attrs.dltype has tag 'list_int'");
}

TEST(bad_graph, graph_c7_not_a_pair) {
  Symbol s;
  s.precision = R"(["list_int",[8,-1],"extra"])";
  bad("graph_c7", s, "attrs.precision must be a pair");
  s.precision = R"([8,-1])";
  bad("graph_c7", s, "attrs.precision must be a pair");
  s.precision = R"({"list_int":[8,-1]})";
  bad("graph_c7", s, "attrs.precision must be a pair");
  s.precision = R"(["list_int",8])";
  bad("graph_c23", s, "attrs.precision payload must be an array");
}

TEST(bad_graph, graph_c23_non_string_in_list_str) {
  Symbol s;
  s.op_attrs = R"(["list_str",["",{}]])";
  bad("graph_c23", s, "attrs.op_attrs[1] must be a string");
  s = Symbol{};
  s.dltype = R"(["list_str",["int32",32]])";
  bad("graph_c23", s, "attrs.dltype[1] must be a string");
}

TEST(bad_graph, graph_c23_int_out_of_int32_range) {
  Symbol s;
  s.storage_id = R"(["list_int",[0,2147483648]])";
  bad("graph_c23", s, "attrs.storage_id[1] is 2147483648");
  s = Symbol{};
  s.precision = R"(["list_int",[8,-2147483649]])";
  bad("graph_c23", s, "attrs.precision[1] is -2147483649");
  s = Symbol{};
  s.storage_id = R"(["list_int",[0,2147483647]])";  // the int32 bounds themselves are integers
  good(s);
}

TEST(bad_graph, graph_c23_non_integer_in_list_int) {
  Symbol s;
  s.storage_id = R"(["list_int",[0,1.0]])";
  bad("graph_c23", s, "attrs.storage_id[1] must be an integer");
  s.storage_id = R"(["list_int",[0,"1"]])";
  bad("graph_c23", s, "attrs.storage_id[1] must be an integer");
  s.storage_id = R"(["list_int",[0,123456789012345678901234567890]])";
  bad("graph_c23", s, "attrs.storage_id[1]");
}

TEST(bad_graph, graph_c23_shape_entry_not_an_array_of_integers) {
  Symbol s;
  s.shape = R"(["list_shape",[[4],4]])";
  bad("graph_c23", s, "attrs.shape[1] must be an array of integers");
  s.shape = R"(["list_shape",[[4],[4.0]]])";
  bad("graph_c23", s, "attrs.shape[1][0] must be an integer");
}

TEST(bad_graph, graph_c7_dtype_table_is_ignored) {
  Symbol s;
  s.more_attrs = R"("dtype":["list_int",[0,0]])";
  good(s);
}

// graph_c8 ---------------------------------------------------------------------

TEST(bad_graph, graph_c8_no_nodes) {
  Symbol s;
  s.nodes = "[]";
  bad("graph_c8", s, "0 nodes");
}

TEST(bad_graph, graph_c8_op_attrs_one_per_node) {
  Symbol s;
  s.op_attrs = R"(["list_str",["{}"]])";
  bad("graph_c8", s, "attrs.op_attrs has 1 elements for 2 nodes");
}

TEST(bad_graph, graph_c8_tables_one_per_entry) {
  Symbol s;
  s.storage_id = R"(["list_int",[0,1,2]])";
  bad("graph_c8", s, "attrs.storage_id has 3 elements for 2 entries");
  s = Symbol{};
  s.shape = R"(["list_shape",[[4]]])";
  bad("graph_c8", s, "attrs.shape has 1 elements for 2 entries");
  s = Symbol{};
  s.precision = R"(["list_int",[8]])";
  bad("graph_c8", s, "attrs.precision has 1 elements for 2 entries");
}

TEST(bad_graph, graph_c8_entries_count_operator_outputs) {
  // get_valid_counts has two outputs: 3 nodes own 4 entries, not 3.
  json j = gvc_model();
  for (const char* table : {"storage_id", "shape", "precision"}) {
    json k = j;
    k["attrs"][table][1].erase(k["attrs"][table][1].size() - 1);
    bad("graph_c8", k.dump(), std::string("attrs.") + table + " has 3 elements for 4 entries");
  }
}

TEST(bad_graph, graph_c8_device_index_not_empty) {
  Symbol s;
  s.more_attrs = R"("device_index":["list_int",[0,0]])";
  bad("graph_c8", s, "attrs.device_index must be empty");
  s.more_attrs = R"("device_index":["list_int",[]])";
  good(s);
}

TEST(bad_graph, graph_c8_more_than_2_20_nodes) {
  // 2^20 + 1 variables, built as one string; the count is checked before any
  // node is looked at.
  const size_t n = (size_t{1} << 20) + 1;
  const std::string node = R"({"op":"null","name":"v","inputs":[]},)";
  std::string text = R"({"nodes":[)";
  text.reserve(text.size() + n * node.size() + 200);
  for (size_t i = 0; i < n; ++i) text += node;
  text.back() = ']';
  text += R"(,"heads":[[0,0]],"attrs":{},"version":"cvm_1.1.0"})";
  expect_rejection("graph_c8", [&] { load_graph(text); }, "1048577 nodes");
}

TEST(bad_graph, graph_c8_shape_table_of_100000_entries) {
  std::string shapes = R"(["list_shape",[)";
  for (int i = 0; i < 100000; ++i) shapes += "[4],";
  shapes.back() = ']';
  shapes += "]";
  Symbol s;
  s.shape = shapes;
  expect_rejection("graph_c8", [&] { load_graph(s.text()); }, "attrs.shape has 100000 elements for 2 entries");
}

// graph_c9 ---------------------------------------------------------------------

TEST(bad_graph, graph_c9_v100_wrong_node_row_ptr) {
  Symbol s;
  s.node_row_ptr = "[0,1,3]";
  bad("graph_c9", s, "node_row_ptr must be the entry offsets: [0,1,2]");
  s.node_row_ptr = "[0,1]";
  bad("graph_c9", s, "node_row_ptr");
  s.node_row_ptr = "";
  bad("graph_c9", s, "'node_row_ptr'");
  s.node_row_ptr = "[0,-1,2]";
  bad("graph_c9", s, "node_row_ptr[1]");
}

TEST(bad_graph, graph_c9_v100_node_row_ptr_counts_operator_outputs) {
  json j = gvc_model();
  ASSERT_EQ(j["node_row_ptr"], json::parse("[0,1,3,4]"));
  j["node_row_ptr"] = json::parse("[0,1,2,3]");  // as if every node had one output
  bad("graph_c9", j.dump(), "[0,1,3,4]");
}

TEST(bad_graph, graph_c9_v100_wrong_arg_nodes) {
  Symbol s;
  s.arg_nodes = "[1]";
  bad("graph_c9", s, "arg_nodes must list the variable nodes in order: [0]");
  s.arg_nodes = "[]";
  bad("graph_c9", s, "arg_nodes");
  s.arg_nodes = "";
  bad("graph_c9", s, "'arg_nodes'");
  s.arg_nodes = "[0,0]";
  bad("graph_c9", s, "arg_nodes");
  s.arg_nodes = R"({"0":0})";
  bad("graph_c9", s, "arg_nodes must be an array");
  // Not ascending: data (0) and w (1) listed as [1, 0].
  json j = dense_model();
  j["arg_nodes"] = json::parse("[2,1,0]");
  bad("graph_c9", j.dump(), "[0,1,2]");
}

TEST(bad_graph, graph_c9_v100_missing_dltype) {
  Symbol s;
  s.dltype = "";
  bad("graph_c9", s, "dltype");
}

TEST(bad_graph, graph_c9_v100_dltype_float32) {
  Symbol s;
  s.dltype = R"(["list_str",["int32","float32"]])";
  bad("graph_c9", s, "attrs.dltype[1] is 'float32'");
  s.dltype = R"(["list_str",["int32"]])";
  bad("graph_c9", s, "attrs.dltype has 1 elements for 2 entries");
}

TEST(bad_graph, graph_c9_v110_optional_tables_must_be_well_formed) {
  Symbol s;
  s.version = R"("cvm_1.1.0")";
  s.arg_nodes = "[-1]";
  bad("graph_c9", s, "arg_nodes[0]");
  s.arg_nodes = "[0.5]";
  bad("graph_c9", s, "arg_nodes[0]");
  s.arg_nodes = "[0]";
  s.node_row_ptr = R"("0,1,2")";
  bad("graph_c9", s, "node_row_ptr must be an array");
  s.node_row_ptr = "[0,1,2]";
  s.dltype = R"(["list_str",[0,1]])";
  bad("graph_c23", s, "attrs.dltype[0] must be a string");
}

TEST(bad_graph, graph_c9_v110_ignores_the_values_of_optional_tables) {
  Symbol s;
  s.version = R"("cvm_1.1.0")";
  s.arg_nodes = "[5,3]";
  s.node_row_ptr = "[7]";
  s.dltype = R"(["list_str",["float32"]])";
  good(s);
  s.arg_nodes = s.node_row_ptr = s.dltype = "";
  good(s);
}

// graph_c10 --------------------------------------------------------------------

Symbol with_shapes(const std::string& data_shape, const std::string& relu_shape) {
  Symbol s;
  s.shape = R"(["list_shape",[)" + data_shape + "," + relu_shape + "]]";
  return s;
}

TEST(bad_graph, graph_c10_rank_0) {
  bad("graph_c10", with_shapes("[]", "[]"), "node 0 'data' (variable)");
}

TEST(bad_graph, graph_c10_rank_7) {
  bad("graph_c10", with_shapes("[1,1,1,1,1,1,4]", "[1,1,1,1,1,1,4]"), "node 0 'data' (variable)");
}

TEST(bad_graph, graph_c10_rank_6_is_accepted) {
  good(with_shapes("[1,1,1,1,2,2]", "[1,1,1,1,2,2]"));
}

TEST(bad_graph, graph_c10_dim_0) {
  bad("graph_c10", with_shapes("[0]", "[0]"), "node 0 'data' (variable) entry 0 shape (0,)");
  bad("graph_c10", with_shapes("[-4]", "[-4]"), "node 0 'data' (variable) entry 0 shape (-4,)");
}

TEST(bad_graph, graph_c10_dim_2_24_plus_1) {
  bad("graph_c10", with_shapes("[16777217]", "[16777217]"),
      "node 0 'data' (variable) entry 0 shape (16777217,)");
  good(with_shapes("[16777216]", "[16777216]"));  // 2^24 itself: no memory is needed to load
}

TEST(bad_graph, graph_c10_dim_beyond_int32) {
  // list_shape payloads are arrays of integers (graph_c7 bounds only list_int
  // values to int32), so a dim of 2^31 is a shape error.
  bad("graph_c10", with_shapes("[2147483648]", "[2147483648]"), "node 0 'data' (variable)");
}

TEST(bad_graph, graph_c10_size_above_2_30) {
  bad("graph_c10", with_shapes("[32768,32769]", "[32768,32769]"),
      "node 0 'data' (variable) entry 0 shape (32768, 32769) has more than 2^30 elements");
  // No overflow on the way: 6 dims of 2^24 multiply to 2^144.
  bad("graph_c10",
      with_shapes("[16777216,16777216,16777216,16777216,16777216,16777216]",
                  "[16777216,16777216,16777216,16777216,16777216,16777216]"),
      "more than 2^30 elements");
}

TEST(bad_graph, graph_c10_is_checked_after_the_reading_checks) {
  // graph.rst, validation order: graph_c1 .. graph_c9 while reading, then per
  // node graph_c10. A rank-0 shape in a cvm_1.0.0 symbol without dltype
  // violates graph_c9 first.
  Symbol s = with_shapes("[]", "[4]");
  s.dltype = "";
  bad("graph_c9", s, "dltype");
  s = with_shapes("[1,1,1,1,1,1,1]", "[4]");
  s.op_attrs = R"(["list_str",[""]])";
  bad("graph_c8", s, "attrs.op_attrs has 1 elements for 2 nodes");
}

TEST(bad_graph, graph_c10_operator_output_entry) {
  // The relu entry's own declared shape is checked (before its shape rule).
  bad("graph_c10", with_shapes("[4]", "[0]"), "node 1 'r' (relu) entry 1");
}

TEST(bad_graph, graph_c10_shape_of_a_million_dims) {
  std::string dims = "[";
  for (int i = 0; i < 1000000; ++i) dims += "1,";
  dims.back() = ']';
  bad("graph_c10", with_shapes(dims, "[4]"), "node 0 'data' (variable)");
}

// graph_c11 --------------------------------------------------------------------

TEST(bad_graph, graph_c11_precision_0) {
  Symbol s;
  s.precision = R"(["list_int",[0,-1]])";
  bad("graph_c11", s, "node 0 'data' (variable) entry 0 precision 0");
}

TEST(bad_graph, graph_c11_precision_33) {
  Symbol s;
  s.precision = R"(["list_int",[33,-1]])";
  bad("graph_c11", s, "node 0 'data' (variable) entry 0 precision 33");
  s.precision = R"(["list_int",[8,33]])";  // an operator output's value is ignored, not its range
  bad("graph_c11", s, "node 1 'r' (relu) entry 1 precision 33");
  s.precision = R"(["list_int",[32,3]])";  // in range: the operator's rule gives 32
  good(s);
}

TEST(bad_graph, graph_c11_variable_minus_1) {
  Symbol s;
  s.precision = R"(["list_int",[-1,-1]])";
  bad("graph_c11", s, "node 0 'data' (variable) entry 0 is a variable");
  s.precision = R"(["list_int",[8,-2]])";
  bad("graph_c11", s, "node 1 'r' (relu) entry 1 precision -2");
}

// graph_c12 --------------------------------------------------------------------

TEST(bad_graph, graph_c12_negative_storage_id) {
  Symbol s;
  s.storage_id = R"(["list_int",[-1,1]])";
  bad("graph_c12", s, "node 0 'data' (variable) entry 0 storage id -1");
  s.storage_id = R"(["list_int",[0,-2147483648]])";
  bad("graph_c12", s, "node 1 'r' (relu) entry 1 storage id -2147483648");
}

// graph_c13 --------------------------------------------------------------------

// data, data (again), elemwise_add of both: nodes 0, 1, 2.
std::string duplicate_data_symbol(const char* version, bool tables) {
  std::string s = R"({"nodes":[{"op":"null","name":"data","inputs":[]},
    {"op":"null","name":"data","inputs":[]},
    {"op":"cvm_op","name":"add","inputs":[[0,0],[1,0]],"attrs":{"func_name":"elemwise_add"}}],)";
  if (tables) s += R"("arg_nodes":[0,1],"node_row_ptr":[0,1,2,3],)";
  s += R"("heads":[[2,0]],
    "attrs":{)";
  if (tables) s += R"("dltype":["list_str",["int32","int32","int32"]],)";
  s += R"("storage_id":["list_int",[0,1,2]],"shape":["list_shape",[[4],[4],[4]]],
    "precision":["list_int",[8,8,-1]],"op_attrs":["list_str",["","","{}"]]},"version":")";
  return s + version + "\"}";
}

TEST(bad_graph, graph_c13_duplicate_names) {
  bad("graph_c13", duplicate_data_symbol("cvm_1.0.0", true), "node 1 'data' (variable)");
}

TEST(bad_graph, graph_c13_duplicate_names_in_v110) {
  // E-model-9: upstream checks only the names listed in arg_nodes.
  bad("graph_c13", duplicate_data_symbol("cvm_1.1.0", false), "node 1 'data' (variable)");
}

TEST(bad_graph, graph_c13_operator_names_may_repeat) {
  Symbol s = with_relu(
      R"({"op":"cvm_op","name":"data","inputs":[[0,0]],"attrs":{"func_name":"relu"}})");
  good(s);  // only variable names must be unique
}

// graph_c14 --------------------------------------------------------------------

TEST(bad_graph, graph_c14_variable_with_inputs) {
  Symbol s;
  s.nodes = std::string("[") + kDataNode + R"(,{"op":"null","name":"w","inputs":[[0,0]]},)" +
            R"({"op":"cvm_op","name":"r","inputs":[[0,0]],"attrs":{"func_name":"relu"}}])";
  s.arg_nodes = "[0,1]";
  s.node_row_ptr = "[0,1,2,3]";
  s.heads = "[[2,0]]";
  s.dltype = R"(["list_str",["int32","int32","int32"]])";
  s.storage_id = R"(["list_int",[0,1,2]])";
  s.shape = R"(["list_shape",[[4],[4],[4]]])";
  s.precision = R"(["list_int",[8,8,-1]])";
  s.op_attrs = R"(["list_str",["","","{}"]])";
  bad("graph_c14", s, "node 1 'w' (variable) is a variable with 1 inputs");
}

// graph_c15 --------------------------------------------------------------------

// data, a = relu(?), b = relu(?): nodes 0, 1, 2, entries 0, 1, 2.
Symbol two_relus(const std::string& a_input, const std::string& b_input) {
  Symbol s;
  s.nodes = std::string("[") + kDataNode +
            R"(,{"op":"cvm_op","name":"a","inputs":[)" + a_input + R"(],"attrs":{"func_name":"relu"}},)" +
            R"({"op":"cvm_op","name":"b","inputs":[)" + b_input + R"(],"attrs":{"func_name":"relu"}}])";
  s.node_row_ptr = "[0,1,2,3]";
  s.heads = "[[2,0]]";
  s.dltype = R"(["list_str",["int32","int32","int32"]])";
  s.storage_id = R"(["list_int",[0,1,2]])";
  s.shape = R"(["list_shape",[[4],[4],[4]]])";
  s.precision = R"(["list_int",[8,-1,-1]])";
  s.op_attrs = R"(["list_str",["","{}","{}"]])";
  return s;
}

TEST(bad_graph, graph_c15_base_chain_loads) { good(two_relus("[0,0]", "[1,0]")); }

TEST(bad_graph, graph_c15_forward_reference) {
  // a reads b and b reads a: a cycle, rejected at a.
  bad("graph_c15", two_relus("[2,0]", "[1,0]"), "node 1 'a' (relu) input 0 references node 2");
}

TEST(bad_graph, graph_c15_self_reference) {
  bad("graph_c15", two_relus("[0,0]", "[2,0]"), "node 2 'b' (relu) input 0 references node 2");
}

TEST(bad_graph, graph_c15_node_beyond_node_count) {
  bad("graph_c15", two_relus("[0,0]", "[9,0]"), "node 2 'b' (relu) input 0 references node 9");
  bad("graph_c15", two_relus("[0,0]", "[2147483647,0]"), "node 2 'b' (relu) input 0");
}

TEST(bad_graph, graph_c15_index_beyond_outputs) {
  // E-model-5: upstream reads [0, 1] as entry 1, the output of node a itself.
  bad("graph_c15", two_relus("[0,1]", "[1,0]"), "node 1 'a' (relu) input 0 references output 1");
  bad("graph_c15", two_relus("[0,0]", "[1,2147483647]"), "node 2 'b' (relu) input 0");
}

TEST(bad_graph, graph_c15_index_beyond_a_multi_output_node) {
  json j = gvc_model();  // relu reads [1, 1], the second output of get_valid_counts
  ASSERT_EQ(j["nodes"][2]["inputs"][0][1], 1);
  good(j.dump());
  j["nodes"][2]["inputs"][0][1] = 2;
  bad("graph_c15", j.dump(), "node 2 'r' (relu) input 0 references output 2 of node 1 'g'");
}

// graph_c16 --------------------------------------------------------------------

Symbol relu_op_attrs(const std::string& text) {
  Symbol s;
  s.op_attrs = R"(["list_str",["",)" + json(text).dump() + "]]";
  return s;
}

TEST(bad_graph, graph_c16_op_attrs_not_json) {
  bad("graph_c16", relu_op_attrs("{"), "node 1 'r' (relu) op_attrs");
  bad("graph_c16", relu_op_attrs("units=3"), "node 1 'r' (relu) op_attrs");
}

TEST(bad_graph, graph_c16_op_attrs_not_an_object) {
  bad("graph_c16", relu_op_attrs("[]"), "node 1 'r' (relu) op_attrs");
  bad("graph_c16", relu_op_attrs("\"\""), "node 1 'r' (relu) op_attrs");
}

TEST(bad_graph, graph_c16_non_string_value) {
  json j = conv2d_model();
  j["attrs"]["op_attrs"][1][2] = R"j({"channels":1,"kernel_size":"(3, 3)","use_bias":"false"})j";
  bad("graph_c16", j.dump(), "node 2 'c' (conv2d) op_attrs value of 'channels'");
  j["attrs"]["op_attrs"][1][2] = R"({"channels":"1","kernel_size":[3,3],"use_bias":"false"})";
  bad("graph_c16", j.dump(), "node 2 'c' (conv2d) op_attrs value of 'kernel_size'");
}

// Upstream reads an operator node's op_attrs with its JSON reader, so the
// empty string (or blanks) is not an empty map: only "{}" is.
TEST(bad_graph, graph_c16_empty_string_is_not_an_empty_map) {
  bad("graph_c16", relu_op_attrs(""), "node 1 'r' (relu) op_attrs");
  bad("graph_c16", relu_op_attrs(" "), "node 1 'r' (relu) op_attrs");
  good(relu_op_attrs("{}"));
  good(relu_op_attrs(" {} "));
}

TEST(bad_graph, graph_c16_variables_op_attrs_are_ignored) {
  Symbol s;
  s.op_attrs = R"(["list_str",["not JSON at all","{}"]])";
  good(s);
}

// graph_c17 --------------------------------------------------------------------

// A symbol without heads is a valid graph (upstream's gas query accepts it);
// loading it as a model fails, as upstream's output count check does.
TEST(bad_graph, model_c7_no_heads) {
  Symbol s;
  s.heads = "[]";
  EXPECT_NO_THROW(load_graph(s.text()));
  expect_rejection("model_c7", [&] { load(s.text(), empty_params()); }, "no heads");
}

TEST(bad_graph, graph_c17_head_beyond_node_count) {
  Symbol s;
  s.heads = "[[2,0]]";
  bad("graph_c17", s, "head 0 references node 2; the symbol has 2 nodes");
  s.heads = "[[1,0],[2147483647,0]]";
  bad("graph_c17", s, "head 1 references node 2147483647");
}

TEST(bad_graph, graph_c17_head_index_beyond_outputs) {
  Symbol s;
  s.heads = "[[1,1]]";
  bad("graph_c17", s, "head 0 references output 1 of node 1 'r' (relu)");
  json j = gvc_model();
  j["heads"] = json::parse("[[1,1],[1,2]]");
  bad("graph_c17", j.dump(), "head 1 references output 2 of node 1 'g' (get_valid_counts)");
}

// graph_c18 --------------------------------------------------------------------

TEST(bad_graph, graph_c18_conv2d_output_shares_an_input_storage_id) {
  json j = conv2d_model();
  ASSERT_EQ(j["attrs"]["storage_id"][1], json::parse("[0,1,2]"));
  j["attrs"]["storage_id"][1] = json::parse("[0,1,0]");
  bad("graph_c18", j.dump(), "node 2 'c' (conv2d) output 0 shares storage id 0 with its input entry 0");
  j["attrs"]["storage_id"][1] = json::parse("[0,1,1]");
  bad("graph_c18", j.dump(), "node 2 'c' (conv2d) output 0 shares storage id 1 with its input entry 1");
}

TEST(bad_graph, graph_c18_dense_output_shares_an_input_storage_id) {
  json j = dense_model();
  j["attrs"]["storage_id"][1] = json::parse("[0,1,2,2]");  // the bias's pool
  bad("graph_c18", j.dump(), "node 3 'fc' (dense) output 0 shares storage id 2");
}

TEST(bad_graph, graph_c18_second_output_is_checked_too) {
  json j = gvc_model();
  j["attrs"]["storage_id"][1] = json::parse("[0,1,0,3]");
  bad("graph_c18", j.dump(), "node 1 'g' (get_valid_counts) output 1 shares storage id 0");
}

TEST(bad_graph, graph_c18_in_place_ops_may_share) {
  Symbol s;
  s.storage_id = R"(["list_int",[0,0]])";  // relu in place
  good(s);
  GraphBuilder b;  // elemwise_add (in place) writing the pool of its second input
  const EntryRef d = b.variable("data", {4}, 8);
  const EntryRef r = b.op1("relu", "r", {d});
  b.head(b.op1("elemwise_add", "add", {d, r}));
  json j = json::parse(write_graph_json(b.graph()));
  j["attrs"]["storage_id"][1] = json::parse("[0,1,1]");
  good(j.dump());
  // Storage ids of unrelated entries may coincide for any operator.
  json c = conv2d_model();
  c["attrs"]["storage_id"][1] = json::parse("[0,0,5]");
  good_graph(c.dump());
}

// graph_c19 --------------------------------------------------------------------

TEST(bad_graph, graph_c19_declared_shape_differs) {
  bad("graph_c19", with_shapes("[4]", "[5]"),
      "node 1 'r' (relu) output 0 is declared with shape (5,); its shape rule gives (4,)");
  bad("graph_c19", with_shapes("[4]", "[1,4]"), "node 1 'r' (relu) output 0");
  json j = conv2d_model();
  j["attrs"]["shape"][1][2] = json::parse("[1,1,3,3]");
  bad("graph_c19", j.dump(), "node 2 'c' (conv2d) output 0 is declared with shape (1, 1, 3, 3)");
  j = gvc_model();
  j["attrs"]["shape"][1][1] = json::parse("[2]");
  bad("graph_c19", j.dump(), "node 1 'g' (get_valid_counts) output 0");
}

// Operators in a model (spec/common.rst and the op pages) ----------------------

TEST(bad_graph, op_c0_unknown_func_name) {
  bad("op_c0",
      with_relu(R"({"op":"cvm_op","name":"r","inputs":[[0,0]],"attrs":{"func_name":"softmax"}})"),
      "node 1 'r': unknown operator 'softmax'");
  bad("op_c0", with_relu(R"({"op":"cvm_op","name":"r","inputs":[[0,0]],"attrs":{"func_name":""}})"),
      "node 1 'r'");
}

// An upstream alias passes upstream's registry and fails its kernel lookup: a
// logic error where an unknown name is a runtime one.
TEST(bad_graph, op_c4_alias_nn_relu) {
  for (const char* name : {"nn.relu", "nn.relu_3"}) {
    const std::string symbol = with_relu(std::string(R"({"op":"cvm_op","name":"r","inputs":[[0,0]],"attrs":{"func_name":")") +
                                         name + R"("}})")
                                   .text();
    // The graph is valid (validated as relu, with relu's gas) ...
    EXPECT_EQ(load_graph(symbol).gas, load_graph(Symbol{}.text()).gas) << name;
    // ... but upstream has no kernel for the alias: loading fails.
    expect_rejection("op_c4", [&] { load(symbol, empty_params()); },
                     "node 1 'r' (relu) is named by an upstream alias");
  }
}

TEST(bad_graph, op_c0_only_one_suffix_is_stripped) {
  bad("op_c0",
      with_relu(R"({"op":"cvm_op","name":"r","inputs":[[0,0]],"attrs":{"func_name":"relu_1_2"}})"),
      "'relu_1'");
  bad("op_c0",
      with_relu(R"({"op":"cvm_op","name":"r","inputs":[[0,0]],"attrs":{"func_name":"relu_x"}})"),
      "'relu_x'");
  good(with_relu(R"({"op":"cvm_op","name":"r","inputs":[[0,0]],"attrs":{"func_name":"relu_"}})"));
  good(with_relu(R"({"op":"cvm_op","name":"r","inputs":[[0,0]],"attrs":{"func_name":"relu_007"}})"));
}

TEST(bad_graph, attr_c0_any_attribute_of_a_parserless_op) {
  bad("attr_c0", relu_op_attrs(R"({"axis":"1"})"), "node 1 'r' (relu)");
  bad("attr_c0", relu_op_attrs(R"({"axis":"1"})"), "'axis'");
  bad("attr_c0", relu_op_attrs(R"({"__hidden__":"1"})"), "'__hidden__'");
}

// Upstream parses every node's attributes before any other check, so an
// attribute error of a later node wins over a shape error of an earlier one.
TEST(bad_graph, attribute_errors_come_first_in_node_order) {
  json j = dense_model();
  j["attrs"]["shape"][1][3] = json::parse("[1,5]");  // fc's declared output shape is wrong
  j["attrs"]["op_attrs"][1][3] = R"({"units":"3","use_bias":"True "})";
  bad("attr_c3", j.dump(), "use_bias");
}

TEST(bad_graph, op_c1_wrong_input_count) {
  bad("op_c1",
      with_relu(R"({"op":"cvm_op","name":"r","inputs":[[0,0],[0,0]],"attrs":{"func_name":"relu"}})"),
      "node 1 'r' (relu)");
  bad("op_c1", with_relu(R"({"op":"cvm_op","name":"r","inputs":[],"attrs":{"func_name":"relu"}})"),
      "node 1 'r' (relu)");
  json j = dense_model();  // use_bias true but only two inputs
  j["nodes"][3]["inputs"].erase(2);
  bad("op_c1", j.dump(), "node 3 'fc' (dense)");
}

TEST(bad_graph, conv2d_weight_shape_inconsistent_with_kernel) {
  // Upstream does not check w against kernel_size and overflows its heap.
  json j = conv2d_model();
  j["attrs"]["shape"][1][1] = json::parse("[1,1,2,2]");
  bad("conv2d_c11", j.dump(), "node 2 'c' (conv2d)");
  j["attrs"]["shape"][1][1] = json::parse("[1,2,3,3]");  // C/g = 1, not 2
  bad("conv2d_c11", j.dump(), "node 2 'c' (conv2d)");
}

TEST(bad_graph, dense_weight_and_bias_shape_mismatch) {
  json j = dense_model();
  j["attrs"]["shape"][1][1] = json::parse("[3,4]");
  bad("dense_c3", j.dump(), "node 3 'fc' (dense)");
  j = dense_model();
  j["attrs"]["shape"][1][2] = json::parse("[4]");
  bad("dense_c4", j.dump(), "node 3 'fc' (dense)");
}

TEST(bad_graph, conv2d_input_precision_9) {
  json j = conv2d_model();
  j["attrs"]["precision"][1][0] = 9;
  bad("conv2d_c14", j.dump(), "node 2 'c' (conv2d)");
  j = conv2d_model();
  j["attrs"]["precision"][1][1] = 9;
  bad("conv2d_c14", j.dump(), "node 2 'c' (conv2d)");
}

TEST(bad_graph, op_c3_inferred_precision_above_32) {
  // relu of a precision-32 input is fine; elemwise_add of two is 33 bits.
  GraphBuilder b;
  const EntryRef d = b.variable("data", {4}, 31);
  const EntryRef w = b.variable("w", {4}, 31);
  b.head(b.op1("elemwise_add", "add", {d, w}));
  json j = json::parse(write_graph_json(b.graph()));
  j["attrs"]["precision"][1] = json::parse("[32,32,-1]");
  bad("op_c3", j.dump(), "node 2 'add' (elemwise_add)");
}

// Huge and hostile documents ---------------------------------------------------

std::string nested_arrays(size_t depth, bool closed) {
  std::string s(depth, '[');
  if (closed) s.append(depth, ']');
  return s;
}

TEST(bad_graph, a_million_nested_arrays) {
  // No recursion on the depth: neither reading nor destroying the document
  // may overflow the stack. (Each case is loaded once: they are slow-ish.)
  const size_t depth = 1000000;
  expect_rejection("graph_c1", [&] { load_graph(nested_arrays(depth, true)); }, "array");
  expect_rejection("graph_c1", [&] { load_graph(nested_arrays(depth, false)); }, "not valid JSON");
  Symbol s;
  s.nodes = "[" + nested_arrays(depth, true) + "]";
  expect_rejection("graph_c21", [&] { load_graph(s.text()); }, "node 0 must be an object");
  // Inside an op_attrs string, read by the second JSON parse.
  expect_rejection("graph_c16", [&] { load_graph(relu_op_attrs(nested_arrays(depth, true)).text()); },
               "node 1 'r'");
}

TEST(bad_graph, a_megabyte_name) {
  const std::string name(1 << 20, 'n');
  // No limit on node names: a relu node with a 1 MB name loads.
  Symbol s = with_relu(R"({"op":"cvm_op","name":")" + name +
                       R"(","inputs":[[0,0]],"attrs":{"func_name":"relu"}})");
  good(s);
  // And a failure on that node names it.
  s.shape = R"(["list_shape",[[4],[5]]])";
  bad("graph_c19", s, "node 1 '" + name + "' (relu)");
  // A variable with a 1 MB name needs a params array of that name.
  Symbol v;
  v.nodes = std::string("[") + kDataNode + R"(,{"op":"null","name":")" + name +
            R"(","inputs":[]},{"op":"cvm_op","name":"add","inputs":[[0,0],[1,0]],)" +
            R"("attrs":{"func_name":"elemwise_add"}}])";
  v.arg_nodes = "[0,1]";
  v.node_row_ptr = "[0,1,2,3]";
  v.heads = "[[2,0]]";
  v.dltype = R"(["list_str",["int32","int32","int32"]])";
  v.storage_id = R"(["list_int",[0,1,2]])";
  v.shape = R"(["list_shape",[[4],[4],[4]]])";
  v.precision = R"(["list_int",[8,8,-1]])";
  v.op_attrs = R"(["list_str",["","","{}"]])";
  expect_rejection("model_c3", [&] { load(v.text(), empty_params()); }, "node 1 '" + name + "' (variable)");
}

}  // namespace
}  // namespace cvm::oracle
