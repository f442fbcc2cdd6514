#include "fuzz/model_input.h"

namespace cvm::fuzz {

ModelInput split_model_input(std::string_view bytes) {
  ModelInput m;
  const size_t a = bytes.find(kModelSeparator);
  m.symbol = bytes.substr(0, a);
  if (a == std::string_view::npos) return m;
  const std::string_view rest = bytes.substr(a + kModelSeparator.size());
  const size_t b = rest.find(kModelSeparator);
  m.params = rest.substr(0, b);
  if (b != std::string_view::npos) m.input = rest.substr(b + kModelSeparator.size());
  return m;
}

std::string join_model_input(std::string_view symbol, std::string_view params,
                             std::string_view input) {
  std::string s(symbol);
  s += kModelSeparator;
  s += params;
  s += kModelSeparator;
  s += input;
  return s;
}

}  // namespace cvm::fuzz
