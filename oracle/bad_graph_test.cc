// The bad-input suite, symbols (spec/model/graph.rst): one malformed symbol per
// rule of every graph_cN constraint, plus operator-level rejections through a
// model (spec/common.rst, op pages) and huge or hostile documents. Every test
// checks the class (LogicError), the label and that the message says what is
// wrong and where (node index, name and operator; table; reference).
//
// Syntactic cases are written as JSON text by hand (the reader is under test);
// semantic cases mutate a valid symbol with nlohmann::json. Most cases are
// rows of two tables, one per verdict: bad_symbols() (label, symbol, what the
// message names), each row a test named after it, and good_symbols() (near a
// rule, yet valid); the tests that need more than one load stay as TESTs.
#include <gtest/gtest.h>
#include <sys/mman.h>

#include <nlohmann/json.hpp>
#include <ostream>
#include <string>
#include <vector>

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

// More symbols the tables below edit.

// The relu node reading `ref` (JSON text of one input reference).
Symbol relu_input(const std::string& ref) {
  return with_relu(R"({"op":"cvm_op","name":"r","inputs":[)" + ref + R"(],"attrs":{"func_name":"relu"}})");
}

// The base symbol with the declared shapes of data and relu replaced.
Symbol with_shapes(const std::string& data_shape, const std::string& relu_shape) {
  Symbol s;
  s.shape = R"(["list_shape",[)" + data_shape + "," + relu_shape + "]]";
  return s;
}

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

// The base symbol with the relu node's op_attrs string replaced by `text`.
Symbol relu_op_attrs(const std::string& text) {
  Symbol s;
  s.op_attrs = R"(["list_str",["",)" + json(text).dump() + "]]";
  return s;
}

// The text of the base symbol with one field replaced.
template <class Field>
std::string with(Field Symbol::*field, Field value) {
  Symbol s;
  s.*field = std::move(value);
  return s.text();
}
std::string with(std::string Symbol::*field, const char* value) { return with(field, std::string(value)); }

// The text of the base symbol after `edit`.
std::string edited(void (*edit)(Symbol&)) {
  Symbol s;
  edit(s);
  return s.text();
}

// The text of `model` after `edit`.
std::string mutated(json model, void (*edit)(json&)) {
  edit(model);
  return model.dump();
}

// The relu node named by an invalid UTF-8 string: "r" followed by a stray byte.
std::string relu_named_with_a_stray_byte() {
  std::string node = kReluNode;
  node.replace(node.find("\"r\""), 3, "\"r\xff\"");
  return with_relu(node).text();
}

// A variable w that has an input (data): nodes data, w, relu of data.
std::string variable_with_an_input() {
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
  return s.text();
}

// A cvm_1.1.0 symbol with one optional table replaced.
std::string v110_with(std::string Symbol::*table, const char* value) {
  Symbol s;
  s.version = R"("cvm_1.1.0")";
  s.*table = value;
  return s.text();
}

