// The engine (spec/model/inference.rst): input saturation and widths, node
// order, statelessness, observers.
#include <gtest/gtest.h>

#include "cvm/graph_builder.h"
#include "cvm/params.h"
#include "model_support.h"

namespace cvm::oracle {
namespace {

TEST(model_runtime, relu_model_saturates_int8_input) {
  Runtime rt(load(relu_symbol(), empty_params()), reference_backend());
  EXPECT_EQ(rt.infer_bytes(std::string("\x80\xff\x00\x7f", 4)), std::string("\x00\x00\x00\x7f", 4));
}

TEST(model_runtime, int8_minus_128_saturates_before_the_first_operator) {
  // -128 is outside precision 8 and becomes -127, so negative gives 127 (not
  // 128, which would not fit the output's precision 8).
  GraphBuilder b;
  b.head(b.op1("negative", "n", {b.variable("data", {2}, 8)}));
  Runtime rt(load(write_graph_json(b.graph()), empty_params()), reference_backend());
  EXPECT_EQ(rt.infer_bytes(std::string("\x80\x05", 2)), std::string("\x7f\xfb", 2));
}

TEST(model_runtime, int32_input_and_output_are_little_endian) {
  GraphBuilder b;
  const EntryRef d = b.variable("data", {2}, 16);
  b.head(b.op1("negative", "n", {d}));
  Runtime rt(load(write_graph_json(b.graph()), empty_params()), reference_backend());
  // 0x00000102 = 258 and 0xFFFFFFFF = -1; the 40000 = 0x9C40 variant saturates
  // to R(16) = 32767 first.
  const std::string in = std::string("\x02\x01\x00\x00\xff\xff\xff\xff", 8);
  EXPECT_EQ(rt.infer_bytes(in), std::string("\xfe\xfe\xff\xff\x01\x00\x00\x00", 8));  // -258, 1
  const std::string big = std::string("\x40\x9c\x00\x00\x00\x00\x00\x00", 8);
  EXPECT_EQ(rt.infer_bytes(big), std::string("\x01\x80\xff\xff\x00\x00\x00\x00", 8));  // -32767, 0
}

// data (1), w (1) = -11, a = data + w, b = relu(a) written to w's storage id.
std::string shared_sid_symbol() {
  GraphBuilder b;
  const EntryRef d = b.variable("data", {1}, 8);
  const EntryRef w = b.variable("w", {1}, 8);
  const EntryRef a = b.op1("broadcast_add", "a", {d, w});
  const EntryRef r = b.op1("relu", "b", {a});
  b.head(a);
  b.head(r);
  Graph g = b.graph();
  g.storage_id = {0, 1, 2, 1};  // b reuses w's pool (allowed: relu is in-place, reads a)
  return write_graph_json(g);
}

TEST(model_runtime, storage_ids_never_share_values) {
  // E-model-1: upstream overwrites w with b, so later runs drift. cvm: every
  // run gives a = 5 + (-11) = -6, b = relu(-6) = 0.
  Runtime rt(load(shared_sid_symbol(), write_params({{"w", 32, {1}, {-11}}})), reference_backend());
  for (int run = 0; run < 3; ++run) {
    const auto heads = rt.run(T({1}, 8, {5}));
    ASSERT_EQ(heads.size(), 2u);
    EXPECT_EQ(heads[0].data, (std::vector<int32_t>{-6})) << "run " << run;
    EXPECT_EQ(heads[1].data, (std::vector<int32_t>{0})) << "run " << run;
  }
}

TEST(model_runtime, no_state_between_inferences) {
  // A run on one input, then another, then the first again: same bytes.
  GraphBuilder b;
  EntryRef x = b.variable("data", {3}, 8);
  x = b.op1("relu", "r", {x});
  x = b.op1("negative", "n", {x});
  b.head(b.op1("abs", "a", {x}));
  Runtime rt(load(write_graph_json(b.graph()), empty_params()), reference_backend());
  const std::string first = rt.infer_bytes(std::string("\x05\xfb\x7f", 3));
  rt.infer_bytes(std::string("\x01\x02\x03", 3));
  EXPECT_EQ(rt.infer_bytes(std::string("\x05\xfb\x7f", 3)), first);
  EXPECT_EQ(first, std::string("\x05\x00\x7f", 3));  // |-relu(x)| = relu(x)
}

TEST(model_runtime, observer_sees_every_operator_node_in_order) {
  GraphBuilder b;
  const EntryRef d = b.variable("data", {2}, 8);
  const EntryRef r = b.op1("relu", "r", {d});
  b.op1("negative", "dead", {r});  // unused outputs still run
  b.head(r);
  Runtime rt(load(write_graph_json(b.graph()), empty_params()), reference_backend());
  std::vector<std::pair<size_t, std::vector<int32_t>>> seen;
  const NodeObserver obs = [&](size_t node, std::span<const Tensor> outs) {
    ASSERT_EQ(outs.size(), 1u);
    seen.emplace_back(node, outs[0].data);
  };
  rt.run(T({2}, 8, {-3, 4}), &obs);
  ASSERT_EQ(seen.size(), 2u);
  EXPECT_EQ(seen[0], (std::pair<size_t, std::vector<int32_t>>{1, {0, 4}}));
  EXPECT_EQ(seen[1], (std::pair<size_t, std::vector<int32_t>>{2, {0, -4}}));
}

TEST(model_runtime, run_saturates_a_tensor_input_too) {
  Runtime rt(load(relu_symbol(), empty_params()), reference_backend());
  const auto heads = rt.run(T({4}, 32, {1000, -1000, 127, 3}));
  EXPECT_EQ(heads[0].data, (std::vector<int32_t>{127, 0, 127, 3}));
  EXPECT_EQ(heads[0].precision, 8);
}

TEST(model_runtime, run_saturates_an_input_labelled_with_the_model_precision) {
  // The input already has the model's type, so only its values can tell
  // that it needs saturating (Runtime::run passes in-range inputs through
  // uncopied); in-range values give the same result either way.
  for (const Backend* backend : {&reference_backend(), find_backend("fast")}) {
    Runtime rt(load(relu_symbol(), empty_params()), *backend);
    EXPECT_EQ(rt.run(T({4}, 8, {1000, -1000, 127, 3}))[0].data, (std::vector<int32_t>{127, 0, 127, 3}))
        << backend->name();
    EXPECT_EQ(rt.run(T({4}, 8, {-127, 5, 127, 0}))[0].data, (std::vector<int32_t>{0, 5, 127, 0}))
        << backend->name();
    EXPECT_EQ(rt.run(T({4}, 8, {128, 0, 0, -128}))[0].data, (std::vector<int32_t>{127, 0, 0, 0}))
        << backend->name();
  }
}

TEST(model_runtime, program_run_rejects_what_saturation_would_change) {
  // Program::run does not saturate, and a kernel given a value outside its
  // input's precision computes nothing the spec defines (the fast relu would
  // pass 1000 through): every backend rejects such an input before any node
  // runs (inference.rst, "Backends").
  const auto m = load(relu_symbol(), empty_params());
  for (const Backend* backend : {&reference_backend(), find_backend("fast")}) {
    SCOPED_TRACE(std::string(backend->name()));
    const std::unique_ptr<Program> program = backend->prepare(m);
    expect_rejection("tensor_c5", [&] { program->run(T({4}, 8, {1, 1000, 3, 4}), nullptr); },
                 "value 1000 at flat index 1 exceeds precision 8");
    expect_rejection("tensor_c5", [&] { program->run(Tensor{{4}, 8, {0, 0, 0, -128}}, nullptr); }, "-128");
    expect_rejection("infer_c1", [&] { program->run(T({4}, 16, {1, 2, 3, 4}), nullptr); }, "precision 16");
    expect_rejection("infer_c1", [&] { program->run(T({5}, 8, {1, 2, 3, 4, 5}), nullptr); }, "shape (5,)");
    expect_rejection("infer_c1", [&] { program->run(Tensor{{4}, 8, {1, 2, 3}}, nullptr); }, "3 values");
    EXPECT_EQ(program->run(T({4}, 8, {-127, 5, 127, 0}), nullptr)[0].data, (std::vector<int32_t>{0, 5, 127, 0}));
  }
}

TEST(model_runtime, two_runtimes_of_one_model_agree) {
  const auto m = load(relu_symbol(), empty_params());
  Runtime a(m, reference_backend());
  Runtime b(m, reference_backend());
  const std::string in("\x10\x90\x00\x01", 4);
  EXPECT_EQ(a.infer_bytes(in), b.infer_bytes(in));
}

TEST(model_runtime, backends_are_listed) {
  EXPECT_EQ(find_backend("reference"), &reference_backend());
  EXPECT_EQ(find_backend("no-such-backend"), nullptr);
  const auto names = backend_names();
  EXPECT_NE(std::find(names.begin(), names.end(), "reference"), names.end());
}

}  // namespace
}  // namespace cvm::oracle
