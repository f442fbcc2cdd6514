#include "calibration.h"

#include <algorithm>
#include <memory>

#include "cvm/intmath.h"
#include "cvm/validate.h"
#include "fast/run_op.h"
#include "fast/thread_pool.h"

namespace cvm::examples {

OpRunner reference_runner() {
  return [](const std::string& op, const AttrMap& attrs, const std::vector<Tensor>& inputs) {
    return run_reference(op, attrs, inputs).outputs;
  };
}

OpRunner fast_runner(int threads) {
  // Shared, so that the runner (a std::function) stays copyable.
  auto pool = std::make_shared<fast::ThreadPool>(threads);
  return [pool](const std::string& op, const AttrMap& attrs, const std::vector<Tensor>& inputs) {
    return fast::run_fast_op(op, attrs, inputs, *pool);
  };
}

int calibrated_shift(int p_in, std::span<const int32_t> values) {
  int64_t m = 0;
  for (int32_t v : values) m = std::max<int64_t>(m, v < 0 ? -int64_t{v} : v);
  return std::max(1, std::min(p_in - 8, bits(static_cast<uint64_t>(m)) - 7));
}

void EntryValues::run(const std::string& op, const AttrMap& attrs,
                      const std::vector<EntryRef>& inputs, const std::vector<EntryRef>& outputs) {
  std::vector<Tensor> in;
  in.reserve(inputs.size());
  for (const EntryRef& r : inputs) in.push_back(at(r));
  std::vector<Tensor> out = run_(op, attrs, in);
  for (size_t k = 0; k < outputs.size(); ++k) values_[key(outputs[k])] = std::move(out.at(k));
}

}  // namespace cvm::examples
