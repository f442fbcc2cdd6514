// The fast backend's kernel interface.
//
// Each operator has one file fast/<op>.cc (plus fast/<op>_avx2.cc where it
// has an AVX2 variant) defining make_<op>(const NodeSpec&, const
// KernelOptions&): it is called once per node when a model is prepared, may
// pack constant inputs (weights) and returns the NodeKernel that runs that
// node.
//
// The instruction-set level (Isa) is not process state: the program that
// owns the kernels (runtime/fast_backend.cc, or a test) picks one, gives it
// to each factory (KernelOptions) and to each run (Exec), so two programs at
// different levels can run side by side in one process.
//
// Contract, checked by the oracle's fast == reference properties:
//  - inputs are valid (the shared validator ran) and within their precisions;
//  - outputs arrive with their inferred shape and precision, but with
//    UNSPECIFIED contents: a kernel writes every element of every output;
//  - the result is bit-identical to the reference kernel for any thread count.
// A kernel's restructuring (reordered or 32-bit accumulation, blocking) is
// licensed by the Bounds labels its file header cites (proofs/).
#pragma once

#include <any>
#include <cstdint>
#include <functional>
#include <memory>
#include <string_view>
#include <vector>

#include "cvm/node_spec.h"
#include "cvm/op.h"
#include "fast/thread_pool.h"

namespace cvm::fast {

/// One node as the kernel factory sees it (shared with the CUDA backend).
using cvm::NodeSpec;

/// Instruction-set levels of the kernels' paths, each including the paths of
/// the ones below it. Every level computes bit-identical results.
enum class Isa {
  kPortable,    // plain C++
  kAvx2,        // AVX2 (+FMA) paths
  kAvxVnni,     // plus the int8 GEMM (conv2d, dense) on 256-bit AVX-VNNI vpdpbusd
  kAvx512Vnni,  // the int8 GEMM on 512-bit AVX-512 VNNI vpdpbusd instead
};

/// Whether the CPU running us can run level `isa`'s instructions (checked
/// once). Not monotone: a CPU with AVX-512 VNNI but not AVX-VNNI (Ice Lake,
/// Tiger Lake, Cascade Lake) has kAvx512Vnni but not kAvxVnni, whose VEX
/// encoding of vpdpbusd would fault there.
bool cpu_has(Isa isa);
/// The highest level the CPU running us has.
Isa cpu_isa();
/// The levels a test can force here: those the CPU has, from kPortable up
/// to cpu_isa().
std::vector<Isa> available_isas();
/// "portable", "avx2", "avx_vnni" or "avx512_vnni" (for reports).
const char* isa_name(Isa isa);
/// Whether op's kernels run code of their own at level `isa`, i.e. code
/// that the next lower level does not run: kPortable and kAvx2 for every op,
/// kAvxVnni and kAvx512Vnni only for the ops on the int8 GEMM micro-kernels
/// (conv2d, dense). Tests cover the levels where this is true (a kernel that
/// starts to ask use_avx_vnni(level) or use_avx512_vnni(level) must be
/// listed here).
bool isa_has_own_paths(std::string_view op, Isa isa);

/// Whether code of level `isa` may use the AVX2 paths, the int8 GEMM (on
/// 256-bit AVX-VNNI, or on AVX-512 VNNI from kAvx512Vnni up) and the other
/// AVX-512 VNNI paths. Kernels ask these of the level they were given
/// (Exec::isa, KernelOptions::isa), never of the CPU: the caller lowered it
/// to one the CPU has (cap_to_cpu).
constexpr bool use_avx2(Isa isa) { return isa >= Isa::kAvx2; }
constexpr bool use_avx_vnni(Isa isa) { return isa >= Isa::kAvxVnni; }
constexpr bool use_avx512_vnni(Isa isa) { return isa >= Isa::kAvx512Vnni; }

/// The highest level at most `wanted` that the CPU has: the level a program
/// asked for `wanted` runs at. A level the CPU lacks is never used (its
/// instructions would fault), and every level gives the same bits, so
/// lowering loses only speed.
Isa cap_to_cpu(Isa wanted);

/// Where a kernel runs: the pool it may split work over, and the level of
/// the paths it may take (at most cpu_isa(); the program sets it).
struct Exec {
  Exec(ThreadPool* on, Isa level) : pool(on), isa(level) {}
  ThreadPool* pool;
  Isa isa;
  int threads() const { return pool->threads(); }
  void parallel_for(int64_t n, int64_t grain,
                    const std::function<void(int64_t, int64_t)>& fn) const {
    pool->parallel_for(n, grain, fn);
  }
};

/// What a kernel factory is told besides the node: the level the kernel
/// will run at. Run() gets the same level in Exec::isa from its program;
/// a kernel that packs weights for one level's path (conv2d and dense: int8
/// for VNNI, int16 for AVX2) packs only for this one, and repacks per run
/// if it is ever run at another.
struct KernelOptions {
  /// The level the kernel is made for (and, from its program, run at).
  Isa isa = Isa::kPortable;
  /// conv2d only: depthwise problems go to the grouped GEMM, as before the
  /// direct depthwise kernel existed (the benchmarks' "before"). Same bits.
  bool depthwise_as_grouped_gemm = false;
  /// conv2d and max_pool2d (x, y), the fused program's int8 hand-off (fast/int8_handoff.h):
  /// x arrives as bytes u = x + 128 (x_as_bytes), the output is to be
  /// stored so (y_as_bytes; its precision is at most 8), the residual of the
  /// epilogue's add arrives so (residual_as_bytes).
  bool x_as_bytes = false;
  bool y_as_bytes = false;
  bool residual_as_bytes = false;
};

class NodeKernel {
 public:
  virtual ~NodeKernel() = default;
  virtual void run(const Inputs& inputs, const Outputs& outputs, const Exec& exec) = 0;
};

using KernelFactory = std::unique_ptr<NodeKernel> (*)(const NodeSpec&, const KernelOptions&);

/// The factory for an op, or nullptr if the op is unknown.
KernelFactory find_kernel(std::string_view op);

/// A kernel that is a plain function of (attrs, inputs, outputs, exec): most
/// ops need no preparation. `Attrs` is the op's attribute struct.
template <typename Attrs>
class FunctionKernel final : public NodeKernel {
 public:
  using Fn = void (*)(const Attrs&, const Inputs&, const Outputs&, const Exec&);
  FunctionKernel(const NodeSpec& spec, Fn fn) : attrs_(std::any_cast<const Attrs&>(spec.attrs)), fn_(fn) {}
  void run(const Inputs& in, const Outputs& out, const Exec& exec) override { fn_(attrs_, in, out, exec); }

 private:
  Attrs attrs_;
  Fn fn_;
};

template <typename Attrs>
std::unique_ptr<NodeKernel> function_kernel(
    const NodeSpec& spec, void (*fn)(const Attrs&, const Inputs&, const Outputs&, const Exec&)) {
  return std::make_unique<FunctionKernel<Attrs>>(spec, fn);
}

}  // namespace cvm::fast
