// The backends built into this library. The CUDA backend adds itself here
// when it exists.
#include "cvm/backend.h"

namespace cvm {

const Backend* find_backend(std::string_view name) {
  if (name == "reference") return &reference_backend();
  if (name == "fast") return &fast_backend();
  return nullptr;
}

std::vector<std::string> backend_names() { return {"reference", "fast"}; }

}  // namespace cvm
