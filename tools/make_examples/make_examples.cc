// The example generator: builds the bundled example models with the graph
// builder and writes them with cvm's own writers (symbol, params, .npy).
//
// Regenerating
// ------------
//
//   cmake --build build --target cvm_make_examples
//   build/tools/make_examples/cvm_make_examples examples            # default seed
//   build/tools/make_examples/cvm_make_examples --seed 7 /tmp/ex    # another seed
//
// writes OUTDIR/mnist_cnn/{symbol,params,input.npy} and
// OUTDIR/detection/{symbol,params,input.npy}. The output depends on the seed
// only: the PRNG is splitmix64, defined in this file (not a <random>
// distribution, whose output is implementation-defined), every draw happens
// in a fixed order, and every calibration step is exact integer arithmetic on
// the reference kernels. The oracle test model_examples_test.cc regenerates
// with the default seed and compares the bytes with the committed files.
//
// The models
// ----------
//
// mnist_cnn: an MNIST-sized classifier, quantized the way upstream's
// compiler (MRT) emits models. Input `data` (1, 1, 28, 28) at precision 8.
//
//   conv2d_0         8 filters 3x3, padding 1, bias        -> (1, 8, 28, 28)
//   cvm_right_shift_1 precision 8                          -> (1, 8, 28, 28)
//   relu_2                                                 -> (1, 8, 28, 28)
//   max_pool2d_3     2x2, stride 2                         -> (1, 8, 14, 14)
//   conv2d_4         16 filters 3x3, padding 1, bias       -> (1, 16, 14, 14)
//   cvm_right_shift_5 precision 8                          -> (1, 16, 14, 14)
//   relu_6                                                 -> (1, 16, 14, 14)
//   max_pool2d_7     2x2, stride 2                         -> (1, 16, 7, 7)
//   flatten_8                                              -> (1, 784)
//   dense_9          10 units, bias                        -> (1, 10)
//   cvm_right_shift_10 precision 8                         -> (1, 10)   the head
//
// postprocess "argmax": the output is the index of the largest of the 10
// scores. Weights are uniform in [-127, 127] (precision 8, stored as int8),
// biases uniform in [-1023, 1023] (precision 11, stored as int32). The input
// is a hand-drawn-looking "7": integer line segments stamped with a soft
// 3x3 brush, intensities up to 127 with a little PRNG jitter, 0 elsewhere.
//
// Requantization. conv2d and dense need inputs of precision <= 8; their
// outputs have precision 21 (conv2d_0), 24 (conv2d_4) and 27 (dense_9) by the
// precision rules. Each is followed by cvm_right_shift with precision 8, whose
// output precision is that attribute (its clip saturates anything larger), so
// every conv2d/dense input has precision 8 whatever the shift. The shift is
//
//   shift_bit = max(1, min(p_in - 8, bits(m) - 7))
//
// where p_in is the inferred precision of the shifted tensor (read with
// GraphBuilder::type()) and m the largest magnitude it takes on the bundled
// input (calibration.h, which the ResNet-18 generator resnet18.cc uses too).
// p_in - 8 alone can never saturate, for any input, but the precision
// rules are worst-case bounds (all K terms at full magnitude, plus the
// power-of-two and bias bits), about 2^6 looser than real activations: with
// it the second convolution's outputs would all round to 0 and the classifier
// would only see its biases. bits(m) - 7 is the calibration upstream's
// quantizer does: the smallest shift that maps the observed range into
// [-127, 127]; other inputs may saturate, which is what the clip is for.
// The final shift after dense_9 is there for the argmax: upstream compares
// the int8-truncated head values (spec/model/inference.rst, Quirk), which is
// the true maximum only for a head of precision <= 8.
//
// detection: the tail of an object detector. Input `data` (1, 8, 6) at
// precision 16: 8 candidate boxes [class_id, score, x1, y1, x2, y2] (score a
// percent, corners in pixels of a 640x480 image), written out below.
//
//   get_valid_counts_0     score_threshold 10   -> valid_count (1), boxes (1, 8, 6)
//   non_max_suppression_1  iou_threshold 50, per class, no top_k or output limit
//                                               -> (1, 8, 6)        head 0
//   strided_slice_2        columns 4..5 (x2, y2) -> (1, 8, 2)
//   strided_slice_3        columns 2..3 (x1, y1) -> (1, 8, 2)
//   elemwise_sub_4         (x2 - x1, y2 - y1)     -> (1, 8, 2)       head 1
//
// postprocess "detection" needs at least two heads with equal row counts
// (infer_c2): head 0 has 8 rows of 6, head 1 8 rows of 2, so the output is 8
// rows [class_id, score, x1, y1, x2, y2, width, height]: the kept boxes, best
// first, with their sizes, then rows of -1 with size (0, 0). No parameters, so
// its params file is the empty list.
#include "make_examples.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <utility>

