// The fast kernel table. The list comes from spec/ops.json, so an op without
// its fast/<op>.cc fails to link.
#include "fast/kernel.h"

#if defined(__x86_64__) || defined(__i386__)
#include <cpuid.h>
#endif

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

namespace {

constexpr Isa kLevels[] = {Isa::kPortable, Isa::kAvx2, Isa::kAvxVnni, Isa::kAvx512Vnni};

// Which levels the CPU has, detected once. __builtin_cpu_supports checks
// the OS's XSAVE state with each feature (YMM for avx2, ZMM for avx512f).
struct CpuLevels {
  bool has[4] = {true, false, false, false};
  CpuLevels() {
#if defined(__x86_64__) || defined(__i386__)
    __builtin_cpu_init();
    if (__builtin_cpu_supports("avx2") == 0) return;
    has[static_cast<int>(Isa::kAvx2)] = true;
    // AVX-VNNI (the VEX vpdpbusd): CPUID.(EAX=7, ECX=1):EAX bit 4; its
    // YMM state is the one the avx2 check found enabled.
    unsigned eax = 0, ebx = 0, ecx = 0, edx = 0;
    if (__get_cpuid_count(7, 1, &eax, &ebx, &ecx, &edx) != 0 && (eax & (1u << 4)) != 0)
      has[static_cast<int>(Isa::kAvxVnni)] = true;
    // The 512-bit int8 GEMM uses AVX-512F/BW instructions besides vpdpbusd.
    has[static_cast<int>(Isa::kAvx512Vnni)] = __builtin_cpu_supports("avx512f") != 0 &&
                                              __builtin_cpu_supports("avx512bw") != 0 &&
                                              __builtin_cpu_supports("avx512vnni") != 0;
#endif
  }
};

const CpuLevels& cpu_levels() {
  static const CpuLevels levels;
  return levels;
}

}  // namespace

bool cpu_has(Isa isa) { return cpu_levels().has[static_cast<int>(isa)]; }

Isa cpu_isa() { return cap_to_cpu(Isa::kAvx512Vnni); }

std::vector<Isa> available_isas() {
  std::vector<Isa> out;
  for (Isa i : kLevels)
    if (cpu_has(i)) out.push_back(i);
  return out;
}

const char* isa_name(Isa isa) {
  switch (isa) {
    case Isa::kPortable:
      return "portable";
    case Isa::kAvx2:
      return "avx2";
    case Isa::kAvxVnni:
      return "avx_vnni";
    case Isa::kAvx512Vnni:
      return "avx512_vnni";
  }
  return "?";
}

bool isa_has_own_paths(std::string_view op, Isa isa) {
  // use_avx_vnni(level) and use_avx512_vnni(level) are asked only by the
  // int8 GEMM (gemm_common_avx2.cc, through int8_gemm(level)), which the ops
  // marked int8_gemm in spec/ops.json run on, and by conv2d.cc for its
  // depthwise kernel at kAvx512Vnni.
  if (isa >= Isa::kAvxVnni) return op_backend_traits(op).int8_gemm;
  return true;
}

Isa cap_to_cpu(Isa wanted) {
  Isa best = Isa::kPortable;
  for (Isa i : kLevels)
    if (i <= wanted && cpu_has(i)) best = i;
  return best;
}

}  // namespace cvm::fast
