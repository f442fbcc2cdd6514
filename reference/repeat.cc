// STUB: replace with the transcription of spec/ops/repeat.rst.
#include "cvm/op.h"

namespace cvm {
namespace {
Types stub_infer(const std::any&, const Types&) {
  throw_runtime("stub", "repeat is not implemented yet");
}
void stub_kernel(const std::any&, const Inputs&, const Outputs&) {}
}  // namespace

const OpDef& op_def_repeat() {
  static const OpDef def{.name = "repeat",
                         .parse_attrs = parse_no_attrs,
                         .num_inputs = fixed_inputs<1>,
                         .num_outputs = 1,
                         .infer = stub_infer,
                         .gas_weight = gas_weight_one,
                         .reference = stub_kernel,
                         .in_place = false};
  return def;
}

}  // namespace cvm