// The table of bad symbols, in the order of graph.rst's constraints, then
// operator-level rejections through a model (spec/common.rst, op pages).
std::vector<BadInput> bad_symbols() {
  return {
      // graph_c1: JSON
      {"graph_c1_not_json_unclosed", "graph_c1", "{\"nodes\": [", "not valid JSON"},
      {"graph_c1_not_json_empty", "graph_c1", "", "not valid JSON"},
      {"graph_c1_not_json_bare_word", "graph_c1", "nodes", "not valid JSON"},
      {"graph_c1_not_json_trailing_garbage", "graph_c1", Symbol{}.text() + "}", "not valid JSON"},
      {"graph_c1_not_json_single_quotes", "graph_c1", "{'nodes': []}", "not valid JSON"},
      {"graph_c1_top_level_array", "graph_c1", "[]", "array"},
      {"graph_c1_top_level_number", "graph_c1", "42", "number"},
      {"graph_c1_top_level_string", "graph_c1", "\"symbol\"", "string"},
      {"graph_c1_top_level_null", "graph_c1", "null", "null"},
      {"graph_c1_invalid_utf8", "graph_c1", relu_named_with_a_stray_byte(), "not valid JSON"},
      // graph_c2, graph_c20: the top-level keys
      {"graph_c20_unknown_top_level_key", "graph_c20", with(&Symbol::more, R"("layout":"NCHW")"),
       "unknown key 'layout'"},
      {"graph_c2_missing_heads", "graph_c2", with(&Symbol::heads, ""), "'heads'"},
      {"graph_c2_missing_nodes", "graph_c2", with(&Symbol::nodes, ""), "'nodes'"},
      {"graph_c2_missing_attrs", "graph_c2", with(&Symbol::omit_attrs, true), "'attrs'"},
      {"graph_c20_nodes_not_an_array", "graph_c20", with(&Symbol::nodes, std::string("{\"0\":") + kDataNode + "}"),
       "nodes must be an array"},
      // An array, but of integers: graph_c5.
      {"graph_c5_heads_an_array_of_integers", "graph_c5", with(&Symbol::heads, "[1,0,0]"), "head 0"},
      {"graph_c20_heads_not_an_array", "graph_c20", with(&Symbol::heads, R"({"0":[1,0,0]})"),
       "heads must be an array"},
      // graph_c3: version and postprocess
      {"graph_c3_unknown_version", "graph_c3", with(&Symbol::version, R"("cvm_2.0.0")"), "cvm_2.0.0"},
      {"graph_c3_unknown_version_upper_case", "graph_c3", with(&Symbol::version, R"("CVM_1.0.0")"), "CVM_1.0.0"},
      {"graph_c3_version_not_a_string", "graph_c3", with(&Symbol::version, "1"), "version must be a string"},
      {"graph_c3_postprocess_not_a_string", "graph_c3", with(&Symbol::more, R"("postprocess":["argmax"])"),
       "postprocess must be a string"},
      // graph_c4, graph_c21: nodes
      {"graph_c21_node_not_an_object", "graph_c21", with(&Symbol::nodes, std::string("[") + kDataNode + ",\"relu\"]"),
       "node 1 must be an object"},
      {"graph_c21_unknown_node_key", "graph_c21",
       with(&Symbol::nodes, std::string(R"([{"op":"null","name":"data","inputs":[],"shape":[4]},)") + kReluNode + "]"),
       "node 0 has an unknown key 'shape'"},
      {"graph_c4_missing_op", "graph_c4",
       with(&Symbol::nodes, std::string(R"([{"name":"data","inputs":[]},)") + kReluNode + "]"),
       "node 0 lacks the required key"},
      {"graph_c4_missing_name", "graph_c4",
       with(&Symbol::nodes, std::string(R"([{"op":"null","inputs":[]},)") + kReluNode + "]"),
       "node 0 lacks the required key"},
      {"graph_c4_missing_inputs", "graph_c4",
       with(&Symbol::nodes, std::string(R"([{"op":"null","name":"data"},)") + kReluNode + "]"),
       "node 0 lacks the required key"},
      {"graph_c4_op_neither_null_nor_cvm_op", "graph_c4",
       with_relu(R"({"op":"relu","name":"r","inputs":[[0,0]],"attrs":{"func_name":"relu"}})").text(),
       "node 1 op is 'relu'"},
      {"graph_c21_op_not_a_string", "graph_c21",
       with_relu(R"({"op":null,"name":"r","inputs":[[0,0]],"attrs":{"func_name":"relu"}})").text(),
       "node 1 op must be a string"},
      {"graph_c21_name_not_a_string", "graph_c21",
       with_relu(R"({"op":"cvm_op","name":7,"inputs":[[0,0]],"attrs":{"func_name":"relu"}})").text(),
       "node 1 name must be a string"},
      {"graph_c21_precision_a_string", "graph_c21",
       with_relu(R"({"op":"cvm_op","name":"r","inputs":[[0,0]],"precision":"8","attrs":{"func_name":"relu"}})").text(),
       "node 1 precision must be an integer"},
      {"graph_c21_precision_a_fraction", "graph_c21",
       with_relu(R"({"op":"cvm_op","name":"r","inputs":[[0,0]],"precision":8.5,"attrs":{"func_name":"relu"}})").text(),
       "node 1 precision must be an integer"},
      {"graph_c21_inputs_not_an_array", "graph_c21",
       with_relu(R"({"op":"cvm_op","name":"r","inputs":{"0":[0,0]},"attrs":{"func_name":"relu"}})").text(),
       "node 1 'r' inputs must be an array"},
      // graph_c5: input and head references
      {"graph_c5_ref_of_length_1", "graph_c5", relu_input("[0]").text(), "node 1 'r' input 0"},
      {"graph_c5_ref_of_length_4", "graph_c5", relu_input("[0,0,0,0]").text(), "node 1 'r' input 0"},
      {"graph_c5_ref_a_number", "graph_c5", relu_input("0").text(), "node 1 'r' input 0"},
      {"graph_c5_ref_an_object", "graph_c5", relu_input(R"({"node":0,"index":0})").text(), "node 1 'r' input 0"},
      {"graph_c5_negative_node_id", "graph_c5", relu_input("[-1,0]").text(), "node 1 'r' input 0 node id is -1"},
      {"graph_c5_negative_index", "graph_c5", relu_input("[0,-1]").text(), "node 1 'r' input 0 index is -1"},
      {"graph_c5_float_index", "graph_c5", relu_input("[0,0.0]").text(),
       "node 1 'r' input 0 index must be an integer"},
      {"graph_c5_float_node_id", "graph_c5", relu_input("[0.0,0]").text(),
       "node 1 'r' input 0 node id must be an integer"},
      {"graph_c5_string_index", "graph_c5", relu_input("[0,\"0\"]").text(),
       "node 1 'r' input 0 index must be an integer"},
      {"graph_c5_node_id_beyond_int32", "graph_c5", relu_input("[2147483648,0]").text(),
       "node 1 'r' input 0 node id is 2147483648"},
      {"graph_c5_index_beyond_int64", "graph_c5", relu_input("[0,18446744073709551615]").text(),
       "node 1 'r' input 0 index"},
      // Beyond 64 bits the number is not an integer any more.
      {"graph_c5_index_beyond_64_bits", "graph_c5", relu_input("[0,123456789012345678901234567890]").text(),
       "node 1 'r' input 0 index"},
      {"graph_c5_version_a_string", "graph_c5", relu_input("[0,0,\"v1\"]").text(), "node 1 'r' input 0 version"},
      {"graph_c5_version_a_fraction", "graph_c5", relu_input("[0,0,1.5]").text(), "node 1 'r' input 0 version"},
      {"graph_c5_head_of_length_1", "graph_c5", with(&Symbol::heads, "[[1]]"), "head 0"},
      {"graph_c5_negative_head_node_id", "graph_c5", with(&Symbol::heads, "[[1,0,0],[-1,0]]"),
       "head 1 node id is -1"},
      // graph_c6, graph_c22: node attrs
      {"graph_c22_operator_node_without_attrs", "graph_c22",
       with_relu(R"({"op":"cvm_op","name":"r","inputs":[[0,0]]})").text(),
       "node 1 'r' is an operator node without attrs"},
      {"graph_c22_attrs_not_an_object", "graph_c22",
       with_relu(R"({"op":"cvm_op","name":"r","inputs":[[0,0]],"attrs":["relu"]})").text(),
       "node 1 'r' attrs must be an object"},
      {"graph_c22_unknown_attrs_key", "graph_c22",
       with_relu(R"({"op":"cvm_op","name":"r","inputs":[[0,0]],"attrs":{"func_name":"relu","units":"3"}})").text(),
       "node 1 'r' attrs has an unknown key 'units'"},
      {"graph_c22_non_string_attrs_value", "graph_c22",
       with_relu(R"({"op":"cvm_op","name":"r","inputs":[[0,0]],"attrs":{"func_name":"relu","num_inputs":1}})").text(),
       "node 1 'r' attrs.num_inputs must be a string"},
      {"graph_c22_non_string_func_name", "graph_c22",
       with_relu(R"({"op":"cvm_op","name":"r","inputs":[[0,0]],"attrs":{"func_name":7}})").text(),
       "node 1 'r' attrs.func_name must be a string"},
      {"graph_c6_missing_func_name", "graph_c6",
       with_relu(R"({"op":"cvm_op","name":"r","inputs":[[0,0]],"attrs":{"num_inputs":"1"}})").text(),
       "node 1 'r' attrs lacks the required key 'func_name'"},
      // A variable may have attrs, but then with func_name too.
      {"graph_c6_variable_attrs_without_func_name", "graph_c6",
       with(&Symbol::nodes, std::string(R"([{"op":"null","name":"data","inputs":[],"attrs":{}},)") + kReluNode + "]"),
       "node 0 'data' attrs lacks the required key 'func_name'"},
      // graph_c7, graph_c23: the attrs tables
      {"graph_c23_attrs_not_an_object", "graph_c23", with(&Symbol::attrs, "[]"), "attrs must be an object"},
      {"graph_c23_unknown_attrs_table", "graph_c23",
       with(&Symbol::more_attrs, R"("layout":["list_str",["NCHW","NCHW"]])"), "attrs has an unknown key 'layout'"},
      {"graph_c7_missing_storage_id", "graph_c7", with(&Symbol::storage_id, ""), "attrs lacks the required key"},
      {"graph_c7_missing_shape", "graph_c7", with(&Symbol::shape, ""), "attrs lacks the required key"},
      {"graph_c7_missing_precision", "graph_c7", with(&Symbol::precision, ""), "attrs lacks the required key"},
      {"graph_c7_missing_op_attrs", "graph_c7", with(&Symbol::op_attrs, ""), "attrs lacks the required key"},
      {"graph_c7_wrong_tag_storage_id", "graph_c7", with(&Symbol::storage_id, R"(["list_str",[0,1]])"),
       "attrs.storage_id has tag 'list_str', expected 'list_int'"},
      {"graph_c7_wrong_tag_shape", "graph_c7", with(&Symbol::shape, R"(["list_int",[[4],[4]]])"),
       "attrs.shape has tag 'list_int', expected 'list_shape'"},
      {"graph_c7_wrong_tag_dltype", "graph_c7", with(&Symbol::dltype, R"(["list_int",["int32","int32"]])"),
       "attrs.dltype has tag 'list_int'"},
      {"graph_c7_not_a_pair_three_entries", "graph_c7", with(&Symbol::precision, R"(["list_int",[8,-1],"extra"])"),
       "attrs.precision must be a pair"},
      {"graph_c7_not_a_pair_no_tag", "graph_c7", with(&Symbol::precision, R"([8,-1])"),
       "attrs.precision must be a pair"},
      {"graph_c7_not_a_pair_an_object", "graph_c7", with(&Symbol::precision, R"({"list_int":[8,-1]})"),
       "attrs.precision must be a pair"},
      {"graph_c23_payload_not_an_array", "graph_c23", with(&Symbol::precision, R"(["list_int",8])"),
       "attrs.precision payload must be an array"},
      {"graph_c23_non_string_in_list_str_op_attrs", "graph_c23", with(&Symbol::op_attrs, R"(["list_str",["",{}]])"),
       "attrs.op_attrs[1] must be a string"},
      {"graph_c23_non_string_in_list_str_dltype", "graph_c23", with(&Symbol::dltype, R"(["list_str",["int32",32]])"),
       "attrs.dltype[1] must be a string"},
      {"graph_c23_int_above_int32", "graph_c23", with(&Symbol::storage_id, R"(["list_int",[0,2147483648]])"),
       "attrs.storage_id[1] is 2147483648"},
      {"graph_c23_int_below_int32", "graph_c23", with(&Symbol::precision, R"(["list_int",[8,-2147483649]])"),
       "attrs.precision[1] is -2147483649"},
      {"graph_c23_fraction_in_list_int", "graph_c23", with(&Symbol::storage_id, R"(["list_int",[0,1.0]])"),
       "attrs.storage_id[1] must be an integer"},
      {"graph_c23_string_in_list_int", "graph_c23", with(&Symbol::storage_id, R"(["list_int",[0,"1"]])"),
       "attrs.storage_id[1] must be an integer"},
      {"graph_c23_beyond_64_bits_in_list_int", "graph_c23",
       with(&Symbol::storage_id, R"(["list_int",[0,123456789012345678901234567890]])"), "attrs.storage_id[1]"},
      {"graph_c23_shape_entry_not_an_array", "graph_c23", with(&Symbol::shape, R"(["list_shape",[[4],4]])"),
       "attrs.shape[1] must be an array of integers"},
      {"graph_c23_shape_entry_not_integers", "graph_c23", with(&Symbol::shape, R"(["list_shape",[[4],[4.0]]])"),
       "attrs.shape[1][0] must be an integer"},
      // graph_c8: counts
      {"graph_c8_no_nodes", "graph_c8", with(&Symbol::nodes, "[]"), "0 nodes"},
      {"graph_c8_op_attrs_one_per_node", "graph_c8", with(&Symbol::op_attrs, R"(["list_str",["{}"]])"),
       "attrs.op_attrs has 1 elements for 2 nodes"},
      {"graph_c8_storage_id_one_per_entry", "graph_c8", with(&Symbol::storage_id, R"(["list_int",[0,1,2]])"),
       "attrs.storage_id has 3 elements for 2 entries"},
      {"graph_c8_shape_one_per_entry", "graph_c8", with(&Symbol::shape, R"(["list_shape",[[4]]])"),
       "attrs.shape has 1 elements for 2 entries"},
      {"graph_c8_precision_one_per_entry", "graph_c8", with(&Symbol::precision, R"(["list_int",[8]])"),
       "attrs.precision has 1 elements for 2 entries"},
      // get_valid_counts has two outputs: 3 nodes own 4 entries, not 3.
      {"graph_c8_storage_id_counts_operator_outputs", "graph_c8",
       mutated(gvc_model(), [](json& j) { j["attrs"]["storage_id"][1].erase(j["attrs"]["storage_id"][1].size() - 1); }),
       "attrs.storage_id has 3 elements for 4 entries"},
      {"graph_c8_shape_counts_operator_outputs", "graph_c8",
       mutated(gvc_model(), [](json& j) { j["attrs"]["shape"][1].erase(j["attrs"]["shape"][1].size() - 1); }),
       "attrs.shape has 3 elements for 4 entries"},
      {"graph_c8_precision_counts_operator_outputs", "graph_c8",
       mutated(gvc_model(), [](json& j) { j["attrs"]["precision"][1].erase(j["attrs"]["precision"][1].size() - 1); }),
       "attrs.precision has 3 elements for 4 entries"},
      {"graph_c8_device_index_not_empty", "graph_c8",
       with(&Symbol::more_attrs, R"("device_index":["list_int",[0,0]])"), "attrs.device_index must be empty"},
      // graph_c9: the cvm_1.0.0 tables
      {"graph_c9_v100_wrong_node_row_ptr", "graph_c9", with(&Symbol::node_row_ptr, "[0,1,3]"),
       "node_row_ptr must be the entry offsets: [0,1,2]"},
      {"graph_c9_v100_short_node_row_ptr", "graph_c9", with(&Symbol::node_row_ptr, "[0,1]"), "node_row_ptr"},
      {"graph_c9_v100_missing_node_row_ptr", "graph_c9", with(&Symbol::node_row_ptr, ""), "'node_row_ptr'"},
      {"graph_c9_v100_negative_node_row_ptr", "graph_c9", with(&Symbol::node_row_ptr, "[0,-1,2]"), "node_row_ptr[1]"},
      {"graph_c9_v100_wrong_arg_nodes", "graph_c9", with(&Symbol::arg_nodes, "[1]"),
       "arg_nodes must list the variable nodes in order: [0]"},
      {"graph_c9_v100_empty_arg_nodes", "graph_c9", with(&Symbol::arg_nodes, "[]"), "arg_nodes"},
      {"graph_c9_v100_missing_arg_nodes", "graph_c9", with(&Symbol::arg_nodes, ""), "'arg_nodes'"},
      {"graph_c9_v100_repeated_arg_nodes", "graph_c9", with(&Symbol::arg_nodes, "[0,0]"), "arg_nodes"},
      {"graph_c9_v100_arg_nodes_not_an_array", "graph_c9", with(&Symbol::arg_nodes, R"({"0":0})"),
       "arg_nodes must be an array"},
      // Not ascending: data (0) and w (1) listed as [1, 0].
      {"graph_c9_v100_arg_nodes_not_ascending", "graph_c9",
       mutated(dense_model(), [](json& j) { j["arg_nodes"] = json::parse("[2,1,0]"); }), "[0,1,2]"},
      {"graph_c9_v100_missing_dltype", "graph_c9", with(&Symbol::dltype, ""), "dltype"},
      {"graph_c9_v100_dltype_float32", "graph_c9", with(&Symbol::dltype, R"(["list_str",["int32","float32"]])"),
       "attrs.dltype[1] is 'float32'"},
      {"graph_c9_v100_dltype_one_per_entry", "graph_c9", with(&Symbol::dltype, R"(["list_str",["int32"]])"),
       "attrs.dltype has 1 elements for 2 entries"},
      {"graph_c9_v110_negative_arg_node", "graph_c9", v110_with(&Symbol::arg_nodes, "[-1]"), "arg_nodes[0]"},
      {"graph_c9_v110_fractional_arg_node", "graph_c9", v110_with(&Symbol::arg_nodes, "[0.5]"), "arg_nodes[0]"},
      {"graph_c9_v110_node_row_ptr_not_an_array", "graph_c9", v110_with(&Symbol::node_row_ptr, R"("0,1,2")"),
       "node_row_ptr must be an array"},
      {"graph_c23_v110_dltype_not_strings", "graph_c23", v110_with(&Symbol::dltype, R"(["list_str",[0,1]])"),
       "attrs.dltype[0] must be a string"},
      // graph_c10: shapes
      {"graph_c10_rank_0", "graph_c10", with_shapes("[]", "[]").text(), "node 0 'data' (variable)"},
      {"graph_c10_rank_7", "graph_c10", with_shapes("[1,1,1,1,1,1,4]", "[1,1,1,1,1,1,4]").text(),
       "node 0 'data' (variable)"},
      {"graph_c10_dim_0", "graph_c10", with_shapes("[0]", "[0]").text(),
       "node 0 'data' (variable) entry 0 shape (0,)"},
      {"graph_c10_negative_dim", "graph_c10", with_shapes("[-4]", "[-4]").text(),
       "node 0 'data' (variable) entry 0 shape (-4,)"},
      {"graph_c10_dim_2_24_plus_1", "graph_c10", with_shapes("[16777217]", "[16777217]").text(),
       "node 0 'data' (variable) entry 0 shape (16777217,)"},
      // list_shape payloads are arrays of integers (graph_c7 bounds only
      // list_int values to int32), so a dim of 2^31 is a shape error.
      {"graph_c10_dim_beyond_int32", "graph_c10", with_shapes("[2147483648]", "[2147483648]").text(),
       "node 0 'data' (variable)"},
      {"graph_c10_size_above_2_30", "graph_c10", with_shapes("[32768,32769]", "[32768,32769]").text(),
       "node 0 'data' (variable) entry 0 shape (32768, 32769) has more than 2^30 elements"},
      // No overflow on the way: 6 dims of 2^24 multiply to 2^144.
      {"graph_c10_size_2_144", "graph_c10",
       with_shapes("[16777216,16777216,16777216,16777216,16777216,16777216]",
                   "[16777216,16777216,16777216,16777216,16777216,16777216]")
           .text(),
       "more than 2^30 elements"},
      // The relu entry's own declared shape is checked (before its shape rule).
      {"graph_c10_operator_output_entry", "graph_c10", with_shapes("[4]", "[0]").text(), "node 1 'r' (relu) entry 1"},
      // graph_c11: precisions
      {"graph_c11_precision_0", "graph_c11", with(&Symbol::precision, R"(["list_int",[0,-1]])"),
       "node 0 'data' (variable) entry 0 precision 0"},
      {"graph_c11_precision_33", "graph_c11", with(&Symbol::precision, R"(["list_int",[33,-1]])"),
       "node 0 'data' (variable) entry 0 precision 33"},
      // An operator output's value is ignored, not its range.
      {"graph_c11_operator_output_precision_33", "graph_c11", with(&Symbol::precision, R"(["list_int",[8,33]])"),
       "node 1 'r' (relu) entry 1 precision 33"},
      {"graph_c11_variable_minus_1", "graph_c11", with(&Symbol::precision, R"(["list_int",[-1,-1]])"),
       "node 0 'data' (variable) entry 0 is a variable"},
      {"graph_c11_operator_output_minus_2", "graph_c11", with(&Symbol::precision, R"(["list_int",[8,-2]])"),
       "node 1 'r' (relu) entry 1 precision -2"},
      // graph_c12 .. graph_c15: storage ids, names, variables, references
      {"graph_c12_negative_storage_id", "graph_c12", with(&Symbol::storage_id, R"(["list_int",[-1,1]])"),
       "node 0 'data' (variable) entry 0 storage id -1"},
      {"graph_c12_storage_id_int32_min", "graph_c12", with(&Symbol::storage_id, R"(["list_int",[0,-2147483648]])"),
       "node 1 'r' (relu) entry 1 storage id -2147483648"},
      {"graph_c13_duplicate_names", "graph_c13", duplicate_data_symbol("cvm_1.0.0", true), "node 1 'data' (variable)"},
      // E-model-9: upstream checks only the names listed in arg_nodes.
      {"graph_c13_duplicate_names_in_v110", "graph_c13", duplicate_data_symbol("cvm_1.1.0", false),
       "node 1 'data' (variable)"},
      {"graph_c14_variable_with_inputs", "graph_c14", variable_with_an_input(),
       "node 1 'w' (variable) is a variable with 1 inputs"},
      // a reads b and b reads a: a cycle, rejected at a.
      {"graph_c15_forward_reference", "graph_c15", two_relus("[2,0]", "[1,0]").text(),
       "node 1 'a' (relu) input 0 references node 2"},
      {"graph_c15_self_reference", "graph_c15", two_relus("[0,0]", "[2,0]").text(),
       "node 2 'b' (relu) input 0 references node 2"},
      {"graph_c15_node_beyond_node_count", "graph_c15", two_relus("[0,0]", "[9,0]").text(),
       "node 2 'b' (relu) input 0 references node 9"},
      {"graph_c15_node_int32_max", "graph_c15", two_relus("[0,0]", "[2147483647,0]").text(),
       "node 2 'b' (relu) input 0"},
      // E-model-5: upstream reads [0, 1] as entry 1, the output of node a itself.
      {"graph_c15_index_beyond_outputs", "graph_c15", two_relus("[0,1]", "[1,0]").text(),
       "node 1 'a' (relu) input 0 references output 1"},
      {"graph_c15_index_int32_max", "graph_c15", two_relus("[0,0]", "[1,2147483647]").text(),
       "node 2 'b' (relu) input 0"},
      // graph_c16: op_attrs
      {"graph_c16_op_attrs_unclosed", "graph_c16", relu_op_attrs("{").text(), "node 1 'r' (relu) op_attrs"},
      {"graph_c16_op_attrs_not_json", "graph_c16", relu_op_attrs("units=3").text(), "node 1 'r' (relu) op_attrs"},
      {"graph_c16_op_attrs_an_array", "graph_c16", relu_op_attrs("[]").text(), "node 1 'r' (relu) op_attrs"},
      {"graph_c16_op_attrs_a_string", "graph_c16", relu_op_attrs("\"\"").text(), "node 1 'r' (relu) op_attrs"},
      {"graph_c16_non_string_value", "graph_c16", mutated(conv2d_model(), [](json& j) {
         j["attrs"]["op_attrs"][1][2] = R"j({"channels":1,"kernel_size":"(3, 3)","use_bias":"false"})j";
       }),
       "node 2 'c' (conv2d) op_attrs value of 'channels'"},
      {"graph_c16_array_value", "graph_c16", mutated(conv2d_model(), [](json& j) {
         j["attrs"]["op_attrs"][1][2] = R"({"channels":"1","kernel_size":[3,3],"use_bias":"false"})";
       }),
       "node 2 'c' (conv2d) op_attrs value of 'kernel_size'"},
      // Upstream reads an operator node's op_attrs with its JSON reader, so
      // the empty string (or blanks) is not an empty map: only "{}" is.
      {"graph_c16_empty_string_is_not_an_empty_map", "graph_c16", relu_op_attrs("").text(),
       "node 1 'r' (relu) op_attrs"},
      {"graph_c16_blank_is_not_an_empty_map", "graph_c16", relu_op_attrs(" ").text(), "node 1 'r' (relu) op_attrs"},
      // graph_c17: heads
      {"graph_c17_head_beyond_node_count", "graph_c17", with(&Symbol::heads, "[[2,0]]"),
       "head 0 references node 2; the symbol has 2 nodes"},
      {"graph_c17_head_node_int32_max", "graph_c17", with(&Symbol::heads, "[[1,0],[2147483647,0]]"),
       "head 1 references node 2147483647"},
      {"graph_c17_head_index_beyond_outputs", "graph_c17", with(&Symbol::heads, "[[1,1]]"),
       "head 0 references output 1 of node 1 'r' (relu)"},
      {"graph_c17_head_index_beyond_a_multi_output_node", "graph_c17",
       mutated(gvc_model(), [](json& j) { j["heads"] = json::parse("[[1,1],[1,2]]"); }),
       "head 1 references output 2 of node 1 'g' (get_valid_counts)"},
      // graph_c18: storage shared with an input
      {"graph_c18_dense_output_shares_an_input_storage_id", "graph_c18",
       mutated(dense_model(), [](json& j) { j["attrs"]["storage_id"][1] = json::parse("[0,1,2,2]"); }),  // the bias's pool
       "node 3 'fc' (dense) output 0 shares storage id 2"},
      {"graph_c18_second_output_is_checked_too", "graph_c18",
       mutated(gvc_model(), [](json& j) { j["attrs"]["storage_id"][1] = json::parse("[0,1,0,3]"); }),
       "node 1 'g' (get_valid_counts) output 1 shares storage id 0"},
      // graph_c19: declared shapes against the shape rule
      {"graph_c19_declared_shape_differs", "graph_c19", with_shapes("[4]", "[5]").text(),
       "node 1 'r' (relu) output 0 is declared with shape (5,); its shape rule gives (4,)"},
      {"graph_c19_declared_rank_differs", "graph_c19", with_shapes("[4]", "[1,4]").text(), "node 1 'r' (relu) output 0"},
      {"graph_c19_conv2d_declared_shape_differs", "graph_c19",
       mutated(conv2d_model(), [](json& j) { j["attrs"]["shape"][1][2] = json::parse("[1,1,3,3]"); }),
       "node 2 'c' (conv2d) output 0 is declared with shape (1, 1, 3, 3)"},
      {"graph_c19_first_of_two_outputs_differs", "graph_c19",
       mutated(gvc_model(), [](json& j) { j["attrs"]["shape"][1][1] = json::parse("[2]"); }),
       "node 1 'g' (get_valid_counts) output 0"},
      // Operators in a model (spec/common.rst and the op pages)
      {"op_c0_unknown_func_name", "op_c0",
       with_relu(R"({"op":"cvm_op","name":"r","inputs":[[0,0]],"attrs":{"func_name":"softmax"}})").text(),
       "node 1 'r': unknown operator 'softmax'"},
      {"op_c0_empty_func_name", "op_c0",
       with_relu(R"({"op":"cvm_op","name":"r","inputs":[[0,0]],"attrs":{"func_name":""}})").text(), "node 1 'r'"},
      {"op_c0_only_one_suffix_is_stripped", "op_c0",
       with_relu(R"({"op":"cvm_op","name":"r","inputs":[[0,0]],"attrs":{"func_name":"relu_1_2"}})").text(),
       "'relu_1'"},
      {"op_c0_suffix_not_a_number", "op_c0",
       with_relu(R"({"op":"cvm_op","name":"r","inputs":[[0,0]],"attrs":{"func_name":"relu_x"}})").text(),
       "'relu_x'"},
      {"attr_c0_any_attribute_of_a_parserless_op", "attr_c0", relu_op_attrs(R"({"axis":"1"})").text(),
       "node 1 'r' (relu)"},
      {"attr_c0_names_the_attribute", "attr_c0", relu_op_attrs(R"({"axis":"1"})").text(), "'axis'"},
      {"attr_c0_names_a_hidden_attribute", "attr_c0", relu_op_attrs(R"({"__hidden__":"1"})").text(), "'__hidden__'"},
      // Upstream parses every node's attributes before any other check, so an
      // attribute error of a later node wins over a shape error of an earlier one.
      {"attr_c3_attribute_errors_come_first_in_node_order", "attr_c3", mutated(dense_model(), [](json& j) {
         j["attrs"]["shape"][1][3] = json::parse("[1,5]");  // fc's declared output shape is wrong
         j["attrs"]["op_attrs"][1][3] = R"({"units":"3","use_bias":"True "})";
       }),
       "use_bias"},
      {"op_c1_two_inputs", "op_c1",
       with_relu(R"({"op":"cvm_op","name":"r","inputs":[[0,0],[0,0]],"attrs":{"func_name":"relu"}})").text(),
       "node 1 'r' (relu)"},
      {"op_c1_no_inputs", "op_c1",
       with_relu(R"({"op":"cvm_op","name":"r","inputs":[],"attrs":{"func_name":"relu"}})").text(),
       "node 1 'r' (relu)"},
      // use_bias true but only two inputs.
      {"op_c1_dense_without_its_bias", "op_c1", mutated(dense_model(), [](json& j) { j["nodes"][3]["inputs"].erase(2); }),
       "node 3 'fc' (dense)"},
      // Upstream does not check w against kernel_size and overflows its heap.
      {"conv2d_c11_weight_shape_inconsistent_with_kernel", "conv2d_c11",
       mutated(conv2d_model(), [](json& j) { j["attrs"]["shape"][1][1] = json::parse("[1,1,2,2]"); }),
       "node 2 'c' (conv2d)"},
      {"conv2d_c11_weight_channels_inconsistent_with_groups", "conv2d_c11",
       mutated(conv2d_model(), [](json& j) { j["attrs"]["shape"][1][1] = json::parse("[1,2,3,3]"); }),  // C/g = 1, not 2
       "node 2 'c' (conv2d)"},
      {"dense_c3_weight_shape_mismatch", "dense_c3",
       mutated(dense_model(), [](json& j) { j["attrs"]["shape"][1][1] = json::parse("[3,4]"); }),
       "node 3 'fc' (dense)"},
      {"dense_c4_bias_shape_mismatch", "dense_c4",
       mutated(dense_model(), [](json& j) { j["attrs"]["shape"][1][2] = json::parse("[4]"); }),
       "node 3 'fc' (dense)"},
      {"conv2d_c14_input_precision_9", "conv2d_c14",
       mutated(conv2d_model(), [](json& j) { j["attrs"]["precision"][1][0] = 9; }), "node 2 'c' (conv2d)"},
      {"conv2d_c14_weight_precision_9", "conv2d_c14",
       mutated(conv2d_model(), [](json& j) { j["attrs"]["precision"][1][1] = 9; }), "node 2 'c' (conv2d)"},
  };
}

