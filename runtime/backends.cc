// The backends built into this library. The CUDA backend is offered only
// when it was built (CVM_HAVE_CUDA) and a device is present.
#include "cvm/backend.h"

namespace cvm {

#ifndef CVM_HAVE_CUDA
const Backend* cuda_backend() { return nullptr; }  // built without CUDA
#endif

const Backend* find_backend(std::string_view name) {
  if (name == "reference") return &reference_backend();
  if (name == "fast") return &fast_backend();
  if (name == "cuda") return cuda_backend();
  return nullptr;
}

std::vector<std::string> backend_names() {
  std::vector<std::string> names = {"reference", "fast"};
  if (cuda_backend() != nullptr) names.push_back("cuda");
  return names;
}

}  // namespace cvm
