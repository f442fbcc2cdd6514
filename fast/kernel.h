// The fast backend's kernel interface.
//
// Each operator has one file fast/<op>.cc (plus fast/<op>_avx2.cc where it
// has an AVX2 variant) defining make_<op>(const NodeSpec&): it is called once
// per node when a model is prepared, may pack constant inputs (weights) and
// returns the NodeKernel that runs that node.
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

/// Where a kernel runs: the pool it may split work over.
struct Exec {
  ThreadPool* pool = nullptr;
  int threads() const { return pool->threads(); }
  void parallel_for(int64_t n, int64_t grain,
                    const std::function<void(int64_t, int64_t)>& fn) const {
    pool->parallel_for(n, grain, fn);
  }
};

class NodeKernel {
 public:
  virtual ~NodeKernel() = default;
  virtual void run(const Inputs& inputs, const Outputs& outputs, const Exec& exec) = 0;
};

using KernelFactory = std::unique_ptr<NodeKernel> (*)(const NodeSpec&);

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

/// Instruction-set levels of the kernels' paths, each including the ones
/// below it. Every level computes bit-identical results.
enum class Isa {
  kPortable,    // plain C++
  kAvx2,        // AVX2 (+FMA) paths
  kAvx512Vnni,  // plus the int8 AVX-512 VNNI (vpdpbusd) GEMM (conv2d, dense)
};

/// The highest level the CPU running us supports (checked once).
Isa cpu_isa();
/// The levels a test can force here: kPortable up to cpu_isa().
std::vector<Isa> available_isas();
/// "portable", "avx2" or "avx512_vnni" (for reports).
const char* isa_name(Isa isa);
/// Whether op's kernels run code of their own at level `isa`, i.e. code
/// that the next lower level does not run: kPortable and kAvx2 for every op,
/// kAvx512Vnni only for the ops on the GEMM micro-kernel (conv2d, dense).
/// Tests cover the levels where this is true (a kernel that starts to ask
/// use_avx512_vnni() must be listed here).
bool isa_has_own_paths(std::string_view op, Isa isa);

/// The level kernels use: cpu_isa(), or lower when a test capped it.
/// Kernels ask this (through the helpers below) when they run or when their
/// factory runs, never cache it across nodes.
Isa active_isa();
bool use_avx2();         // active_isa() >= kAvx2
bool use_avx512_vnni();  // active_isa() >= kAvx512Vnni

/// Caps the level kernels use (cpu_isa() restores detection): the tests, and
/// `cvm run/trace --isa` once at start-up. Not thread-safe; set it while no
/// kernel runs.
void cap_isa(Isa max);

}  // namespace cvm::fast
