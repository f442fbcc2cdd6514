// cvm_right_shift - fast kernel (placeholder: the reference, until its kernel is written).
#include "fast/reference_fallback.h"

namespace cvm::fast {

std::unique_ptr<NodeKernel> make_cvm_right_shift(const NodeSpec& spec) {
  return std::make_unique<ReferenceFallback>(spec);
}

}  // namespace cvm::fast
