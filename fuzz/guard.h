// How the fuzz targets classify what escapes from cvm: a LogicError, or a
// RuntimeError of a constraint upstream reports with code 2 (is_runtime_label:
// malformed JSON, attribute syntax ...), is the spec rejecting the input
// (correct behaviour, report ""); any other RuntimeError (a bound) is a bug
// unless the target names its label as expected (e.g. model_c6, the memory
// cap), and anything else (std::bad_alloc, a JSON library exception,
// std::out_of_range...) is a bug: cvm must classify every failure.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <span>
#include <string>
#include <string_view>

#include "cvm/errors.h"

namespace cvm::fuzz {

template <typename Fn>
std::string guarded(std::string_view what, Fn&& fn,
                    std::initializer_list<std::string_view> expected_runtime = {}) {
  try {
    return fn();
  } catch (const LogicError&) {
    return "";
  } catch (const RuntimeError& e) {
    if (is_runtime_label(e.label())) return "";
    for (std::string_view label : expected_runtime)
      if (e.label() == label) return "";
    return str(what, ": unexpected runtime error: ", e.what());
  } catch (const std::exception& e) {
    return str(what, ": unclassified exception (neither LogicError nor RuntimeError): ", e.what());
  }
}

inline std::string_view as_text(std::span<const uint8_t> bytes) {
  return {reinterpret_cast<const char*>(bytes.data()), bytes.size()};
}

}  // namespace cvm::fuzz
