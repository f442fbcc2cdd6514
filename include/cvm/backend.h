// The backend interface of the execution engine.
//
// A Backend prepares a loaded Model into a Program once (packing weights,
// planning device memory); a Program runs whole inferences. The engine
// (runtime.h) does everything that must be identical across backends: input
// saturation, shape checks, post-processing. Every backend must produce the
// reference's bits for every node (spec/model/inference.rst).
#pragma once

#include <functional>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "cvm/model.h"

namespace cvm {

namespace fast {
/// The fast kernels' instruction-set levels (defined in fast/kernel.h).
enum class Isa;
}  // namespace fast

/// Called after each operator node with its outputs (cvm trace).
using NodeObserver = std::function<void(size_t node, std::span<const Tensor> outputs)>;

class Runtime;

/// One model prepared by one backend: whatever the backend precomputes per
/// model (buffers, kernel choices, fused chains), ready to run inferences.
/// Made by Backend::prepare; a Runtime owns one.
class Program {
 public:
  /// Frees the backend's per-model state (buffers, prepared kernels).
  virtual ~Program() = default;
  /// Runs every operator node in order. Returns the heads, in heads order.
  /// Unlike Runtime::run, it does not saturate: `data` must have the shape
  /// and precision of the model's data input (infer_c1) and every value
  /// within that precision (tensor_c5), else it throws LogicError before any
  /// node runs (spec/model/inference.rst, "Backends"), since the kernels
  /// give the spec's bits only on such values.
  std::vector<Tensor> run(const Tensor& data, const NodeObserver* observer);

 protected:
  /// Records the model's input type, against which run() checks `data`.
  explicit Program(const Model& model) : input_(model.input_type()) {}

 private:
  /// The backend's run, on a `data` already checked as run() requires. Must
  /// not keep any state that influences a later run.
  virtual std::vector<Tensor> run_checked(const Tensor& data, const NodeObserver* observer) = 0;
  // Runtime makes or checks the input itself, so it calls run_checked.
  friend class Runtime;

  TensorType input_;  // the model's data input
};

/// A way of executing models: the reference, fast or CUDA kernels. Every
/// backend must give the reference's bits on every head of every model
/// (spec/model/inference.rst). Backends are stateless and shared; the
/// per-model state lives in the Program each prepare() returns.
class Backend {
 public:
  /// Backends are used through the references the factories return.
  virtual ~Backend() = default;
  /// The name the tool's --backend option uses: "reference", "fast" or "cuda".
  virtual std::string_view name() const = 0;
  /// The CPU threads one inference uses (the fast backend's pool; 1 for the
  /// others). Results never depend on it; traces and benchmarks record it.
  virtual int threads() const { return 1; }
  /// The instruction-set level of the CPU kernels this backend runs:
  /// "portable", "avx2" or "avx512_vnni". The fast backend's own level (see
  /// make_fast_backend); the others report isa_level() (cvm/version.h), the
  /// CPU's. Results never depend on it; traces and benchmarks record it.
  virtual std::string isa_level() const;
  /// Prepares `model` for inference on this backend; the program keeps the
  /// model alive.
  virtual std::unique_ptr<Program> prepare(std::shared_ptr<const Model> model) const = 0;
};

/// The reference backend: the spec's kernels, one node at a time.
const Backend& reference_backend();

/// The fast CPU backend (fast/): the default thread count is CVM_THREADS,
/// else the hardware's. Results never depend on the thread count. Throws
/// what default_thread_count() throws (until CVM_THREADS is fixed).
const Backend& fast_backend();
/// The fast backend's default thread count: CVM_THREADS when it is set (and
/// not empty), else the hardware's, at most 256. A CVM_THREADS that is not a
/// decimal integer in [1, 256] ("abc", "0", "-2", "1000") is
/// RuntimeError("threads"), not silently replaced (the C API returns 2).
int default_thread_count();
/// A fast backend with its own thread count (clamped to [1, 256]), at the
/// CPU's instruction-set level (fast::cpu_isa()).
std::unique_ptr<Backend> make_fast_backend(int threads);
/// The same at level `isa` (fast/kernel.h): every program it prepares runs
/// its kernels at that level, whatever other programs in the process use.
/// A level the CPU lacks is lowered to the highest below it that the CPU has
/// (fast::cap_to_cpu: its instructions would fault; every level gives the
/// same bits): isa_level() says the level in use.
std::unique_ptr<Backend> make_fast_backend(int threads, fast::Isa isa);

/// The CUDA backend (cuda/): nullptr when this library was built without
/// CUDA or when no usable CUDA device is present.
const Backend* cuda_backend();

/// Backends built into this library, by name ("reference", "fast", "cuda");
/// nullptr if unknown, not built, or (cuda) without a device.
const Backend* find_backend(std::string_view name);
/// Names of the backends usable here ("cuda" only with a device present).
std::vector<std::string> backend_names();

}  // namespace cvm
