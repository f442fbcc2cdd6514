// Loads MODEL_DIR/{symbol,params} through the C++ API (cvm::cvm), runs it on
// the fast backend with the input pattern, writes that input to INPUT_NPY
// (for the installed `cvm run`) and prints the gas and the output bytes as
// hex, in the C API's layout (little-endian elements of the output width).
#include <cstdint>
#include <cstdio>
#include <exception>

#include "cvm/backend.h"
#include "cvm/errors.h"
#include "cvm/model.h"
#include "cvm/npy.h"
#include "cvm/runtime.h"
#include "input_pattern.h"

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: cpp_consumer MODEL_DIR INPUT_NPY\n");
    return 2;
  }
  try {
    const std::string dir = argv[1];
    auto model = cvm::Model::load_files(dir + "/symbol", dir + "/params");
    cvm::Tensor input;
    input.shape = model->input_type().shape;
    input.precision = model->input_type().precision;
    input.data.resize(static_cast<size_t>(cvm::shape_size(input.shape)));
    for (size_t i = 0; i < input.data.size(); ++i) input.data[i] = consumer_input_value(i);
    cvm::write_npy(argv[2], cvm::NpyArray{input.shape, model->input_width() == 1 ? cvm::NpyDtype::kInt8
                                                                                  : cvm::NpyDtype::kInt32,
                                          input.data});

    cvm::Runtime runtime(model, cvm::fast_backend());
    const cvm::OutputValues out = cvm::postprocess(*model, runtime.run(input));
    std::printf("gas %llu\noutput ", static_cast<unsigned long long>(model->gas()));
    for (int32_t v : out.data) {
      const auto u = static_cast<uint32_t>(v);
      for (int b = 0; b < model->output_width(); ++b) std::printf("%02x", (u >> (8 * b)) & 0xffu);
    }
    std::printf("\n");
  } catch (const std::exception& e) {
    std::fprintf(stderr, "cpp_consumer: %s\n", e.what());
    return 1;
  }
  return 0;
}
