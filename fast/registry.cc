// The fast kernel table. The list comes from spec/ops.json, so an op without
// its fast/<op>.cc fails to link.
#include "fast/kernel.h"

namespace cvm::fast {

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

bool cpu_has_avx2() {
  static const bool has = [] {
#if defined(__x86_64__) || defined(__i386__)
    __builtin_cpu_init();
    return __builtin_cpu_supports("avx2") != 0;
#else
    return false;
#endif
  }();
  return has;
}

namespace {
bool g_force_portable = false;
}  // namespace

bool use_avx2() { return !g_force_portable && cpu_has_avx2(); }
void force_portable(bool on) { g_force_portable = on; }

}  // namespace cvm::fast
