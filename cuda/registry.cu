// The CUDA kernel table. The list comes from spec/ops.json, so an op without
// its cuda/<op>.cu fails to link.
#include "cuda/kernel.h"

namespace cvm::cuda {

#define CVM_OP(name) std::unique_ptr<NodeKernel> make_##name(const NodeSpec&);
#include "cvm_op_list.inc"
#undef CVM_OP

KernelFactory find_kernel(std::string_view op) {
#define CVM_OP(name) \
  if (op == #name) return &make_##name;
#include "cvm_op_list.inc"
#undef CVM_OP
  return nullptr;
}

}  // namespace cvm::cuda
