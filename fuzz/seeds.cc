// Seed corpora of the fuzz targets: the bundled examples (read from the
// source tree) and a few small models from the random model generator, all
// deterministic, so the corpus is generated at build time and never
// committed (fuzz/CMakeLists.txt, fuzz/build.sh).
#include <cstring>

#include "cvm/model.h"
#include "cvm/npy.h"
#include "fuzz/model_input.h"
#include "fuzz/target.h"
#include "gen/chooser.h"
#include "gen/random_model.h"

namespace cvm::fuzz {
namespace {

const char* const kExamples[] = {"mnist_cnn", "detection"};

std::string example_file(const std::string& source_dir, const char* example, const char* file) {
  return read_file(source_dir + "/examples/" + example + "/" + file);
}

// Small random models: the generator's seeds 1..n.
std::vector<gen::RandomModel> random_models(int n) {
  std::vector<gen::RandomModel> models;
  for (int seed = 1; seed <= n; ++seed) {
    gen::SeededChooser c(static_cast<uint64_t>(seed));
    gen::RandomModelOptions options;
    options.max_ops = 6;
    options.max_elements = 256;
    options.max_work = 1 << 12;
    models.push_back(gen::random_model(c, options));
  }
  return models;
}

// Input values as the C API takes them: one byte (int8) or four
// little-endian bytes (int32) per element, by the model's input width.
std::string input_bytes(const std::string& symbol, const std::string& params,
                        const std::vector<int32_t>& values) {
  const auto model = Model::load(symbol, params);
  std::string bytes;
  for (int32_t v : values) {
    if (model->input_width() == 1) {
      bytes.push_back(static_cast<char>(v));
    } else {
      const auto u = static_cast<uint32_t>(v);
      for (int k = 0; k < 4; ++k) bytes.push_back(static_cast<char>((u >> (8 * k)) & 0xFF));
    }
  }
  return bytes;
}

}  // namespace

std::vector<std::string> seeds_graph_json(const std::string& source_dir) {
  std::vector<std::string> seeds;
  for (const char* e : kExamples) seeds.push_back(example_file(source_dir, e, "symbol"));
  for (const gen::RandomModel& m : random_models(8)) seeds.push_back(m.symbol);
  return seeds;
}

std::vector<std::string> seeds_params(const std::string& source_dir) {
  std::vector<std::string> seeds;
  for (const char* e : kExamples) seeds.push_back(example_file(source_dir, e, "params"));
  for (const gen::RandomModel& m : random_models(8)) seeds.push_back(m.params);
  return seeds;
}

std::vector<std::string> seeds_npy(const std::string& source_dir) {
  std::vector<std::string> seeds;
  for (const char* e : kExamples) seeds.push_back(example_file(source_dir, e, "input.npy"));
  seeds.push_back(serialize_npy(NpyArray{{2, 3}, NpyDtype::kInt8, {-128, -1, 0, 1, 2, 127}}));
  seeds.push_back(serialize_npy(NpyArray{{1, 2, 1, 2}, NpyDtype::kInt32, {INT32_MIN, -1, 1, INT32_MAX}}));
  // The other element types the readers take: big-endian int16, uint64,
  // bool, and float32 / big-endian float64 (the quantizer's reader).
  const auto file = [](const std::string& dict, const std::string& data) {
    std::string out("\x93NUMPY\x01\x00", 8);
    out += static_cast<char>(dict.size() & 0xff);
    out += static_cast<char>(dict.size() >> 8);
    return out + dict + data;
  };
  const auto dict = [](const char* descr, const char* shape) {
    return std::string("{'descr': '") + descr + "', 'fortran_order': False, 'shape': " + shape + ", }\n";
  };
  seeds.push_back(file(dict(">i2", "(2,)"), std::string("\x80\x00\x7f\xff", 4)));
  seeds.push_back(file(dict("<u8", "(1,)"), std::string("\xff\xff\xff\x7f\x00\x00\x00\x00", 8)));
  seeds.push_back(file(dict("|b1", "(3,)"), std::string("\x01\x00\x01", 3)));
  seeds.push_back(file(dict("<f4", "(2,)"), std::string("\x00\x00\xc0\x3f\x00\x00\x80\xbe", 8)));
  seeds.push_back(file(dict(">f8", "(1,)"), std::string("\x3f\xf8\x00\x00\x00\x00\x00\x00", 8)));
  return seeds;
}

std::vector<std::string> seeds_model(const std::string& source_dir) {
  std::vector<std::string> seeds;
  for (const char* e : kExamples) {
    const std::string symbol = example_file(source_dir, e, "symbol");
    const std::string params = example_file(source_dir, e, "params");
    const NpyArray input = parse_npy(example_file(source_dir, e, "input.npy"), e);
    seeds.push_back(join_model_input(symbol, params, input_bytes(symbol, params, input.data)));
  }
  for (const gen::RandomModel& m : random_models(8))
    seeds.push_back(join_model_input(m.symbol, m.params, input_bytes(m.symbol, m.params, m.input.data)));
  return seeds;
}

std::vector<std::string> seeds_random_bytes(const std::string&) {
  std::vector<std::string> seeds;
  for (uint64_t seed = 1; seed <= 24; ++seed) {
    gen::SeededChooser c(seed);
    std::string s(static_cast<size_t>(16 << (seed % 6)), '\0');
    for (char& b : s) b = static_cast<char>(c.range(0, 255));
    seeds.push_back(std::move(s));
  }
  return seeds;
}

}  // namespace cvm::fuzz
