// The backends built into this library. The fast and CUDA backends add
// themselves here when they exist.
#include "cvm/backend.h"

namespace cvm {

const Backend* find_backend(std::string_view name) {
  if (name == "reference") return &reference_backend();
  return nullptr;
}

std::vector<std::string> backend_names() { return {"reference"}; }

}  // namespace cvm
