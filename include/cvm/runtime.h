// The inference engine (spec/model/inference.rst): one loaded model on one
// backend. Nothing is carried from one inference to the next.
#pragma once

#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "cvm/backend.h"

namespace cvm {

/// The post-processed output as elements (before encoding to bytes).
struct OutputValues {
  Shape shape;                 ///< argmax: (sum R_k); interleaved: (R_0, sum L_k); else the head's
  std::vector<int32_t> data;   ///< the output values, row-major, as int32
};

/// One loaded model on one backend: prepares the backend's Program once, then
/// runs inferences. Inferences on one Runtime are serialised by a mutex; use
/// several Runtimes (which may share the Model) to run in parallel.
class Runtime {
 public:
  /// Prepares `model` on `backend`; the backend must outlive the runtime.
  Runtime(std::shared_ptr<const Model> model, const Backend& backend);

  /// Runs one inference. `data` must have the input's shape (infer_c1); its
  /// values are saturated to the input precision. Returns the heads.
  std::vector<Tensor> run(const Tensor& data, const NodeObserver* observer = nullptr);

  /// The C API's byte form: input bytes (input width) to output bytes.
  std::string infer_bytes(std::string_view input);

  /// The model this runtime runs.
  const Model& model() const { return *model_; }
  /// The shared pointer to that model, to share it with another Runtime.
  const std::shared_ptr<const Model>& model_ptr() const { return model_; }

 private:
  std::shared_ptr<const Model> model_;
  std::unique_ptr<Program> program_;
  std::mutex mutex_;  // one inference at a time per runtime
  Tensor input_;      // infer_bytes' decoded input, reused (under mutex_)
};

/// Saturates values to the input precision and checks the shape (infer_c1).
Tensor make_input(const Model& model, const Shape& shape, std::vector<int32_t> values);
/// Decodes C API input bytes (infer_c1) into the saturated input tensor.
Tensor decode_input(const Model& model, std::string_view bytes);
/// Post-processing of the heads (argmax, interleave, flat); infer_c2.
OutputValues postprocess(const Model& model, const std::vector<Tensor>& heads);
/// infer_c2 on the model's head types, without running it: a head always has
/// its entry's shape, so a model that fails this fails every inference
/// (cvm prove does not certify it). Throws LogicError naming infer_c2.
void check_postprocess(const Model& model);
/// Encodes output elements in the model's output width.
std::string encode_output(const Model& model, const OutputValues& values);

}  // namespace cvm
