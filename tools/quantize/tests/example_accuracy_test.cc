// The committed Fashion-MNIST examples (examples/fashion_mnist/): their
// integer accuracy on the 10000 test images is reproduced exactly with the
// committed symbol and params, stays within 1 percentage point of the float
// model, is the same on the reference and fast backends, and re-quantizing
// the committed ONNX model gives the committed files byte for byte.
//
// The images come from Debian's dataset-fashion-mnist (installed by
// tools/bootstrap.sh); without it the tests skip, saying so.
#include <gtest/gtest.h>
#include <zlib.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "cvm/backend.h"
#include "cvm/certify.h"
#include "cvm/model.h"
#include "cvm/runtime.h"
#include "tools/quantize/evaluate.h"
#include "tools/quantize/lower.h"
#include "tools/quantize/quantize.h"

namespace cvm::quant {
namespace {

const std::filesystem::path kDataset = "/usr/share/datasets/fashion-mnist";
const std::filesystem::path kExamples = std::filesystem::path(CVM_SOURCE_DIR) / "examples" / "fashion_mnist";

std::string gunzip(const std::filesystem::path& path) {
  gzFile f = gzopen(path.c_str(), "rb");
  if (f == nullptr) throw std::runtime_error("cannot open " + path.string());
  std::string out;
  char buf[1 << 16];
  int n;
  while ((n = gzread(f, buf, sizeof buf)) > 0) out.append(buf, static_cast<size_t>(n));
  gzclose(f);
  return out;
}

uint32_t be32(const std::string& s, size_t at) {
  uint32_t v = 0;
  for (size_t i = 0; i < 4; ++i) v = (v << 8) | static_cast<unsigned char>(s[at + i]);
  return v;
}

// IDX images as floats pixel / 255 (as examples/fashion_mnist/prepare_data.py
// computes them: in double, rounded once to float32), shape (N, 1, 28, 28).
FTensor read_images(const std::string& file, int64_t limit) {
  const std::string s = gunzip(kDataset / file);
  if (s.size() < 16 || be32(s, 0) != 0x803) throw std::runtime_error(file + ": not IDX images");
  const int64_t n = std::min<int64_t>(be32(s, 4), limit), rows = be32(s, 8), cols = be32(s, 12);
  FTensor t{{n, 1, rows, cols}, std::vector<float>(static_cast<size_t>(n * rows * cols))};
  for (size_t i = 0; i < t.data.size(); ++i)
    t.data[i] = static_cast<float>(static_cast<unsigned char>(s[16 + i]) / 255.0);
  return t;
}

std::vector<int64_t> read_labels(const std::string& file) {
  const std::string s = gunzip(kDataset / file);
  if (s.size() < 8 || be32(s, 0) != 0x801) throw std::runtime_error(file + ": not IDX labels");
  std::vector<int64_t> out;
  for (size_t i = 8; i < s.size(); ++i) out.push_back(static_cast<unsigned char>(s[i]));
  return out;
}

std::string slurp(const std::filesystem::path& p) {
  std::ifstream f(p, std::ios::binary);
  std::ostringstream s;
  s << f.rdbuf();
  return s.str();
}

class FashionMnistExample : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    if (!std::filesystem::exists(kDataset / "t10k-images-idx3-ubyte.gz"))
      GTEST_SKIP() << "Debian package dataset-fashion-mnist is not installed (" << kDataset << ")";
    dir_ = kExamples / GetParam();
    report_ = nlohmann::json::parse(slurp(dir_ / "report.json"));
    model_ = Model::load_files((dir_ / "symbol").string(), (dir_ / "params").string());
  }
  std::filesystem::path dir_;
  nlohmann::json report_;
  std::shared_ptr<const Model> model_;
};

TEST_P(FashionMnistExample, integer_accuracy_is_reproduced_and_within_one_point_of_float) {
  const FTensor images = read_images("t10k-images-idx3-ubyte.gz", 10000);
  const std::vector<int64_t> labels = read_labels("t10k-labels-idx1-ubyte.gz");
  ASSERT_EQ(images.shape[0], 10000);
  FloatGraph unused;
  unused.input_shape = model_->input_type().shape;
  const Accuracy a = evaluate(unused, model_, fast_backend(), report_.at("input").at("scale").get<double>(),
                              images, labels, /*run_float_model=*/false);
  EXPECT_EQ(a.samples, 10000);
  EXPECT_DOUBLE_EQ(a.int_accuracy(), report_.at("int_accuracy").get<double>());
  EXPECT_LE(report_.at("float_accuracy").get<double>() - a.int_accuracy(), 0.01);
  EXPECT_GE(a.int_accuracy(), 0.85) << "a Fashion-MNIST classifier this weak is not a useful example";
  EXPECT_TRUE(certify(*model_).certified);
}

TEST_P(FashionMnistExample, reference_and_fast_backends_agree_bit_for_bit) {
  const FTensor images = read_images("t10k-images-idx3-ubyte.gz", 32);
  const double scale = report_.at("input").at("scale").get<double>();
  const TensorType in = model_->input_type();
  Runtime ref(model_, reference_backend()), fast(model_, fast_backend());
  for (int64_t i = 0; i < images.shape[0]; ++i) {
    const Tensor x{in.shape, in.precision, quantize_input(slice_samples(images, i, 1), scale, in.precision)};
    EXPECT_EQ(ref.run(x), fast.run(x)) << "sample " << i;
  }
}

TEST_P(FashionMnistExample, requantizing_the_onnx_model_reproduces_the_committed_files) {
  const std::filesystem::path work = std::filesystem::temp_directory_path() /
                                     ("cvm_quantize_example_" + GetParam() + "_" + std::to_string(::getpid()));
  std::filesystem::create_directories(work);
  // The calibration set of examples/fashion_mnist/prepare_data.py: the first
  // 1000 training images, written as float32 .npy.
  const FTensor calib = read_images("train-images-idx3-ubyte.gz",
                                    report_.at("calibration").at("samples").get<int64_t>());
  {
    std::ofstream f(work / "calib.npy", std::ios::binary);
    std::string header = "{'descr': '<f4', 'fortran_order': False, 'shape': (" + std::to_string(calib.shape[0]) +
                         ", 1, 28, 28), }";
    header.append(64 - (10 + header.size() + 1) % 64, ' ');
    header += '\n';
    f.write("\x93NUMPY\x01\x00", 8);
    const auto len = static_cast<uint16_t>(header.size());
    f.put(static_cast<char>(len & 0xff));
    f.put(static_cast<char>(len >> 8));
    f << header;
    f.write(reinterpret_cast<const char*>(calib.data.data()), static_cast<std::streamsize>(calib.data.size() * 4));
  }
  QuantizeJob job;
  job.onnx_path = (kExamples / (GetParam() + ".onnx")).string();
  job.calibration_path = (work / "calib.npy").string();
  job.output_dir = (work / "out").string();
  const QuantizeResult r = quantize(job, [](const std::string&) {});
  EXPECT_TRUE(r.certified);
  // (Compared as booleans: a failure would otherwise print both files.)
  EXPECT_TRUE(slurp(work / "out" / "symbol") == slurp(dir_ / "symbol"))
      << "symbol differs; regenerate with examples/fashion_mnist/reproduce.sh (SKIP_TRAIN=1) if intended";
  EXPECT_TRUE(slurp(work / "out" / "params") == slurp(dir_ / "params")) << "params differ";
  std::filesystem::remove_all(work);
}

INSTANTIATE_TEST_SUITE_P(examples, FashionMnistExample, ::testing::Values("cnn", "resnet"));

}  // namespace
}  // namespace cvm::quant
