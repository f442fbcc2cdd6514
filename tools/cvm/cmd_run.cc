// cvm run MODEL --input x.npy --output y.npy [--backend NAME] [--heads DIR]
//                [--memory-cap BYTES] [--float-input] [--batch] [--quiet]
//
// The input .npy may hold any integer element type (spec/model/npy.rst); with
// --float-input it holds floats, quantized here, on the tool side, with the
// input scale `cvm quantize` recorded. With --batch it holds N samples, each
// run separately and written to its own output file. Progress goes to stderr
// (only once a run has taken a second), never to stdout, which scripts parse.
#include <CLI/CLI.hpp>
#include <atomic>
#include <chrono>
#include <cmath>
#include <condition_variable>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <thread>

#include "cvm/errors.h"
#include "cvm/npy.h"
#include "cvm/runtime.h"
#include "model_arg.h"
#include "report.h"
#ifdef CVM_HAVE_QUANTIZER
#include "tools/quantize/lower.h"
#endif

namespace cvm::tool {
namespace {

namespace fs = std::filesystem;

struct RunOptions {
  ModelArg model;
  std::string input;
  std::string output;
  std::string backend = "fast";
  std::string isa;  // --isa: "" is the CPU's own level
  std::string heads_dir;
  bool float_input = false;
  bool batch = false;
  bool quiet = false;
};

const char* width_text(int width) { return width == 1 ? "1 byte (int8)" : "4 bytes (int32)"; }

// ---------------------------------------------------------------------------
// Progress on stderr.

// Prints "cvm run: ..." progress lines to stderr from a background thread:
// nothing for a run that ends within its first second, then one line a second
// (the sample count in batch mode, the elapsed time), and a last line when the
// run ends (finish). stdout is untouched.
class Progress {
 public:
  Progress(bool enabled, int64_t samples) : samples_(samples) {
    if (enabled) thread_ = std::thread([this] { loop(); });
  }
  // On an error the thread just ends: the error message is the last line.
  ~Progress() { stop(); }
  Progress(const Progress&) = delete;
  Progress& operator=(const Progress&) = delete;

  void sample_done() { done_.fetch_add(1, std::memory_order_relaxed); }

  // Ends the thread and, if it printed anything, says the run is done.
  void finish() {
    stop();
    if (printed_) std::cerr << "cvm run: done: " << line() << std::endl;
    printed_ = false;
  }

 private:
  using Clock = std::chrono::steady_clock;

  void stop() {
    if (!thread_.joinable()) return;
    {
      const std::lock_guard<std::mutex> lock(mutex_);
      stopping_ = true;
    }
    cv_.notify_all();
    thread_.join();
  }

  std::string line() const {
    const double seconds = std::chrono::duration<double>(Clock::now() - start_).count();
    const int64_t done = done_.load(std::memory_order_relaxed);
    char elapsed[32];
    std::snprintf(elapsed, sizeof elapsed, "%.1f s", seconds);
    std::string s = samples_ > 1 ? str(done, "/", samples_, " samples, ") : std::string();
    s += elapsed;
    if (samples_ > 1 && done > 0 && done < samples_) {
      char left[48];
      std::snprintf(left, sizeof left, ", about %.0f s left",
                    seconds / static_cast<double>(done) * static_cast<double>(samples_ - done));
      s += left;
    }
    return s;
  }

  void loop() {
    std::unique_lock<std::mutex> lock(mutex_);
    while (!cv_.wait_for(lock, std::chrono::seconds(1), [this] { return stopping_; })) {
      std::cerr << "cvm run: " << (samples_ > 1 ? "" : "running, ") << line() << std::endl;
      printed_ = true;
    }
  }

