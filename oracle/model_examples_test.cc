// The bundled example models (examples/mnist_cnn, examples/detection): they
// load and run, the engine agrees with an op-by-op evaluation on the reference
// kernels, the generator reproduces the committed bytes, and gas, I/O sizes,
// memory plan and outputs are the values derived by hand from spec/model/.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <map>

#include "cvm/graph.h"
#include "cvm/intmath.h"
#include "cvm/npy.h"
#include "cvm/op.h"
#include "cvm/params.h"
#include "cvm/plan.h"
#include "make_examples.h"
#include "model_support.h"

namespace cvm::oracle {
namespace {

namespace fs = std::filesystem;

const char* const kExamples[] = {"mnist_cnn", "detection"};

std::string example_path(const std::string& name, const std::string& file) {
  return source_dir() + "/examples/" + name + "/" + file;
}

struct Example {
  std::string symbol;
  std::string params;
  NpyArray input;
  std::shared_ptr<const Model> model;
};

Example load_example(const std::string& name) {
  Example e;
  e.symbol = read_file(example_path(name, "symbol"));
  e.params = read_file(example_path(name, "params"));
  e.input = read_npy(example_path(name, "input.npy"));
  e.model = Model::load_files(example_path(name, "symbol"), example_path(name, "params"));
  return e;
}

// The C API's input bytes for the example input: int8, or int32 little-endian.
std::string input_bytes(const Example& e) {
  std::string out;
  for (int32_t v : e.input.data) {
    const auto u = static_cast<uint32_t>(v);
    for (int b = 0; b < e.model->input_width(); ++b)
      out.push_back(static_cast<char>((u >> (8 * b)) & 0xFF));
  }
  return out;
}

std::vector<int32_t> decode_int32(const std::string& bytes) {
  std::vector<int32_t> out;
  for (size_t i = 0; i + 4 <= bytes.size(); i += 4) {
    uint32_t u = 0;
    for (int b = 0; b < 4; ++b) u |= uint32_t{static_cast<unsigned char>(bytes[i + b])} << (8 * b);
    out.push_back(static_cast<int32_t>(u));
  }
  return out;
}

// The heads by an evaluation independent of the engine: the symbol is parsed
// (not validated by load), every node is run in order with run_reference (the
// per-op oracle) on tensors kept in a map by flat entry id, without any memory
// plan, and the head entries are returned.
std::vector<Tensor> evaluate_op_by_op(const Example& e) {
  const Graph g = parse_graph_json(e.symbol);
  std::map<std::string, ParamArray> params;
  for (ParamArray& a : parse_params(e.params)) params[a.name] = std::move(a);

  std::vector<int64_t> row{0};  // first entry of each node (spec/model/graph.rst)
  for (const GraphNode& n : g.nodes) {
    const OpDef* op = n.is_variable ? nullptr : find_op(strip_func_suffix(n.func_name));
    EXPECT_TRUE(n.is_variable || op != nullptr) << n.func_name;
    row.push_back(row.back() + (op == nullptr ? 1 : op->num_outputs));
  }

  std::map<int64_t, Tensor> value;  // flat entry id -> value
  for (size_t i = 0; i < g.nodes.size(); ++i) {
    const GraphNode& n = g.nodes[i];
    const auto entry = static_cast<size_t>(row[i]);
    if (n.is_variable) {
      const int p = static_cast<int>(g.precision[entry]);
      Tensor t{g.shape[entry], p, {}};
      if (n.name == "data") {
        EXPECT_EQ(e.input.shape, t.shape);
        for (int32_t v : e.input.data) t.data.push_back(static_cast<int32_t>(clip_precision(v, p)));
      } else {
        const ParamArray& a = params.at(n.name);
        EXPECT_EQ(a.shape, t.shape) << n.name;
        t.data = a.data;
      }
      value[row[i]] = std::move(t);
      continue;
    }
    std::vector<Tensor> inputs;
    for (const EntryRef& r : n.inputs)
      inputs.push_back(value.at(row[static_cast<size_t>(r.node)] + r.index));
    OpRun run = run_reference(strip_func_suffix(n.func_name), parse_op_attrs(g, i), inputs);
    EXPECT_EQ(static_cast<int64_t>(run.outputs.size()), row[i + 1] - row[i]) << n.name;
    for (size_t k = 0; k < run.outputs.size(); ++k) {
      EXPECT_EQ(run.outputs[k].shape, g.shape[entry + k]) << n.name << " output " << k;
      value[row[i] + static_cast<int64_t>(k)] = std::move(run.outputs[k]);
    }
  }
  std::vector<Tensor> heads;
  for (const EntryRef& h : g.heads)
    heads.push_back(value.at(row[static_cast<size_t>(h.node)] + h.index));
  return heads;
}

TEST(model_examples, load_validate_and_run_on_the_reference) {
  for (const char* name : kExamples) {
    SCOPED_TRACE(name);
    const Example e = load_example(name);
    Runtime rt(e.model, reference_backend());
    const Tensor input = make_input(*e.model, e.input.shape, e.input.data);
    const std::vector<Tensor> heads = rt.run(input);
    EXPECT_EQ(heads.size(), e.model->graph().heads.size());
    // The bundled inputs are already within the input precision.
    EXPECT_EQ(input.data, e.input.data);
    // The C API's byte path gives the output length the model announces.
    EXPECT_EQ(rt.infer_bytes(input_bytes(e)).size(), e.model->output_length());
  }
}

TEST(model_examples, engine_heads_equal_op_by_op_evaluation) {
  for (const char* name : kExamples) {
    SCOPED_TRACE(name);
    const Example e = load_example(name);
    const std::vector<Tensor> expected = evaluate_op_by_op(e);
    Runtime rt(e.model, reference_backend());
    const Tensor input = make_input(*e.model, e.input.shape, e.input.data);
    for (int run = 0; run < 2; ++run) {  // a second run: nothing carried over
      const std::vector<Tensor> heads = rt.run(input);
      ASSERT_EQ(heads.size(), expected.size());
      for (size_t k = 0; k < heads.size(); ++k)
        EXPECT_EQ(describe_difference(expected[k], heads[k]), "")
            << "run " << run << ", head " << k;
    }
  }
}

TEST(model_examples, generator_reproduces_the_committed_files) {
  const fs::path dir = fs::path(::testing::TempDir()) /
                       ("cvm_model_examples_" + std::to_string(static_cast<long>(getpid())));
  fs::remove_all(dir);
  examples::write_examples(dir.string());
  for (const char* name : kExamples)
    for (const char* file : {"symbol", "params", "input.npy"}) {
      const std::string committed = read_file(example_path(name, file));
      const std::string generated = read_file((dir / name / file).string());
      EXPECT_TRUE(committed == generated)
          << "examples/" << name << "/" << file << " differs from the generator's output ("
          << committed.size() << " vs " << generated.size()
          << " bytes); regenerate with cvm_make_examples examples";
    }
  fs::remove_all(dir);

  // The seed reaches the weights: another seed changes the params (and only
  // the MNIST model has any), the same seed gives the same bytes.
  const examples::ExampleModel a = examples::make_mnist_cnn(examples::kDefaultSeed);
  const examples::ExampleModel b = examples::make_mnist_cnn(examples::kDefaultSeed);
  const examples::ExampleModel c = examples::make_mnist_cnn(examples::kDefaultSeed + 1);
  EXPECT_EQ(a.params, b.params);
  EXPECT_EQ(a.symbol, b.symbol);
  EXPECT_NE(a.params, c.params);
}

TEST(model_examples, splitmix64_is_the_published_sequence) {
  // splitmix64 from seed 0: the first outputs of the reference implementation
  // (Vigna, splitmix64.c).
  examples::SplitMix64 rng(0);
  EXPECT_EQ(rng.next(), 0xE220A8397B1DCDAFULL);
  EXPECT_EQ(rng.next(), 0x6E789E6AA1B965F4ULL);
  EXPECT_EQ(rng.next(), 0x06C45D188009454FULL);
}

// Gas (spec/model/gas.rst): every variable and operator output charges 5 per
// element (mem); every operator node charges its gas weight times |S_0| (ops).
//
// mnist_cnn, element counts of every entry:
//   data (1,1,28,28) 784, conv2d_0_weight (8,1,3,3) 72, conv2d_0_bias 8,
//   conv2d_0 (1,8,28,28) 6272, cvm_right_shift_1 6272, relu_2 6272,
//   max_pool2d_3 (1,8,14,14) 1568, conv2d_4_weight (16,8,3,3) 1152,
//   conv2d_4_bias 16, conv2d_4 (1,16,14,14) 3136, cvm_right_shift_5 3136,
//   relu_6 3136, max_pool2d_7 (1,16,7,7) 784, flatten_8 (1,784) 784,
//   dense_9_weight (10,784) 7840, dense_9_bias 10, dense_9 (1,10) 10,
//   cvm_right_shift_10 (1,10) 10
//   sum = 41262, mem = 5 * 41262 = 206310.
// ops:
//   conv2d_0: K = 1*3*3 = 9, weight 3*9+1 = 28, 28 * 6272 = 175616
//   cvm_right_shift_1, relu_2: 1 * 6272 each = 12544
//   max_pool2d_3: 2*2 = 4, 4 * 1568 = 6272
//   conv2d_4: K = 8*3*3 = 72, weight 3*72+1 = 217, 217 * 3136 = 680512
//   cvm_right_shift_5, relu_6: 1 * 3136 each = 6272
//   max_pool2d_7: 4 * 784 = 3136
//   flatten_8: 1 * 784 = 784
//   dense_9: K = 784, weight 3*784+1 = 2353, 2353 * 10 = 23530
//   cvm_right_shift_10: 1 * 10 = 10
//   sum = 175616 + 12544 + 6272 + 680512 + 6272 + 3136 + 784 + 23530 + 10 = 908676.
// gas = 206310 + 908676 = 1114986.
// Storage size: every entry has its own storage id, 4 * 41262 = 165048 bytes.
//
// detection:
//   mem: data (1,8,6) 48; get_valid_counts_0 outputs (1) 1 and (1,8,6) 48;
//        non_max_suppression_1 48; strided_slice_2, strided_slice_3 and
//        elemwise_sub_4 (1,8,2) 16 each: 5 * (48 + 49 + 48 + 48) = 965
//   ops: get_valid_counts_0 1 * |valid_count| = 1; non_max_suppression_1
//        20*B = 20, 20 * 48 = 960; the slices and the subtraction 1 * 16 each:
//        1 + 960 + 48 = 1009
//   gas = 965 + 1009 = 1974; storage size 4 * (48 + 49 + 48 + 48) = 772.
TEST(model_examples, gas_and_storage_size) {
  const Example mnist = load_example("mnist_cnn");
  EXPECT_EQ(mnist.model->gas(), 1114986u);
  EXPECT_EQ(mnist.model->storage_size(), 165048u);
  const Example det = load_example("detection");
  EXPECT_EQ(det.model->gas(), 1974u);
  EXPECT_EQ(det.model->storage_size(), 772u);
}

// Input and output (spec/model/load.rst, inference.rst):
// mnist_cnn: p_in = 8 -> width 1, length 784 * 1 = 784 bytes. One head (1, 10),
//   argmax -> width 4, R_0 = 10 / 10 = 1 row, length 4 * 1 = 4 bytes.
// detection: p_in = 16 -> width 4, length 48 * 4 = 192 bytes. Heads (1, 8, 6)
//   and (1, 8, 2), detection -> width 4, R_0 = 48 / 6 = 8 = 16 / 2 rows,
//   R_0 * (6 + 2) = 64 elements, length 256 bytes.
TEST(model_examples, input_and_output_lengths_and_widths) {
  const Example mnist = load_example("mnist_cnn");
  EXPECT_EQ(mnist.model->input_width(), 1);
  EXPECT_EQ(mnist.model->input_length(), 784u);
  EXPECT_EQ(mnist.model->output_width(), 4);
  EXPECT_EQ(mnist.model->output_length(), 4u);
  EXPECT_EQ(mnist.input.dtype, NpyDtype::kInt8);
  const Example det = load_example("detection");
  EXPECT_EQ(det.model->input_width(), 4);
  EXPECT_EQ(det.model->input_length(), 192u);
  EXPECT_EQ(det.model->output_width(), 4);
  EXPECT_EQ(det.model->output_length(), 256u);
  EXPECT_EQ(det.input.dtype, NpyDtype::kInt32);
}

// Memory plan (spec/model/load.rst):
// mnist_cnn is a chain, so its 11 operator outputs alternate between two slots
// of 6272 elements (conv2d_0 gets slot 0, cvm_right_shift_1 slot 1 as slot 0 is
// being read, relu_2 slot 0 again, ...). Memory 4 * (params 72 + 8 + 1152 +
// 16 + 7840 + 10 = 9098, input 784, slots 2 * 6272, output 10) = 89744 bytes.
// detection: get_valid_counts_0 takes new slots 0 (1 element) and 1 (48);
// non_max_suppression_1 a new slot 2 (48), then slots 0 and 1 are freed;
// strided_slice_2 takes slot 1 (the smallest free one that fits);
// strided_slice_3 finds only slot 0 free, too small, and grows it to 16;
// elemwise_sub_4 finds none free and takes a new slot 3 (16). Slots 16, 48,
// 48, 16; memory 4 * (params 0, input 48, slots 128, outputs 48 + 16) = 960.
TEST(model_examples, memory_plan_reuses_slots) {
  const Example mnist = load_example("mnist_cnn");
  EXPECT_EQ(mnist.model->plan().slot_elements, (std::vector<int64_t>{6272, 6272}));
  EXPECT_EQ(mnist.model->plan().bytes(), 89744);
  const Example det = load_example("detection");
  EXPECT_EQ(det.model->plan().slot_elements, (std::vector<int64_t>{16, 48, 48, 16}));
  EXPECT_EQ(det.model->plan().bytes(), 960);
}

TEST(model_examples, requantization_keeps_conv_and_dense_inputs_at_precision_8) {
  // Every conv2d/dense reads tensors of precision <= 8 (checked by load) and
  // every shift is at most p_in - 8, the amount that can never saturate.
  const Example mnist = load_example("mnist_cnn");
  const ModelGraph& g = mnist.model->graph();
  int shifts = 0;
  for (const ModelNode& n : g.nodes) {
    if (n.is_variable() || n.op->name != "cvm_right_shift") continue;
    ++shifts;
    const int p_in = g.entries[static_cast<size_t>(n.inputs[0])].precision;
    EXPECT_EQ(n.attr_map.at("precision"), "8") << n.name;
    const int shift = std::stoi(n.attr_map.at("shift_bit"));
    EXPECT_GE(shift, 1) << n.name;
    EXPECT_LE(shift, p_in - 8) << n.name;
  }
  EXPECT_EQ(shifts, 3);
  // The head has precision 8, so argmax compares true values, not int8 wraps.
  EXPECT_EQ(g.entries[static_cast<size_t>(g.heads[0])].precision, 8);
}

TEST(model_examples, mnist_output_is_the_argmax_class) {
  const Example e = load_example("mnist_cnn");
  Runtime rt(e.model, reference_backend());
  const std::vector<int32_t> out = decode_int32(rt.infer_bytes(input_bytes(e)));
  ASSERT_EQ(out.size(), 1u);
  EXPECT_GE(out[0], 0);
  EXPECT_LT(out[0], 10);
  // The first maximum of the 10 scores (the head has precision 8: plain max).
  const Tensor head = rt.run(make_input(*e.model, e.input.shape, e.input.data))[0];
  ASSERT_EQ(head.shape, (Shape{1, 10}));
  int32_t best = 0;
  for (int32_t j = 1; j < 10; ++j)
    if (head.data[static_cast<size_t>(j)] > head.data[static_cast<size_t>(best)]) best = j;
  EXPECT_EQ(out[0], best);
}

TEST(model_examples, detection_output_interleaves_boxes_and_sizes) {
  const Example e = load_example("detection");
  Runtime rt(e.model, reference_backend());
  const std::vector<int32_t> out = decode_int32(rt.infer_bytes(input_bytes(e)));
  ASSERT_EQ(out.size(), 64u);
  // spec/model/inference.rst: for each row r < 8, the 6 values of row r of
  // head 0, then the 2 values of row r of head 1.
  const std::vector<Tensor> heads = rt.run(make_input(*e.model, e.input.shape, e.input.data));
  ASSERT_EQ(heads.size(), 2u);
  ASSERT_EQ(heads[0].shape, (Shape{1, 8, 6}));
  ASSERT_EQ(heads[1].shape, (Shape{1, 8, 2}));
  std::vector<int32_t> interleaved;
  for (size_t r = 0; r < 8; ++r) {
    const auto boxes = heads[0].data.begin() + static_cast<std::ptrdiff_t>(6 * r);
    const auto sizes = heads[1].data.begin() + static_cast<std::ptrdiff_t>(2 * r);
    interleaved.insert(interleaved.end(), boxes, boxes + 6);
    interleaved.insert(interleaved.end(), sizes, sizes + 2);
  }
  EXPECT_EQ(out, interleaved);

  // By hand from the get_valid_counts and non_max_suppression pages:
  // score > 10 keeps every row but row 5 (score 8), count 7. By score: rows 0
  // (92), 1 (85), 2 (80), 7 (78), 6 (70), 3 (60), 4 (55). Row 0 kept; row 1,
  // same class: I = 110 * 130 = 14300, U = 2 * 16800 - 14300 = 19300, IOU =
  // 1430000 quot 19300 = 74 >= 50, suppressed; row 2 is class 1, kept; row 7
  // vs row 2: I = 115 * 135 = 15525, U = 18075, IOU = 85, suppressed; row 6
  // has class -1, skipped; row 3 overlaps nothing, kept; row 4 vs row 0:
  // I = 40 * 60 = 2400, U = 31200, IOU = 7, kept. Then 4 rows of -1, whose
  // sizes are (-1) - (-1) = 0.
  const std::vector<int32_t> expected = {
      0, 92, 100, 120, 220, 260, 120, 140,  //
      1, 80, 120, 140, 240, 280, 120, 140,  //
      0, 60, 400, 100, 520, 300, 120, 200,  //
      0, 55, 180, 200, 300, 340, 120, 140,  //
      -1, -1, -1, -1, -1, -1, 0, 0,         //
      -1, -1, -1, -1, -1, -1, 0, 0,         //
      -1, -1, -1, -1, -1, -1, 0, 0,         //
      -1, -1, -1, -1, -1, -1, 0, 0,
  };
  EXPECT_EQ(out, expected);
}

}  // namespace
}  // namespace cvm::oracle
