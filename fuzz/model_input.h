// The whole-model target's input: one byte string holding a symbol, a params
// file and the input bytes, separated by kModelSeparator (the first two
// occurrences split; missing parts are empty). Text before the first
// separator is the graph JSON, so the JSON dictionary applies to it.
#pragma once

#include <string>
#include <string_view>

namespace cvm::fuzz {

inline constexpr std::string_view kModelSeparator{"\n#cvm-params#\n"};

struct ModelInput {
  std::string_view symbol;
  std::string_view params;
  std::string_view input;
};

ModelInput split_model_input(std::string_view bytes);
std::string join_model_input(std::string_view symbol, std::string_view params,
                             std::string_view input);

}  // namespace cvm::fuzz
