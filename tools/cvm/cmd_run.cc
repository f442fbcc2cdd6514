// cvm run MODEL --input x.npy --output y.npy [--backend NAME] [--heads DIR]
//                [--memory-cap BYTES]
#include <CLI/CLI.hpp>
#include <filesystem>
#include <iostream>
#include <memory>

#include "cvm/npy.h"
#include "cvm/runtime.h"
#include "model_arg.h"
#include "report.h"

namespace cvm::tool {
namespace {

struct RunOptions {
  ModelArg model;
  std::string input;
  std::string output;
  std::string backend = "reference";
  std::string heads_dir;
};

const char* width_text(int width) { return width == 1 ? "1 byte (int8)" : "4 bytes (int32)"; }

int run_command(const RunOptions& o) {
  const Backend& backend = select_backend(o.backend);
  const std::shared_ptr<const Model> model = load_model(o.model);
  Runtime runtime(model, backend);
  const Tensor input = read_input(*model, o.input);
  const std::vector<Tensor> heads = runtime.run(input);
  const OutputValues out = postprocess(*model, heads);

  NpyArray y;
  y.shape = out.shape;
  y.dtype = model->output_width() == 1 ? NpyDtype::kInt8 : NpyDtype::kInt32;
  y.data = out.data;
  write_npy(o.output, y);

  if (!o.heads_dir.empty()) {
    std::filesystem::create_directories(o.heads_dir);
    for (size_t k = 0; k < heads.size(); ++k) {
      NpyArray h;
      h.shape = heads[k].shape;
      h.dtype = heads[k].precision <= 8 ? NpyDtype::kInt8 : NpyDtype::kInt32;
      h.data = heads[k].data;
      write_npy((std::filesystem::path(o.heads_dir) / ("head" + std::to_string(k) + ".npy")).string(),
                h);
    }
  }

  const TensorType& in = model->input_type();
  std::cout << "backend: " << backend.name() << "\n"
            << "input: shape " << shape_str(in.shape) << ", precision " << in.precision
            << ", width " << width_text(model->input_width()) << "\n";
  for (size_t k = 0; k < heads.size(); ++k)
    std::cout << "head " << k << ": shape " << shape_str(heads[k].shape) << ", precision "
              << heads[k].precision << "\n";
  std::cout << "output: shape " << shape_str(out.shape) << ", precision "
            << model->output_precision() << ", width " << width_text(model->output_width())
            << ", postprocess "
            << (model->graph().postprocess_name.empty() ? "(none)" : model->graph().postprocess_name)
            << " -> " << o.output << "\n"
            << "gas: " << model->gas() << "\n"
            << "values: " << values_preview(out.data) << "\n";
  return kExitOk;
}

}  // namespace

Command add_run_command(CLI::App& parent) {
  auto o = std::make_shared<RunOptions>();
  CLI::App* app = parent.add_subcommand(
      "run", "Run one inference: read the input .npy, write the post-processed output .npy.");
  add_model_arg(*app, o->model, /*with_memory_cap=*/true);
  app->add_option("--input,-i", o->input,
                  "the input tensor: an int8 or int32 .npy of the shape of 'data'; values are "
                  "saturated to the input precision")
      ->required();
  app->add_option("--output,-o", o->output,
                  "where to write the post-processed output: int8 .npy when the model's output "
                  "width is 1 byte, else int32")
      ->required();
  add_backend_option(*app, o->backend);
  app->add_option("--heads", o->heads_dir,
                  "also write each head tensor (before post-processing) as DIR/head<k>.npy, "
                  "int8 if its precision is at most 8, else int32");
  app->footer(
      "Prints the backend, input and head types, the output shape, precision (the largest "
      "head precision) and width, the gas and the first output values.");
  return {app, [o] { return run_command(*o); }};
}

}  // namespace cvm::tool