#include "calibration.h"

#include "cvm/errors.h"
#include "cvm/graph_builder.h"
#include "cvm/npy.h"
#include "cvm/params.h"

namespace cvm::examples {

uint64_t SplitMix64::next() {
  state_ += 0x9E3779B97F4A7C15ULL;
  uint64_t z = state_;
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

int32_t SplitMix64::uniform(int32_t lo, int32_t hi) {
  const uint64_t span = static_cast<uint64_t>(int64_t{hi} - int64_t{lo}) + 1;
  return static_cast<int32_t>(int64_t{lo} + static_cast<int64_t>(next() % span));
}

namespace {

// A graph under construction together with the value of every entry on the
// bundled input, so that shifts can be calibrated as the graph grows
// (calibration.h). Values come from the reference kernels (run_reference),
// the spec's own arithmetic.
class Net {
 public:
  EntryRef variable(const std::string& name, Tensor value, int bits_in_file) {
    const EntryRef e = b_.variable(name, value.shape, value.precision);
    if (name != "data") params_.push_back(ParamArray{name, bits_in_file, value.shape, value.data});
    values_.set(e, std::move(value));
    return e;
  }

  // Adds an operator node named `<op>_<n>` (func_name and node name alike, as
  // upstream's compiler writes them; n counts operator nodes from 0).
  std::vector<EntryRef> op(const std::string& op_name, const std::vector<EntryRef>& inputs,
                           const AttrMap& attrs = {}) {
    const std::string name = op_name + "_" + std::to_string(op_count_++);
    const std::vector<EntryRef> outs = b_.op(name, name, inputs, attrs);
    values_.run(op_name, attrs, inputs, outs);
    return outs;
  }
  EntryRef op1(const std::string& op_name, const std::vector<EntryRef>& inputs,
               const AttrMap& attrs = {}) {
    return op(op_name, inputs, attrs).at(0);
  }

  // cvm_right_shift to precision 8 with the shift documented at the top.
  EntryRef requantize(EntryRef x) {
    const int shift = values_.shift(x, b_.type(x).precision);
    return op1("cvm_right_shift", {x}, {{"precision", "8"}, {"shift_bit", std::to_string(shift)}});
  }

  // The name the next operator node gets when it is `op_name`.
  std::string next_name(const std::string& op_name) const {
    return op_name + "_" + std::to_string(op_count_);
  }

  GraphBuilder& builder() { return b_; }
  const std::vector<ParamArray>& params() const { return params_; }

 private:
  GraphBuilder b_;
  EntryValues values_{reference_runner()};
  std::vector<ParamArray> params_;
  int op_count_ = 0;
};

Tensor random_tensor(SplitMix64& rng, const Shape& shape, int precision, int32_t magnitude) {
  Tensor t{shape, precision, {}};
  t.data.resize(static_cast<size_t>(shape_size(shape)));
  for (int32_t& v : t.data) v = rng.uniform(-magnitude, magnitude);
  return t;
}

// The "7": a short lead-in, the top bar and the long diagonal, each drawn with
// Bresenham's line algorithm and a 3x3 brush (full intensity at the centre and
// its 4 neighbours, 3/8 on the diagonal neighbours, never lowering a pixel).
Tensor draw_seven(SplitMix64& rng) {
  constexpr int kSide = 28;
  Tensor img{{1, 1, kSide, kSide}, 8, std::vector<int32_t>(kSide * kSide, 0)};
  auto stamp = [&](int x, int y, int32_t v) {
    for (int dy = -1; dy <= 1; ++dy)
      for (int dx = -1; dx <= 1; ++dx) {
        const int px = x + dx;
        const int py = y + dy;
        if (px < 0 || px >= kSide || py < 0 || py >= kSide) continue;
        const int32_t w = (dx != 0 && dy != 0) ? v * 3 / 8 : v;
        int32_t& cell = img.data[static_cast<size_t>(py * kSide + px)];
        cell = std::max(cell, w);
      }
  };
  auto line = [&](int x0, int y0, int x1, int y1) {
    const int dx = x1 > x0 ? x1 - x0 : x0 - x1;
    const int dy = -(y1 > y0 ? y1 - y0 : y0 - y1);
    const int sx = x0 < x1 ? 1 : -1;
    const int sy = y0 < y1 ? 1 : -1;
    int err = dx + dy;
    for (;;) {
      stamp(x0, y0, rng.uniform(108, 127));
      if (x0 == x1 && y0 == y1) break;
      const int e2 = 2 * err;
      if (e2 >= dy) { err += dy; x0 += sx; }
      if (e2 <= dx) { err += dx; y0 += sy; }
    }
  };
  line(6, 9, 7, 7);     // lead-in, pen coming down on the paper
  line(7, 7, 21, 6);    // top bar, rising slightly
  line(21, 6, 17, 14);  // diagonal, steep at first ...
  line(17, 14, 13, 24); // ... then a little steeper towards the bottom
  return img;
}

std::string npy_bytes(const Tensor& t, NpyDtype dtype) {
  return serialize_npy(NpyArray{t.shape, dtype, t.data});
}

}  // namespace

ExampleModel make_mnist_cnn(uint64_t seed) {
  // One stream per model, so that changing one model never shifts the draws
  // of the other. The input is drawn first, then the weights layer by layer.
  SplitMix64 rng(seed ^ 0x6D6E6973745F636EULL);  // "mnist_cn"
  Net net;
  const Tensor image = draw_seven(rng);
  EntryRef x = net.variable("data", image, 8);

  // conv2d_0 + requantize + relu + pool.
  std::string name = net.next_name("conv2d");  // conv2d_0
  const EntryRef w0 = net.variable(name + "_weight", random_tensor(rng, {8, 1, 3, 3}, 8, 127), 8);
  const EntryRef b0 = net.variable(name + "_bias", random_tensor(rng, {8}, 11, 1023), 32);
  const AttrMap conv_attrs{{"channels", "8"}, {"kernel_size", "(3, 3)"}, {"padding", "(1, 1)"},
                           {"strides", "(1, 1)"}, {"dilation", "(1, 1)"}, {"groups", "1"},
                           {"use_bias", "true"}};
  x = net.op1("conv2d", {x, w0, b0}, conv_attrs);
  x = net.requantize(x);
  x = net.op1("relu", {x});
  const AttrMap pool_attrs{{"pool_size", "(2, 2)"}, {"strides", "(2, 2)"}, {"padding", "(0, 0)"}};
  x = net.op1("max_pool2d", {x}, pool_attrs);

  // conv2d_4 + requantize + relu + pool.
  name = net.next_name("conv2d");  // conv2d_4
  const EntryRef w1 = net.variable(name + "_weight", random_tensor(rng, {16, 8, 3, 3}, 8, 127), 8);
  const EntryRef b1 = net.variable(name + "_bias", random_tensor(rng, {16}, 11, 1023), 32);
  AttrMap conv1_attrs = conv_attrs;
  conv1_attrs["channels"] = "16";
  x = net.op1("conv2d", {x, w1, b1}, conv1_attrs);
  x = net.requantize(x);
  x = net.op1("relu", {x});
  x = net.op1("max_pool2d", {x}, pool_attrs);

  // flatten + dense_9 + requantize: the 10 class scores.
  x = net.op1("flatten", {x});
  name = net.next_name("dense");  // dense_9
  const EntryRef w2 = net.variable(name + "_weight", random_tensor(rng, {10, 784}, 8, 127), 8);
  const EntryRef b2 = net.variable(name + "_bias", random_tensor(rng, {10}, 11, 1023), 32);
  x = net.op1("dense", {x, w2, b2}, {{"units", "10"}, {"use_bias", "true"}});
  x = net.requantize(x);

  net.builder().head(x);
  net.builder().postprocess("argmax");
  return ExampleModel{"mnist_cnn", write_graph_json(net.builder().graph()),
                      write_params(net.params()),
                      npy_bytes(image, NpyDtype::kInt8)};
}

ExampleModel make_detection(uint64_t /*seed*/) {
  // [class_id, score, x1, y1, x2, y2]; what happens to each row:
  const Tensor boxes{{1, 8, 6}, 16, {
      0, 92, 100, 120, 220, 260,  // person, best score: kept
      0, 85, 110, 130, 230, 270,  // same person again: IOU 74 with row 0, suppressed
      1, 80, 120, 140, 240, 280,  // car over the person: another class, kept
      0, 60, 400, 100, 520, 300,  // a second person far away: kept
      0, 55, 180, 200, 300, 340,  // a third person, IOU 7 with row 0: kept
      2, 8, 50, 50, 90, 90,       // score 8 is not > 10: dropped by get_valid_counts
      -1, 70, 300, 300, 360, 380, // class -1 (background): skipped by NMS
      1, 78, 125, 145, 245, 285,  // the car again: IOU 85 with row 2, suppressed
  }};
  Net net;
  const EntryRef data = net.variable("data", boxes, 32);
  const std::vector<EntryRef> counted =
      net.op("get_valid_counts", {data}, {{"score_threshold", "10"}});
  // Inputs: the packed boxes (output 1), then the count (output 0).
  const EntryRef kept = net.op1("non_max_suppression", {counted[1], counted[0]},
                                {{"iou_threshold", "50"},
                                 {"force_suppress", "false"},
                                 {"top_k", "-1"},
                                 {"max_output_size", "-1"},
                                 {"coord_start", "2"},
                                 {"score_index", "1"},
                                 {"id_index", "0"},
                                 {"return_indices", "false"},
                                 {"invalid_to_bottom", "true"}});
  const EntryRef far =
      net.op1("strided_slice", {kept}, {{"begin", "(0, 0, 4)"}, {"end", "(1, 8, 6)"}});
  const EntryRef near =
      net.op1("strided_slice", {kept}, {{"begin", "(0, 0, 2)"}, {"end", "(1, 8, 4)"}});
  const EntryRef size = net.op1("elemwise_sub", {far, near});
  net.builder().head(kept);
  net.builder().head(size);
  net.builder().postprocess("detection");
  return ExampleModel{"detection", write_graph_json(net.builder().graph()),
                      write_params(net.params()),
                      npy_bytes(boxes, NpyDtype::kInt32)};
}

std::vector<ExampleModel> make_examples(uint64_t seed) {
  return {make_mnist_cnn(seed), make_detection(seed)};
}

void write_example(const std::string& outdir, const ExampleModel& m) {
  namespace fs = std::filesystem;
  const fs::path dir = fs::path(outdir) / m.name;
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) throw_runtime("io", str("cannot create directory ", dir.string(), ": ", ec.message()));
  for (const auto& [file, bytes] :
       {std::pair{"symbol", &m.symbol}, std::pair{"params", &m.params},
        std::pair{"input.npy", &m.input_npy}}) {
    const fs::path path = dir / file;
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(bytes->data(), static_cast<std::streamsize>(bytes->size()));
    out.close();
    if (!out) throw_runtime("io", str("cannot write ", path.string()));
  }
}

void write_examples(const std::string& outdir, uint64_t seed) {
  for (const ExampleModel& m : make_examples(seed)) write_example(outdir, m);
}

}  // namespace cvm::examples
