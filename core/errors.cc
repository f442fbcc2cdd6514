#include "cvm/errors.h"

namespace cvm {

void throw_logic(std::string_view label, const std::string& message) {
  throw LogicError(std::string(label), message);
}

void throw_runtime(std::string_view label, const std::string& message) {
  throw RuntimeError(std::string(label), message);
}

}  // namespace cvm
