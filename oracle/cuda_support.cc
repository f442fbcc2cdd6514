#include "cuda_support.h"

#include "cuda/kernel.h"

namespace cvm::oracle {

bool cuda_device_present() { return cuda::device_present(); }

}  // namespace cvm::oracle
