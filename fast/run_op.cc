#include "fast/run_op.h"

#include "cvm/validate.h"
#include "fast/kernel.h"

namespace cvm::fast {

std::vector<Tensor> run_fast_op(std::string_view op, const AttrMap& attrs,
                                const std::vector<Tensor>& inputs, ThreadPool& pool,
                                const KernelOptions& wanted, const std::vector<bool>& constant) {
  KernelOptions options = wanted;
  options.isa = cap_to_cpu(wanted.isa);
  Types types;
  for (const Tensor& t : inputs) types.push_back(t.type());
  ValidatedOp v = validate_op(op, attrs, types);
  check_input_values(op, inputs);
  NodeSpec spec{.op = v.op, .attrs = v.attrs, .inputs = types, .outputs = v.outputs, .constants = {}};
  for (size_t i = 0; i < inputs.size(); ++i)
    spec.constants.push_back(i < constant.size() && constant[i] ? &inputs[i] : nullptr);
  const KernelFactory make = find_kernel(op);
  if (make == nullptr) throw_runtime("fast", str("no fast kernel for op '", op, "'"));
  std::unique_ptr<NodeKernel> kernel = make(spec, options);

  std::vector<Tensor> outputs;
  for (const TensorType& t : v.outputs)
    outputs.push_back(Tensor{t.shape, t.precision,
                             std::vector<int32_t>(static_cast<size_t>(shape_size(t.shape)), kPoison)});
  Inputs in;
  for (const Tensor& t : inputs) in.push_back(&t);
  Outputs out;
  for (Tensor& t : outputs) out.push_back(&t);
  kernel->run(in, out, Exec(&pool, options.isa));
  return outputs;
}

}  // namespace cvm::fast
