// TEMPORARY scaffolding while the fast kernels are written: runs the
// reference kernel (zeroing the outputs first, as the reference expects).
// Coverage.fast_kernels_are_not_fallbacks fails while any op still uses it.
#pragma once

#include <algorithm>
#include <memory>

#include "fast/kernel.h"

namespace cvm::fast {

class ReferenceFallback final : public NodeKernel {
 public:
  explicit ReferenceFallback(const NodeSpec& spec) : op_(spec.op), attrs_(spec.attrs) {}
  void run(const Inputs& in, const Outputs& out, const Exec&) override {
    for (Tensor* t : out) std::fill(t->data.begin(), t->data.end(), 0);
    op_->reference(attrs_, in, out);
  }

 private:
  const OpDef* op_;
  std::any attrs_;
};

}  // namespace cvm::fast
