#include "gen/cuda_differential.h"

#include "cuda/run_op.h"
#include "cvm/errors.h"
#include "cvm/validate.h"
#include "gen/differential.h"

namespace cvm::gen {

std::string cuda_vs_reference(const std::string& op, const AttrMap& attrs, const std::vector<Tensor>& inputs) {
  const Outcome ref = capture([&] { return run_reference(op, attrs, inputs).outputs; });
  for (bool constant : {false, true}) {
    const std::vector<bool> mask(inputs.size(), constant);
    const Outcome got = capture([&] { return cuda::run_cuda_op(op, attrs, inputs, mask); });
    const std::string diff = compare_outcomes(ref, got);
    if (!diff.empty())
      return str(describe_case(op, attrs, inputs), "; cuda", constant ? ", constant inputs" : "", ": ", diff,
                 dump_inputs(inputs));
  }
  return "";
}

}  // namespace cvm::gen
