// The bad-input suite, whole models (spec/model/load.rst, gas.rst,
// inference.rst): binding params to a symbol (model_c1 .. model_c6), gas and
// storage limits (gas_c1 .. gas_c3 when gas is asked for, storage_c1 at load)
// and the input and outputs of an inference (infer_c1, infer_c2). Every test
// checks the class, the label and that the message names what and where.
//
// The limit tests declare tensors of up to 2^30 elements: shapes are only
// declared, and every limit is checked before anything of that size is
// allocated, so they run in milliseconds with no memory (checked below where
// the kernel lets a process reset its peak RSS).
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <functional>
#include <nlohmann/json.hpp>
#include <string>
#include <tuple>
#include <vector>

#include "cvm/backend.h"
#include "cvm/errors.h"
#include "cvm/graph_builder.h"
#include "model_support.h"

namespace cvm::oracle {
namespace {

using nlohmann::json;

// A params file built byte by byte (spec/model/params.rst).
struct Array {
  std::string name;
  int bits;  // 8 or 32
  Shape shape;
  std::vector<int64_t> values;  // written in `bits`, two's complement
};

std::string params(const std::vector<Array>& arrays) {
  std::string out;
  auto put = [&](uint64_t v, int width) {
    for (int k = 0; k < width; ++k) out.push_back(static_cast<char>((v >> (8 * k)) & 0xFF));
  };
  put(0xF7E58D4F05049CB7ULL, 8);
  put(0, 8);
  put(arrays.size(), 8);
  for (const Array& a : arrays) {
    put(a.name.size(), 8);
    out += a.name;
  }
  put(arrays.size(), 8);
  for (const Array& a : arrays) {
    put(0xDD5E40F096B4A13FULL, 8);
    put(0, 8);
    put(1, 4);
    put(0, 4);
    put(a.shape.size(), 4);
    put(0, 1);
    put(static_cast<uint64_t>(a.bits), 1);
    put(1, 2);
    for (int64_t d : a.shape) put(static_cast<uint64_t>(d), 8);
    put(a.values.size() * static_cast<size_t>(a.bits / 8), 8);
    for (int64_t v : a.values) put(static_cast<uint64_t>(v), a.bits / 8);
  }
  return out;
}

std::string symbol(const GraphBuilder& b) { return write_graph_json(b.graph()); }

// data (2, 5) p8, w (3, 5) p8, b (3) p8 -> dense units 3 with bias (node 3).
std::string dense_symbol() {
  GraphBuilder b;
  const EntryRef d = b.variable("data", {2, 5}, 8);
  const EntryRef w = b.variable("w", {3, 5}, 8);
  const EntryRef bias = b.variable("b", {3}, 8);
  b.head(b.op1("dense", "fc", {d, w, bias}, {{"units", "3"}, {"use_bias", "true"}}));
  return symbol(b);
}
Array dense_w() { return {"w", 8, {3, 5}, std::vector<int64_t>(15, 1)}; }
Array dense_b() { return {"b", 32, {3}, {1, 2, 3}}; }

// Growth of the peak resident memory (KiB) while `body` runs, or -1 when the
// peak cannot be reset (/proc/self/clear_refs).
long peak_rss_growth_kib(const std::function<void()>& body) {
  auto status = [](const char* key) -> long {
    std::ifstream in("/proc/self/status");
    std::string line;
    while (std::getline(in, line))
      if (line.rfind(key, 0) == 0) return std::stol(line.substr(std::string(key).size()));
    return -1;
  };
  {
    std::ofstream reset("/proc/self/clear_refs");
    if (!reset) return -1;
    reset << "5";
    if (!reset.flush()) return -1;
  }
  const long before = status("VmRSS:");
  if (before < 0 || status("VmHWM:") > before + 1024) return -1;  // the reset did not take
  body();
  return status("VmHWM:") - before;
}

// Runs `body` and expects it to have needed well under 64 MiB of memory.
void expect_small_memory(const std::function<void()>& body) {
  const long grew = peak_rss_growth_kib(body);
  if (grew >= 0) {
    EXPECT_LT(grew, 64 * 1024) << "peak memory grew by " << grew << " KiB";
  }
}

TEST(bad_model, base_models_load) {
  EXPECT_NO_THROW(load(relu_symbol(), empty_params()));
  EXPECT_NO_THROW(load(dense_symbol(), params({dense_w(), dense_b()})));
}

// model_c1 ---------------------------------------------------------------------

TEST(bad_model, model_c1_no_data_variable) {
  std::string s = relu_symbol();
  s.replace(s.find("\"data\""), 6, "\"input\"");
  expect_rejection("model_c1", [&] { load(s, empty_params()); }, "no variable named 'data'");
}

TEST(bad_model, model_c1_an_operator_named_data_is_not_the_input) {
  GraphBuilder b;
  const EntryRef x = b.variable("x", {4}, 8);
  b.head(b.op1("relu", "data", {x}));
  expect_rejection("model_c1", [&] { load(symbol(b), params({{"x", 8, {4}, {1, 2, 3, 4}}})); },
               "no variable named 'data'");
}

// model_c2 ---------------------------------------------------------------------

TEST(bad_model, model_c2_unknown_params_name) {
  expect_rejection("model_c2", [&] { load(relu_symbol(), params({{"w", 32, {4}, {0, 0, 0, 0}}})); },
               "params array 'w' names no variable");
  // The name of an operator node is not a variable's.
  expect_rejection("model_c2", [&] { load(relu_symbol(), params({{"r", 32, {4}, {0, 0, 0, 0}}})); },
               "params array 'r'");
  expect_rejection("model_c2",
               [&] { load(dense_symbol(), params({dense_w(), dense_b(), {"fc", 8, {1}, {0}}})); },
               "params array 'fc'");
}

// model_c3 ---------------------------------------------------------------------

TEST(bad_model, model_c3_missing_param) {
  expect_rejection("model_c3", [&] { load(dense_symbol(), params({dense_w()})); },
               "node 2 'b' (variable) has no params array");
  expect_rejection("model_c3", [&] { load(dense_symbol(), empty_params()); },
               "node 1 'w' (variable) has no params array");
}

// model_c4 ---------------------------------------------------------------------

TEST(bad_model, model_c4_param_shape_mismatch) {
  expect_rejection("model_c4",
               [&] { load(dense_symbol(), params({{"w", 8, {5, 3}, std::vector<int64_t>(15, 1)}, dense_b()})); },
               "params array 'w' has shape (5, 3); node 1 'w' (variable) has shape (3, 5)");
  expect_rejection("model_c4",
               [&] { load(dense_symbol(), params({dense_w(), {"b", 32, {1, 3}, {1, 2, 3}}})); },
               "params array 'b' has shape (1, 3); node 2 'b' (variable) has shape (3,)");
}

// model_c5 ---------------------------------------------------------------------

TEST(bad_model, model_c5_value_128_at_precision_8) {
  std::vector<int64_t> w(15, 1);
  w[7] = 128;
  expect_rejection("model_c5", [&] { load(dense_symbol(), params({{"w", 32, {3, 5}, w}, dense_b()})); },
               "params array 'w' value 128 at flat index 7 exceeds the precision 8 of node 1 'w' (variable)");
  w[7] = -128;  // a valid int8 in the file, but not of precision 8: never saturated
  expect_rejection("model_c5", [&] { load(dense_symbol(), params({{"w", 8, {3, 5}, w}, dense_b()})); },
               "value -128 at flat index 7");
  w[7] = 127;
  EXPECT_NO_THROW(load(dense_symbol(), params({{"w", 8, {3, 5}, w}, dense_b()})));
}

TEST(bad_model, model_c5_int32_min_at_precision_32) {
  GraphBuilder b;
  const EntryRef d = b.variable("data", {1}, 8);
  const EntryRef w = b.variable("w", {2}, 32);
  b.head(b.op1("relu", "rd", {d}));
  b.head(b.op1("relu", "rw", {w}));
  expect_rejection("model_c5", [&] { load(symbol(b), params({{"w", 32, {2}, {0, INT32_MIN}}})); },
               "value -2147483648 at flat index 1 exceeds the precision 32 of node 1 'w' (variable)");
  EXPECT_NO_THROW(load(symbol(b), params({{"w", 32, {2}, {INT32_MAX, -INT32_MAX}}})));
}

// model_c6 ---------------------------------------------------------------------

TEST(bad_model, model_c6_memory_cap) {
  // dense: params 15 + 3, input 10, one slot of 6, output 6: 4 * 40 = 160 bytes.
  LoadOptions cap;
  cap.memory_cap_bytes = 159;
  expect_runtime("model_c6", [&] { load(dense_symbol(), params({dense_w(), dense_b()}), cap); },
                 "needs 160 bytes of memory; the memory cap is 159");
  cap.memory_cap_bytes = 160;
  EXPECT_NO_THROW(load(dense_symbol(), params({dense_w(), dense_b()}), cap));
  cap.memory_cap_bytes = 0;
  expect_runtime("model_c6", [&] { load(relu_symbol(), empty_params(), cap); }, "48 bytes");
}

TEST(bad_model, model_c6_default_cap_is_checked_before_allocating) {
  // data (2^30) -> relu in place (one pool): storage 2^32 bytes, allowed by
  // storage_c1; the engine needs input + slot + output = 3 * 2^32 bytes.
  GraphBuilder b;
  const EntryRef d = b.variable("data", {1024, 1024, 1024}, 8);
  b.head(b.op1("relu", "r", {d}));
  Graph g = b.graph();
  g.storage_id = {0, 0};
  const std::string s = write_graph_json(g);
  EXPECT_EQ(load_graph(s).storage_size, uint64_t{1} << 32);
  expect_small_memory([&] {
    expect_runtime("model_c6", [&] { load(s, empty_params()); },
                   "needs 12884901888 bytes of memory; the memory cap is 4294967296");
  });
}

TEST(bad_model, model_c6_many_heads_of_a_big_entry) {
  // Heads are not limited in number and each is an output buffer: 1000 heads
  // naming one entry of 2^28 elements need 4 * (2^28 + 2^28 + 1000 * 2^28) =
  // 1075889307648 bytes (input, one slot, outputs). Storage and gas count the
  // entry once.
  GraphBuilder b;
  const EntryRef r = b.op1("relu", "r", {b.variable("data", {256, 1024, 1024}, 8)});
  for (int k = 0; k < 1000; ++k) b.head(r);
  expect_small_memory([&] {
    expect_runtime("model_c6", [&] { load(symbol(b), empty_params()); }, "needs 1075889307648 bytes");
  });
}

// storage_c1 -------------------------------------------------------------------

TEST(bad_model, storage_c1_storage_above_2_32) {
  // data (2^30) -> relu, two storage ids: 2 * 4 * 2^30 = 2^33 bytes.
  GraphBuilder b;
  const EntryRef d = b.variable("data", {1024, 1024, 1024}, 8);
  b.head(b.op1("relu", "r", {d}));
  expect_small_memory([&] {
    expect_rejection("storage_c1", [&] { load(symbol(b), empty_params()); },
                 "storage size 8589934592 bytes exceeds 2^32");
  });
}

TEST(bad_model, storage_c1_is_checked_at_load_not_on_the_symbol_alone) {
  // gas.rst: as upstream, storage_c1 is a load check; the symbol alone
  // (load_graph, CVMAPIGetGasFromGraphFile) is priced without it.
  GraphBuilder b;
  b.head(b.op1("relu", "r", {b.variable("data", {1024, 1024, 1024}, 8)}));
  EXPECT_EQ(load_graph(symbol(b)).storage_size, uint64_t{8589934592});
  expect_rejection("storage_c1", [&] { load(symbol(b), empty_params()); }, "storage size 8589934592 bytes");
}

TEST(bad_model, storage_c1_many_entries) {
  // data (2^28) and 4 relus, each entry its own pool of 2^30 bytes: 5 * 2^30.
  GraphBuilder b;
  EntryRef x = b.variable("data", {256, 1024, 1024}, 8);
  for (int k = 0; k < 4; ++k) x = b.op1("relu", "r" + std::to_string(k), {x});
  b.head(x);
  expect_small_memory([&] {
    expect_rejection("storage_c1", [&] { load(symbol(b), empty_params()); }, "5368709120 bytes");
  });
  // The same entries in one pool (relu runs in place): 2^30 bytes.
  Graph g = b.graph();
  g.storage_id.assign(g.storage_id.size(), 0);
  EXPECT_EQ(load_graph(write_graph_json(g)).storage_size, uint64_t{1} << 30);
}

// gas_c1 -----------------------------------------------------------------------

// conv2d of data (1, C, 1, 1) p1 with w (1, C, KH, KW) p1 padded to fit:
// K = C * KH * KW, gas weight 3K (+1 with a bias (1) p1).
std::string big_conv2d(int64_t c, int64_t kh, int64_t kw, bool bias) {
  GraphBuilder b;
  const EntryRef d = b.variable("data", {1, c, 1, 1}, 1);
  const EntryRef w = b.variable("w", {1, c, kh, kw}, 1);
  std::vector<EntryRef> in{d, w};
  if (bias) in.push_back(b.variable("b", {1}, 1));
  b.head(b.op1("conv2d", "conv", in,
               {{"channels", "1"},
                {"kernel_size", "(" + std::to_string(kh) + ", " + std::to_string(kw) + ")"},
                {"padding", "(" + std::to_string(kh / 2) + ", " + std::to_string(kw / 2) + ")"},
                {"use_bias", bias ? "true" : "false"}}));
  return symbol(b);
}

TEST(bad_model, gas_c1_weight_above_2_30) {
  // C = 8, K_H = K_W = 8192 (padding 4096 fits a 1x1 input): K = 2^29,
  // precision 1 + 1 + bits(2^29) = 32, weight 3 * 2^29 = 1610612736 > 2^30.
  const std::string s = big_conv2d(8, 8192, 8192, false);
  expect_rejection("gas_c1", [&] { load_graph(s); },
               "node 2 'conv' (conv2d) has gas weight 1610612736, more than 2^30");
  // Loading does not check gas (upstream's order): the missing params fail it.
  expect_small_memory([&] { expect_rejection("model_c3", [&] { load(s, empty_params()); }, "'w'"); });
}

TEST(bad_model, gas_c1_weight_of_exactly_2_30_is_accepted) {
  // 2^30 - 1 = 3 * 357913941 and 357913941 = 33 * 4681 * 2317: with a bias the
  // weight is 3K + 1 = 2^30. Precision max(1 + 1 + 29, 1) + 1 = 32.
  const ModelGraph g = load_graph(big_conv2d(33, 4681, 2317, true));
  EXPECT_EQ(g.nodes[3].gas_weight, int64_t{1} << 30);
}

// gas_c2 -----------------------------------------------------------------------

// dense of data (2^15, K) p1 with w (2^15, K) p1, no bias: output (2^15, 2^15),
// 2^30 elements of weight 3K, so ops = 3K * 2^30.
std::string big_dense(int64_t k) {
  GraphBuilder b;
  const EntryRef d = b.variable("data", {32768, k}, 1);
  const EntryRef w = b.variable("w", {32768, k}, 1);
  b.head(b.op1("dense", "fc", {d, w}, {{"units", "32768"}, {"use_bias", "false"}}));
  return symbol(b);
}

TEST(bad_model, gas_c2_operation_gas_above_2_40) {
  // K = 342: ops = 1026 * 2^30 > 1024 * 2^30 = 2^40 (mem 5 * (2 * 342 + 2^15) * 2^15 is far below).
  const std::string s = big_dense(342);
  expect_rejection("gas_c2", [&] { load_graph(s); }, "operation gas 1101659111424 exceeds 2^40 after node 2 'fc' (dense)");
  // At load the storage size (2^30 output elements) fails first.
  expect_small_memory([&] { expect_rejection("storage_c1", [&] { load(s, empty_params()); }); });
}

TEST(bad_model, gas_c2_just_below_the_limit_is_accepted) {
  // K = 341: ops = 1023 * 2^30 <= 2^40.
  const ModelGraph g = load_graph(big_dense(341));
  EXPECT_EQ(g.gas, 1023 * (uint64_t{1} << 30) + 5 * (2 * 341 * uint64_t{32768} + (uint64_t{1} << 30)));
}

// gas_c3 -----------------------------------------------------------------------

// data (2^30) p8 and a chain of `n` relus: n + 1 entries of 2^30 elements.
std::string relu_chain(int n) {
  GraphBuilder b;
  EntryRef x = b.variable("data", {1024, 1024, 1024}, 8);
  for (int k = 0; k < n; ++k) x = b.op1("relu", "r" + std::to_string(k), {x});
  b.head(x);
  return symbol(b);
}

TEST(bad_model, gas_c3_memory_gas_above_2_40) {
  // 205 entries: mem = 5 * 205 * 2^30 = 1025 * 2^30 > 2^40 after the 204th relu
  // (node 204); ops = 204 * 2^30 stays below.
  const std::string s = relu_chain(204);
  expect_rejection("gas_c3", [&] { load_graph(s); },
               "memory gas 1100585369600 exceeds 2^40 after node 204 'r203' (relu)");
  // At load the storage size (205 entries of 4 GiB) fails first.
  expect_small_memory([&] { expect_rejection("storage_c1", [&] { load(s, empty_params()); }); });
  // 204 entries: 1020 * 2^30 is within the limit.
  EXPECT_EQ(load_graph(relu_chain(203)).gas, (1020 + 203) * (uint64_t{1} << 30));
}

TEST(bad_model, gas_c3_variables_charge_memory_too) {
  // data and 204 parameters of 2^30 elements: the 205th variable crosses 2^40.
  GraphBuilder b;
  const EntryRef d = b.variable("data", {1024, 1024, 1024}, 8);
  for (int k = 0; k < 204; ++k) b.variable("w" + std::to_string(k), {1024, 1024, 1024}, 8);
  b.head(b.op1("relu", "r", {d}));
  expect_rejection("gas_c3", [&] { load_graph(symbol(b)); }, "after node 204 'w203' (variable)");
}

// infer_c1 ---------------------------------------------------------------------

TEST(bad_model, infer_c1_wrong_input_byte_length) {
  Runtime rt(load(relu_symbol(), empty_params()), reference_backend());  // 4 int8 elements
  for (size_t n : {0u, 3u, 5u, 16u})
    expect_rejection("infer_c1", [&] { rt.infer_bytes(std::string(n, '\x01')); },
                 "the input has " + std::to_string(n) + " bytes; the model takes 4");
  EXPECT_EQ(rt.infer_bytes(std::string(4, '\x01')).size(), 4u);
  // Precision 16: 4 bytes per element, so 4 bytes are one element too few.
  GraphBuilder b;
  b.head(b.op1("relu", "r", {b.variable("data", {2}, 16)}));
  Runtime wide(load(symbol(b), empty_params()), reference_backend());
  expect_rejection("infer_c1", [&] { wide.infer_bytes(std::string(2, '\0')); }, "the model takes 8");
  expect_rejection("infer_c1", [&] { wide.infer_bytes(std::string(7, '\0')); }, "the model takes 8");
}

TEST(bad_model, infer_c1_wrong_tensor_shape) {
  Runtime rt(load(relu_symbol(), empty_params()), reference_backend());
  expect_rejection("infer_c1", [&] { rt.run(T({5}, 8, {1, 2, 3, 4, 5})); },
               "the input has shape (5,); the model's data input has shape (4,)");
  expect_rejection("infer_c1", [&] { rt.run(T({2, 2}, 8, {1, 2, 3, 4})); }, "shape (2, 2)");
  expect_rejection("infer_c1", [&] { rt.run(Tensor{{4}, 8, {1, 2, 3}}); }, "the input has 3 values for shape (4,)");
  EXPECT_EQ(rt.run(T({4}, 8, {1, -2, 3, -4}))[0].data, (std::vector<int32_t>{1, 0, 3, 0}));
}

// infer_c2 ---------------------------------------------------------------------

TEST(bad_model, infer_c2_detection_with_one_head) {
  GraphBuilder b;
  b.head(b.op1("relu", "r", {b.variable("data", {1, 2, 6}, 8)}));
  b.postprocess("detection");
  const auto m = load(symbol(b), empty_params());  // checked at inference, as upstream
  Runtime rt(m, reference_backend());
  expect_rejection("infer_c2", [&] { rt.infer_bytes(std::string(12, '\0')); },
               "a detection model needs at least two outputs, this one has 1");
}

TEST(bad_model, infer_c2_heads_with_different_row_counts) {
  // Heads (2, 3) and (3, 3): 2 rows and 3 rows cannot be interleaved.
  for (const char* post : {"detection", ""}) {
    GraphBuilder b;
    const EntryRef d = b.variable("data", {2, 3}, 8);
    const EntryRef w = b.variable("w", {3, 3}, 8);
    b.head(b.op1("relu", "rd", {d}));
    b.head(b.op1("relu", "rw", {w}));
    b.postprocess(post);
    const auto m = load(symbol(b), params({{"w", 8, {3, 3}, std::vector<int64_t>(9, 1)}}));
    Runtime rt(m, reference_backend());
    expect_rejection("infer_c2", [&] { rt.infer_bytes(std::string(6, '\0')); },
                 "output 1 of shape (3, 3) has 3 rows, output 0 has 2");
    EXPECT_EQ(rt.run(T({2, 3}, 8, {1, 2, 3, 4, 5, 6})).size(), 2u);  // heads alone are fine
  }
}

// Params named data and faults upstream reports as runtime errors -----------------

TEST(bad_model, params_array_named_data_is_accepted_and_ignored) {
  // Wrong shape and values out of precision: ignored, the input replaces it.
  const auto m = load(relu_symbol(), params({{"data", 32, {7}, std::vector<int64_t>(7, INT32_MIN)}}));
  Runtime rt(m, reference_backend());
  EXPECT_EQ(rt.infer_bytes(std::string("\x05\xfb\x7f\x00", 4)), std::string("\x05\x00\x7f\x00", 4));
}

TEST(bad_model, model_faults_upstream_reports_as_runtime_errors) {
  // Each is the author's fault, but upstream reports it with code 2 (a CHECK,
  // a fatal log or its JSON reader), so cvm does too (spec/common.rst).
  std::string not_json = relu_symbol();
  not_json.pop_back();
  std::string non_string_attr = relu_symbol();
  non_string_attr.replace(non_string_attr.find("\"num_inputs\":\"1\""), 16, "\"num_inputs\":1");
  std::string unknown_key = relu_symbol();
  unknown_key.replace(unknown_key.find("\"version\""), 9, "\"versions\"");
  std::string version = relu_symbol();
  version.replace(version.find("cvm_1.0.0"), 9, "cvm_1.2.0");
  std::string no_data = relu_symbol();
  no_data.replace(no_data.find("\"data\""), 6, "\"x\"");
  std::string bad_record = params({dense_w(), dense_b()});
  bad_record[bad_record.find("\x3F\xA1\xB4\x96", 0)] = 0;  // the first array magic
  json dense = json::parse(dense_symbol());
  dense["attrs"]["shape"][1][1] = json::parse("[3,4]");
  json bias = json::parse(dense_symbol());
  bias["attrs"]["shape"][1][2] = json::parse("[2]");
  const std::vector<std::tuple<std::string, std::string, std::string>> cases = {
      {"graph_c1", not_json, empty_params()},
      {"graph_c22", non_string_attr, empty_params()},
      {"graph_c20", unknown_key, empty_params()},
      {"graph_c3", version, empty_params()},
      {"graph_c13", write_graph_json([] {
         Graph g = parse_graph_json(relu_symbol());
         g.nodes[1] = GraphNode{.is_variable = true, .name = "data", .inputs = {}, .func_name = {}};
         g.precision[1] = 8;
         g.heads = {{0, 0}};
         return g;
       }()),
       empty_params()},
      {"model_c1", no_data, empty_params()},
      {"model_c2", relu_symbol(), params({{"nope", 8, {1}, {0}}})},
      {"params_c4", dense_symbol(), bad_record},
      {"dense_c3", dense.dump(), empty_params()},
      {"dense_c4", bias.dump(), empty_params()},
  };
  for (const auto& c : cases) {
    const std::string& label = std::get<0>(c);
    SCOPED_TRACE(label);
    // clang 14 cannot capture structured bindings; capture the tuple.
    expect_runtime(label, [&c] { load(std::get<1>(c), std::get<2>(c)); });
  }
}

// How often `needle` occurs in `text`.
size_t count_of(const std::string& text, const std::string& needle) {
  size_t n = 0;
  for (size_t at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1)) ++n;
  return n;
}

// Context added to an error on its way up (a node's identity, by the
// validator and by every backend's node loop) keeps the class and the label,
// and the label appears once: "label: where: message", not "label: where:
// label: message".
TEST(bad_model, in_context_names_the_label_once) {
  const LogicError logic("conv2d_c11", "w must have shape (8, 1, 3, 3)");
  EXPECT_EQ(logic.message(), "w must have shape (8, 1, 3, 3)");
  const LogicError l2 = in_context(logic, "node 3 'c' (conv2d)");
  EXPECT_EQ(l2.label(), "conv2d_c11");
  EXPECT_STREQ(l2.what(), "conv2d_c11: node 3 'c' (conv2d): w must have shape (8, 1, 3, 3)");
  const RuntimeError runtime("conv2d_b1", "bound violated: y[0] = 2^31");
  const RuntimeError r2 = in_context(in_context(runtime, "inner"), "node 3 'c' (conv2d)");
  EXPECT_EQ(r2.label(), "conv2d_b1");
  EXPECT_STREQ(r2.what(), "conv2d_b1: node 3 'c' (conv2d): inner: bound violated: y[0] = 2^31");
}

// A node's validation error through Model::load: the label once, then the node.
TEST(bad_model, node_error_names_its_label_once) {
  json dense = json::parse(dense_symbol());
  dense["attrs"]["shape"][1][1] = json::parse("[3,4]");  // dense_c3: w must be (3, 5)
  try {
    load(dense.dump(), params({{"w", 8, {3, 4}, std::vector<int64_t>(12, 1)}, dense_b()}));
    FAIL() << "dense_c3 not raised";
  } catch (const RuntimeError& e) {
    EXPECT_EQ(e.label(), "dense_c3");
    EXPECT_EQ(std::string(e.what()).rfind("dense_c3: node 3 'fc' (dense): ", 0), 0u) << e.what();
    EXPECT_EQ(count_of(e.what(), "dense_c3"), 1u) << e.what();
  }
}

// read_file on a directory (e.g. a directory where the symbol file should
// be) says so, instead of reading it as empty ("not valid JSON").
TEST(bad_model, io_a_directory_is_not_a_file) {
  const std::string dir = ::testing::TempDir();
  expect_runtime("io", [&] { read_file(dir); }, "is a directory");
  try {
    Model::load_files(dir, dir);
    FAIL() << "a directory loaded as the symbol";
  } catch (const RuntimeError& e) {
    EXPECT_EQ(e.label(), "io") << e.what();
    EXPECT_EQ(std::string(e.what()).find("JSON"), std::string::npos) << e.what();
  }
  expect_runtime("io", [&] { read_file(dir + "/no-such-file"); }, "no such file");
}

// CVM_THREADS (spec/model/inference.rst): a decimal integer from 1 to 256;
// anything else is RuntimeError("threads"), never silently ignored.
TEST(bad_model, threads_invalid_cvm_threads_is_an_error) {
  const char* saved = std::getenv("CVM_THREADS");
  const std::string restore = saved ? saved : "";
  for (const char* bad : {"abc", "0", "-1", "257", "4x", "99999999999999999999", " 2"}) {
    SCOPED_TRACE(bad);
    ASSERT_EQ(setenv("CVM_THREADS", bad, 1), 0);
    expect_runtime("threads", [] { default_thread_count(); }, "CVM_THREADS");
  }
  ASSERT_EQ(setenv("CVM_THREADS", "5", 1), 0);
  EXPECT_EQ(default_thread_count(), 5);
  ASSERT_EQ(setenv("CVM_THREADS", "256", 1), 0);
  EXPECT_EQ(default_thread_count(), 256);
  ASSERT_EQ(setenv("CVM_THREADS", "", 1), 0);  // empty: as unset
  EXPECT_GE(default_thread_count(), 1);
  ASSERT_EQ(unsetenv("CVM_THREADS"), 0);
  EXPECT_GE(default_thread_count(), 1);
  EXPECT_LE(default_thread_count(), 256);
  if (saved != nullptr) setenv("CVM_THREADS", restore.c_str(), 1);
}

}  // namespace
}  // namespace cvm::oracle
