// The fast kernel table. The list comes from spec/ops.json, so an op without
// its fast/<op>.cc fails to link.
#include "fast/kernel.h"

#include <algorithm>

#include "cvm/op_backend_traits.h"
#include "fast/epilogue.h"

namespace cvm::fast {

#define CVM_OP(name) std::unique_ptr<NodeKernel> make_##name(const NodeSpec&, const KernelOptions&);
#include "cvm_op_list.inc"
#undef CVM_OP

KernelFactory find_kernel(std::string_view op) {
#define CVM_OP(name) \
  if (op == #name) return &make_##name;
#include "cvm_op_list.inc"
#undef CVM_OP
  return nullptr;
}

// The ops that spec/ops.json marks takes_epilogue: each defines
// make_<op>_fused, so a missing one fails to link.
#define CVM_OP_TAKES_EPILOGUE(name) \
  std::unique_ptr<NodeKernel> make_##name##_fused(const NodeSpec&, const Epilogue&, const KernelOptions&);
#define CVM_OP_INT8_GEMM(name)
#include "cvm_op_traits.inc"
#undef CVM_OP_TAKES_EPILOGUE

FusedKernelFactory find_fused_kernel(std::string_view op) {
#define CVM_OP_TAKES_EPILOGUE(name) \
  if (op == #name) return &make_##name##_fused;
#include "cvm_op_traits.inc"
#undef CVM_OP_TAKES_EPILOGUE
#undef CVM_OP_INT8_GEMM
  return nullptr;
}

Isa cpu_isa() {
  static const Isa isa = [] {
#if defined(__x86_64__) || defined(__i386__)
    __builtin_cpu_init();
    if (__builtin_cpu_supports("avx2") == 0) return Isa::kPortable;
    // The int8 VNNI GEMM uses AVX-512F/BW instructions besides vpdpbusd.
    if (__builtin_cpu_supports("avx512f") != 0 && __builtin_cpu_supports("avx512bw") != 0 &&
        __builtin_cpu_supports("avx512vnni") != 0)
      return Isa::kAvx512Vnni;
    return Isa::kAvx2;
#else
    return Isa::kPortable;
#endif
  }();
  return isa;
}

std::vector<Isa> available_isas() {
  std::vector<Isa> out;
  for (Isa i : {Isa::kPortable, Isa::kAvx2, Isa::kAvx512Vnni})
    if (i <= cpu_isa()) out.push_back(i);
  return out;
}

const char* isa_name(Isa isa) {
  switch (isa) {
    case Isa::kPortable:
      return "portable";
    case Isa::kAvx2:
      return "avx2";
    case Isa::kAvx512Vnni:
      return "avx512_vnni";
  }
  return "?";
}

bool isa_has_own_paths(std::string_view op, Isa isa) {
  // use_avx512_vnni(level) is asked only by the GEMM (gemm_common_avx2.cc), which
  // the ops marked int8_gemm in spec/ops.json run on.
  if (isa == Isa::kAvx512Vnni) return op_backend_traits(op).int8_gemm;
  return true;
}

Isa cap_to_cpu(Isa wanted) { return std::min(wanted, cpu_isa()); }

}  // namespace cvm::fast
