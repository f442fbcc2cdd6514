// cvm quantize MODEL.onnx --calibration calib.npy --output DIR: the quantizer
// (tools/quantize/). Writes DIR/{symbol,params,report.json,input.npy}; the
// model is certified (as `cvm prove`) before it is written, and an
// uncertified model makes the command exit 1 with a message.
#include <CLI/CLI.hpp>
#include <chrono>
#include <cstdio>
#include <iostream>
#include <memory>

#include "model_arg.h"
#include "report.h"
#include "tools/quantize/onnx_import.h"
#include "tools/quantize/quantize.h"

namespace cvm::tool {
namespace {

int quantize_command(const quant::QuantizeJob& job, bool quiet) {
  const auto start = std::chrono::steady_clock::now();
  const quant::QuantizeResult r = quant::quantize(job, [quiet, start](const std::string& line) {
    // --quiet drops the progress lines, never a warning.
    if (quiet && line.rfind("warning: ", 0) != 0) return;
    std::cerr << "cvm quantize: " << line;
    // The sample counts ("calibration: 51/512 samples", every tenth of the
    // work) also say how long the command has run: a large calibration set
    // takes minutes.
    if (line.ends_with(" samples")) {
      char elapsed[32];
      std::snprintf(elapsed, sizeof elapsed, ", %.1f s",
                    std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
      std::cerr << elapsed;
    }
    std::cerr << "\n";
  });
  std::cout << "wrote " << job.output_dir << "/{symbol,params,input.npy,report.json}\n";
  if (r.float_accuracy)
    std::cout << "accuracy: float " << *r.float_accuracy << ", integer " << *r.int_accuracy << "\n";
  if (!r.certified) {
    std::cout << "NOT CERTIFIED: some node could overflow int32 (run cvm prove " << job.output_dir << ")\n";
    return kExitLogic;
  }
  std::cout << "certified: no value can overflow int32 on any input (cvm prove)\n";
  return kExitOk;
}

}  // namespace

Command add_quantize_command(CLI::App& parent) {
  auto job = std::make_shared<quant::QuantizeJob>();
  auto quiet = std::make_shared<bool>(false);
  auto method = std::make_shared<std::string>("maxabs");
  CLI::App* app = parent.add_subcommand(
      "quantize", "Quantize a float ONNX model into a certified integer CVM model (symbol + params).");
  app->add_option("MODEL", job->onnx_path, "the float model, an ONNX file")->required();
  app->add_option("--calibration", job->calibration_path,
                  "calibration samples: a float32 .npy of shape (N, ...) matching the model input")
      ->required();
  app->add_option("--output,-o", job->output_dir, "output directory (symbol, params, report.json, input.npy)")
      ->required();
  app->add_option("--eval", job->eval_path, "evaluation samples (float32 .npy), needs --labels");
  app->add_option("--labels", job->labels_path, "evaluation labels (integer .npy, one per sample)");
  app->add_option("--batch", job->batch, "batch size replacing a dynamic ONNX batch dimension")
      ->check(CLI::Range(1, 4096));
  app->add_option("--calibration-samples", job->calibration_samples, "use only the first N samples (0: all)")
      ->check(non_negative_integer());
  app->add_option("--method", *method, "range estimate: maxabs or percentile")
      ->check(CLI::IsMember({"maxabs", "percentile"}));
  CLI::Option* percentile =
      app->add_option("--percentile", job->percentile, "percentile of |x| for --method percentile")
          ->check(CLI::Range(50.0, 100.0));
  app->add_option("--activation-bits", job->options.activation_precision, "precision of conv/dense inputs")
      ->check(CLI::Range(2, 8));
  app->add_option("--weight-bits", job->options.weight_precision, "precision of conv/dense weights")
      ->check(CLI::Range(2, 8));
  app->add_option("--min-shift-efficiency", job->options.min_shift_efficiency,
                  "use a pure shift when it keeps this fraction of the target scale, else a multiplier "
                  "(1: multipliers unless exact, 0: shifts only)")
      ->check(CLI::Range(0.0, 1.0));
  app->add_option("--multiplier-bits", job->options.multiplier_bits, "precision of requantization multipliers")
      ->check(CLI::Range(2, 24));
  app->add_option("--eval-backend", job->eval_backend,
                  "backend for the integer evaluation: fast, reference or cuda (those built in)")
      ->default_val(job->eval_backend);
  app->add_flag("--quiet,-q", *quiet, "no progress lines on stderr");
  auto no_intervals = std::make_shared<bool>(false);
  app->add_flag("--no-intervals", *no_intervals,
                "ignore the value intervals (cvm prove) when choosing scales and precisions: "
                "the calibrated ranges and declared precisions alone, as before they were used");
  app->add_option_function<std::string>(
         "--per-channel",
         [job](const std::string& v) {
           job->options.per_channel = v == "on"    ? quant::PerChannel::kOn
                                      : v == "off" ? quant::PerChannel::kOff
                                                   : quant::PerChannel::kAuto;
         },
         "per-output-channel weight scales for conv/dense: auto (where they cut the weight's "
         "quantization error), off or on")
      ->check(CLI::IsMember({"auto", "off", "on"}))
      ->option_text("auto|off|on (default auto)");
  // Box NMS after a (B, N, 6) detection head (docs/quantizer.rst,
  // "Detection heads"); the other --nms-* options need --nms.
  app->add_flag("--nms", job->options.nms.enabled,
                "append get_valid_counts + non_max_suppression to the single (B, N, 6) output "
                "(rows: class id, score, x1, y1, x2, y2)");
  std::vector<CLI::Option*> nms_options = {
      app->add_option("--nms-score", job->options.nms.score_threshold,
                      "NMS: rows with a score above this (float, rounded at the output scale) are valid"),
      app->add_option("--nms-iou", job->options.nms.iou_percent, "NMS: IoU threshold in percent (default 50)")
          ->check(CLI::Range(1, 100)),
      app->add_option("--nms-top-k", job->options.nms.top_k, "NMS: look at the best K rows only (-1: all)"),
      app->add_option("--nms-max-output", job->options.nms.max_output_size, "NMS: keep at most this many rows (-1: all)"),
      app->add_flag("--nms-force-suppress", job->options.nms.force_suppress, "NMS: suppress across classes too")};
  app->add_option("--error-samples", job->error_samples,
                  "calibration samples for the per-layer quantization-error report (0: none)")
      ->check(non_negative_integer())
      ->default_val(job->error_samples);
  // The list is the importer's own (quant::supported_onnx_ops), so it cannot
  // drift from what is accepted.
  std::string ops;
  for (const std::string& op : quant::supported_onnx_ops()) ops += (ops.empty() ? "" : ", ") + op;
  app->footer("Supported ONNX ops: " + ops +
              ". Anything else is an error naming the node; docs/quantizer.rst says how each op is "
              "lowered and under which conditions.");
  return {app, [job, quiet, method, percentile, no_intervals, nms_options] {
            for (const CLI::Option* o : nms_options)
              if (o->count() > 0 && !job->options.nms.enabled)
                throw UsageError(o->get_name() + " applies only with --nms");
            if (job->eval_path.empty() != job->labels_path.empty())
              throw UsageError("--eval and --labels go together");
            if (percentile->count() > 0 && *method != "percentile")
              throw UsageError("--percentile applies only with --method percentile (the method is " +
                               *method + ")");
            // Checked before any work, with run's class: an unknown or
            // unusable backend is RuntimeError("backend"), exit 2. It is a
            // command-line slip, but which backends are usable depends on
            // the build and the machine (cuda needs a device), which the C
            // API also reports as a runtime error (api_c2), and usage errors
            // exit 2 in this tool too.
            select_backend(job->eval_backend);
            job->options.use_intervals = !*no_intervals;
            job->method = *method == "percentile" ? quant::RangeMethod::kPercentile : quant::RangeMethod::kMaxAbs;
            return quantize_command(*job, *quiet);
          }};
}

}  // namespace cvm::tool