// Each row: loading its symbol, alone and as a model, is a LogicError with
// its label whose message contains its needle (bad() above).
class bad_symbol : public testing::TestWithParam<BadInput> {};

TEST_P(bad_symbol, is_rejected_with_its_label) { bad(GetParam().label, GetParam().input, GetParam().needle); }

INSTANTIATE_TEST_SUITE_P(bad_graph, bad_symbol, testing::ValuesIn(bad_symbols()), RowName());

// One symbol near a rule that is nevertheless valid, and loads as a model.
struct GoodSymbol {
  std::string name;    ///< the test's name: why it is valid
  std::string symbol;  ///< JSON text
};

std::vector<GoodSymbol> good_symbols() {
  return {
      // Every bad symbol above breaks exactly one rule of this symbol.
      {"hand_written_base_symbol", Symbol{}.text()},
      // Any postprocess string other than the known ones: no post-processing.
      {"graph_c3_unknown_postprocess_string", with(&Symbol::more, R"("postprocess":"no such thing")")},
      {"graph_c3_version_absent_is_cvm_1_0_0", edited([](Symbol& s) {
         s.more = R"("postprocess":"no such thing")";
         s.version = "";
       })},
      {"graph_c21_integer_precision_is_ignored",
       with_relu(R"({"op":"cvm_op","name":"r","inputs":[[0,0]],"precision":99,"attrs":{"func_name":"relu"}})").text()},
      {"graph_c5_any_integer_version", relu_input("[0,0,-7]").text()},
      {"informational_node_attrs_are_ignored",
       with_relu(R"({"op":"cvm_op","name":"r","inputs":[[0,0]],"attrs":{"func_name":"relu","num_inputs":"7",)"
                 R"("num_outputs":"x","flatten_data":"1","op_attrs":"not even JSON"}})")
           .text()},
      // The int32 bounds themselves are integers.
      {"graph_c23_int32_max", with(&Symbol::storage_id, R"(["list_int",[0,2147483647]])")},
      {"graph_c7_dtype_table_is_ignored", with(&Symbol::more_attrs, R"("dtype":["list_int",[0,0]])")},
      {"graph_c8_empty_device_index", with(&Symbol::more_attrs, R"("device_index":["list_int",[]])")},
      {"graph_c9_v110_ignores_the_values_of_optional_tables", edited([](Symbol& s) {
         s.version = R"("cvm_1.1.0")";
         s.arg_nodes = "[5,3]";
         s.node_row_ptr = "[7]";
         s.dltype = R"(["list_str",["float32"]])";
       })},
      {"graph_c9_v110_optional_tables_may_be_absent", edited([](Symbol& s) {
         s.version = R"("cvm_1.1.0")";
         s.arg_nodes = s.node_row_ptr = s.dltype = "";
       })},
      {"graph_c10_rank_6_is_accepted", with_shapes("[1,1,1,1,2,2]", "[1,1,1,1,2,2]").text()},
      // 2^24 itself: no memory is needed to load.
      {"graph_c10_dim_2_24", with_shapes("[16777216]", "[16777216]").text()},
      // In range: the operator's rule gives 32.
      {"graph_c11_operator_output_precision_in_range", with(&Symbol::precision, R"(["list_int",[32,3]])")},
      // Only variable names must be unique.
      {"graph_c13_operator_names_may_repeat",
       with_relu(R"({"op":"cvm_op","name":"data","inputs":[[0,0]],"attrs":{"func_name":"relu"}})").text()},
      {"graph_c15_base_chain_loads", two_relus("[0,0]", "[1,0]").text()},
      {"graph_c16_empty_map", relu_op_attrs("{}").text()},
      {"graph_c16_blank_empty_map", relu_op_attrs(" {} ").text()},
      {"graph_c16_variables_op_attrs_are_ignored", with(&Symbol::op_attrs, R"(["list_str",["not JSON at all","{}"]])")},
      {"graph_c18_relu_in_place", with(&Symbol::storage_id, R"(["list_int",[0,0]])")},
      {"op_c0_empty_suffix", with_relu(R"({"op":"cvm_op","name":"r","inputs":[[0,0]],"attrs":{"func_name":"relu_"}})").text()},
      {"op_c0_numeric_suffix",
       with_relu(R"({"op":"cvm_op","name":"r","inputs":[[0,0]],"attrs":{"func_name":"relu_007"}})").text()},
  };
}

