#include "tools/quantize/evaluate.h"

#include "cvm/errors.h"
#include "cvm/runtime.h"
#include "tools/quantize/float_exec.h"
#include "tools/quantize/lower.h"

namespace cvm::quant {

Accuracy evaluate(const FloatGraph& g, const std::shared_ptr<const Model>& model, const Backend& backend,
                  double input_scale, const FTensor& data, const std::vector<int64_t>& labels,
                  bool run_float_model, const Progress& progress) {
  const int64_t b = g.input_shape[0];
  // The integer model's heads (`g` may be empty where the float model is
  // not run).
  const size_t heads = model->graph().heads.size();
  if (heads != 1)
    throw_logic("quantize", "accuracy evaluation needs a single-output (classifier) model; this one has " +
                                std::to_string(heads) + " outputs");
  if (static_cast<int64_t>(labels.size()) != data.shape.at(0))
    throw_logic("quantize", "the labels count differs from the evaluation samples");
  Runtime runtime(model, backend);
  const TensorType in = model->input_type();
  Accuracy acc;
  const int64_t n = data.shape[0] / b * b;
  for (int64_t i = 0; i < n; i += b) {
    const FTensor x = slice_samples(data, i, b);
    Tensor q{in.shape, in.precision, quantize_input(x, input_scale, in.precision)};
    const Tensor y = runtime.run(q).at(0);
    const int64_t classes = y.size() / b;
    std::vector<float> fy;
    if (run_float_model) fy = run_float(g, x).data;
    for (int64_t k = 0; k < b; ++k) {
      const int64_t label = labels[static_cast<size_t>(i + k)];
      const int64_t ic = argmax_row(y.data, k, classes);
      acc.int_correct += ic == label;
      if (run_float_model) {
        const int64_t fc = argmax_row(fy, k, classes);
        acc.float_correct += fc == label;
        acc.agree += fc == ic;
      }
    }
    acc.samples += b;
    if (progress) progress(i + b, n);
  }
  return acc;
}

}  // namespace cvm::quant
