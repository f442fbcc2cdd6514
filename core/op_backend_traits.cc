// op_backend_traits(): the takes_epilogue / int8_gemm fields of
// spec/ops.json, generated into cvm_op_traits.inc by CMakeLists.txt.
#include "cvm/op_backend_traits.h"

namespace cvm {

OpBackendTraits op_backend_traits(std::string_view op) {
  OpBackendTraits t;
#define CVM_OP_TAKES_EPILOGUE(name) \
  if (op == #name) t.takes_epilogue = true;
#define CVM_OP_INT8_GEMM(name) \
  if (op == #name) t.int8_gemm = true;
#include "cvm_op_traits.inc"
#undef CVM_OP_TAKES_EPILOGUE
#undef CVM_OP_INT8_GEMM
  return t;
}

}  // namespace cvm