  const int64_t samples_;
  const Clock::time_point start_ = Clock::now();
  std::atomic<int64_t> done_{0};
  std::mutex mutex_;
  std::condition_variable cv_;
  bool stopping_ = false;
  bool printed_ = false;  // written by the thread, read after join
  std::thread thread_;
};

// ---------------------------------------------------------------------------
// The input.

// The input .npy as integers: read as is (any integer type, npy_c14), or, with
// --float-input, read as floats and quantized.
NpyArray read_integers(const RunOptions& o, const Model& model) {
  if (!o.float_input) return read_npy(o.input);
#ifdef CVM_HAVE_QUANTIZER
  // Tool side, before inference: the float values are turned into the
  // model's integer input here, with the quantizer's own rounding
  // (quant::quantize_input: round half away from zero, clipped to the input
  // precision) and the scale it recorded. Nothing float reaches the integer
  // inference path, which only ever sees the resulting int32 values.
  const ModelPaths paths = resolve_model(o.model.words());
  const fs::path report = fs::path(paths.symbol).parent_path() / "report.json";
  std::error_code ec;
  if (!fs::is_regular_file(report, ec))
    throw_logic("float_input",
                str("--float-input needs the input scale that `cvm quantize` records in "
                    "report.json beside the model's symbol, and ",
                    report.string(), " does not exist: this model has no recorded input scale"));
  double scale = 0;
  try {
    const nlohmann::json j = nlohmann::json::parse(read_file(report.string()));
    const nlohmann::json& s = j.at("input").at("scale");
    if (!s.is_number()) throw std::invalid_argument("not a number");
    scale = s.get<double>();
    const Shape shape = j.at("input").at("shape").get<Shape>();
    if (shape != model.input_type().shape)
      throw std::invalid_argument(str("its input shape ", shape_str(shape),
                                      " is not the model's ",
                                      shape_str(model.input_type().shape)));
  } catch (const std::exception& e) {
    throw_logic("float_input", str(report.string(), ": no usable input scale (input.scale of a "
                                   "`cvm quantize` report): ",
                                   e.what()));
  }
  if (!(std::isfinite(scale) && scale > 0))
    throw_logic("float_input", str(report.string(), ": input.scale ", scale,
                                   " is not a positive finite number"));
  NpyFloatArray f = read_npy_floats(o.input);
  const quant::FTensor x{f.shape, std::move(f.data)};
  return NpyArray{std::move(f.shape), NpyDtype::kInt32,
                  quant::quantize_input(x, scale, model.input_type().precision)};
#else
  (void)model;
  throw_runtime("float_input",
                "--float-input needs the quantizer, and this cvm was built without it");
#endif
}

// The samples of the input: one (the whole file) or, with --batch, N. A batch
// file is (N, S...) for the model input shape S, or, when S is (1, T...),
// also (N, T...): each sample is row k, given the shape S.
std::vector<Tensor> read_samples(const RunOptions& o, const Model& model) {
  NpyArray a = read_integers(o, model);
  if (!o.batch) return {make_input(model, a.shape, std::move(a.data))};
  const Shape& s = model.input_type().shape;
  const Shape rows(a.shape.begin() + 1, a.shape.end());  // a.shape has rank >= 1 (npy_c8)
  const bool stacked = rows == s;
  const bool leading_one = !s.empty() && s[0] == 1 && rows == Shape(s.begin() + 1, s.end());
  if (!stacked && !leading_one) {
    // "(N, d0, d1, ...)" for a shape (d0, d1, ...).
    const auto with_n = [](const Shape& dims) {
      std::string t = "(N";
      for (int64_t d : dims) t += str(", ", d);
      return t + ")";
    };
    throw_logic("infer_c1",
                str(o.input, ": with --batch the input must hold N samples of the model input "
                    "shape ", shape_str(s), ": shape ", with_n(s),
                    s[0] == 1 ? str(" or ", with_n(Shape(s.begin() + 1, s.end()))) : std::string(),
                    "; it is ", shape_str(a.shape)));
  }
  const auto n = static_cast<size_t>(a.shape[0]);
  const size_t per = a.data.size() / n;
  std::vector<Tensor> samples;
  samples.reserve(n);
  for (size_t k = 0; k < n; ++k)
    samples.push_back(make_input(
        model, s,
        std::vector<int32_t>(a.data.begin() + static_cast<std::ptrdiff_t>(k * per),
                             a.data.begin() + static_cast<std::ptrdiff_t>((k + 1) * per))));
  return samples;
}

// ---------------------------------------------------------------------------
// The output.

void write_outputs(const Model& model, const std::vector<Tensor>& heads, const OutputValues& out,
                   const std::string& output, const std::string& heads_dir) {
  NpyArray y;
  y.shape = out.shape;
  y.dtype = model.output_width() == 1 ? NpyDtype::kInt8 : NpyDtype::kInt32;
  y.data = out.data;
  write_npy(output, y);
  if (heads_dir.empty()) return;
  fs::create_directories(heads_dir);
  for (size_t k = 0; k < heads.size(); ++k) {
    NpyArray h;
    h.shape = heads[k].shape;
    h.dtype = heads[k].precision <= 8 ? NpyDtype::kInt8 : NpyDtype::kInt32;
    h.data = heads[k].data;
    write_npy((fs::path(heads_dir) / ("head" + std::to_string(k) + ".npy")).string(), h);
  }
}

int run_command(const RunOptions& o) {
  const std::unique_ptr<Backend> at_isa = backend_at_isa(o.backend, o.isa);
  const Backend& backend = at_isa ? *at_isa : select_backend(o.backend);
  const std::shared_ptr<const Model> model = load_model(o.model);
  Runtime runtime(model, backend);
  // Every sample is read and checked before anything runs or is written.
  const std::vector<Tensor> samples = read_samples(o, *model);
  if (o.batch) {
    std::error_code ec;
    fs::create_directories(o.output, ec);
    if (ec || !fs::is_directory(o.output))
      throw_runtime("io", str(o.output, ": cannot make the --batch output directory",
                              ec ? str(": ", ec.message()) : std::string(" (a file is in the way)")));
  }

  const TensorType& in = model->input_type();
  std::cout << "backend: " << backend.name() << "\n"
            << "input: shape " << shape_str(in.shape) << ", precision " << in.precision
            << ", width " << width_text(model->input_width()) << "\n";
  if (o.batch)
    std::cout << "samples: " << samples.size() << " -> " << (fs::path(o.output) / "sample<k>.npy").string()
              << "\n";

  Progress progress(!o.quiet, static_cast<int64_t>(samples.size()));
  std::vector<Tensor> heads;
  OutputValues out;
  for (size_t k = 0; k < samples.size(); ++k) {
    heads = runtime.run(samples[k]);
    out = postprocess(*model, heads);
    if (o.batch) {
      const std::string name = "sample" + std::to_string(k);
      write_outputs(*model, heads, out, (fs::path(o.output) / (name + ".npy")).string(),
                    o.heads_dir.empty() ? "" : (fs::path(o.heads_dir) / name).string());
      std::cout << name << ": " << values_preview(out.data) << "\n";
    } else {
      write_outputs(*model, heads, out, o.output, o.heads_dir);
    }
    progress.sample_done();
  }
  progress.finish();

  for (size_t k = 0; k < heads.size(); ++k)
    std::cout << "head " << k << ": shape " << shape_str(heads[k].shape) << ", precision "
              << heads[k].precision << "\n";
  std::cout << "output: shape " << shape_str(out.shape) << ", precision "
            << model->output_precision() << ", width " << width_text(model->output_width())
            << ", postprocess "
            << (model->graph().postprocess_name.empty() ? "(none)" : model->graph().postprocess_name)
            << " -> " << o.output << "\n"
            << "gas: " << model->gas() << (o.batch ? " per sample" : "") << "\n";
  if (!o.batch) std::cout << "values: " << values_preview(out.data) << "\n";
  return kExitOk;
}

}  // namespace

Command add_run_command(CLI::App& parent) {
  auto o = std::make_shared<RunOptions>();
  CLI::App* app = parent.add_subcommand(
      "run", "Run one inference: read the input .npy, write the post-processed output .npy.");
  add_model_arg(*app, o->model, /*with_memory_cap=*/true);
  app->add_option("--input,-i", o->input,
                  "the input tensor: a .npy of the shape of 'data' holding bool or integers of "
                  "any width and byte order (int8 ... int64, uint8 ... uint64), each value "
                  "within int32 (else an error naming the element); values are saturated to "
                  "the input precision")
      ->required();
  app->add_option("--output,-o", o->output,
                  "where to write the post-processed output: int8 .npy when the model's output "
                  "width is 1 byte, else int32; with --batch, a directory that gets "
                  "sample<k>.npy for each sample k = 0 .. N-1")
      ->required();
  add_backend_option(*app, o->backend);
  add_isa_option(*app, o->isa);
  app->add_option("--heads", o->heads_dir,
                  "also write each head tensor (before post-processing) as DIR/head<k>.npy, "
                  "int8 if its precision is at most 8, else int32 (with --batch: "
                  "DIR/sample<k>/head<j>.npy)");
  app->add_flag("--float-input", o->float_input,
                "the input .npy holds float32 or float64 values: quantize them as `cvm "
                "quantize` does, q = clip(round(x * scale)) with ties away from zero, with the "
                "input scale recorded in report.json beside the model's symbol (a model "
                "without one is an error)");
  app->add_flag("--batch", o->batch,
                "the input holds N samples: shape (N, S...) for the model input shape S, or "
                "(N, T...) when S is (1, T...); each sample runs separately and gets its own "
                "output file (see --output)");
  app->add_flag("--quiet,-q", o->quiet, "no progress lines on stderr");
  app->footer(
      "The default backend is fast, which gives the same bits as --backend reference. Prints "
      "the backend, input and head types, the output shape, precision (the largest head "
      "precision) and width, the gas and the first output values (with --batch: a line "
      "'sample<k>: [values]' per sample). Progress lines go to stderr once a run has taken "
      "more than a second.");
  return {app, [o] { return run_command(*o); }};
}

}  // namespace cvm::tool