void PrintTo(const GoodSymbol& c, std::ostream* os) { *os << c.name; }

class good_symbol : public testing::TestWithParam<GoodSymbol> {};

TEST_P(good_symbol, loads) { good(GetParam().symbol); }

INSTANTIATE_TEST_SUITE_P(bad_graph, good_symbol, testing::ValuesIn(good_symbols()), RowName());

// What a table row cannot say ----------------------------------------------------

TEST(bad_graph, hand_written_base_symbol_has_no_postprocess) {
  EXPECT_EQ(Symbol{}.text().find("\"postprocess\""), std::string::npos);
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

TEST(bad_graph, graph_c9_v100_node_row_ptr_counts_operator_outputs) {
  json j = gvc_model();
  ASSERT_EQ(j["node_row_ptr"], json::parse("[0,1,3,4]"));
  j["node_row_ptr"] = json::parse("[0,1,2,3]");  // as if every node had one output
  bad("graph_c9", j.dump(), "[0,1,3,4]");
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

TEST(bad_graph, graph_c10_shape_of_a_million_dims) {
  std::string dims = "[";
  for (int i = 0; i < 1000000; ++i) dims += "1,";
  dims.back() = ']';
  bad("graph_c10", with_shapes(dims, "[4]"), "node 0 'data' (variable)");
}

TEST(bad_graph, graph_c15_index_beyond_a_multi_output_node) {
  json j = gvc_model();  // relu reads [1, 1], the second output of get_valid_counts
  ASSERT_EQ(j["nodes"][2]["inputs"][0][1], 1);
  good(j.dump());
  j["nodes"][2]["inputs"][0][1] = 2;
  bad("graph_c15", j.dump(), "node 2 'r' (relu) input 0 references output 2 of node 1 'g'");
}

// A symbol without heads is a valid graph (upstream's gas query accepts it);
// loading it as a model fails, as upstream's output count check does.
TEST(bad_graph, model_c7_no_heads) {
  Symbol s;
  s.heads = "[]";
  EXPECT_NO_THROW(load_graph(s.text()));
  expect_rejection("model_c7", [&] { load(s.text(), empty_params()); }, "no heads");
}

TEST(bad_graph, graph_c18_conv2d_output_shares_an_input_storage_id) {
  json j = conv2d_model();
  ASSERT_EQ(j["attrs"]["storage_id"][1], json::parse("[0,1,2]"));
  j["attrs"]["storage_id"][1] = json::parse("[0,1,0]");
  bad("graph_c18", j.dump(), "node 2 'c' (conv2d) output 0 shares storage id 0 with its input entry 0");
  j["attrs"]["storage_id"][1] = json::parse("[0,1,1]");
  bad("graph_c18", j.dump(), "node 2 'c' (conv2d) output 0 shares storage id 1 with its input entry 1");
}

TEST(bad_graph, graph_c18_in_place_ops_may_share) {
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
