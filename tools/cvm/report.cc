#include "report.h"

#include <CLI/CLI.hpp>
#include <algorithm>
#include <charconv>
#include <exception>
#include <iostream>
#include <new>
#include <sstream>

#include "cvm/backend.h"
#include "cvm/errors.h"
#include "cvm/model.h"
#include "cvm/version.h"

namespace cvm::tool {

int describe_current_exception(std::string& message) {
  try {
    throw;
  } catch (const cvm::LogicError& e) {
    message = std::string("logic error: ") + e.what();
    return kExitLogic;
  } catch (const cvm::RuntimeError& e) {
    message = std::string("runtime error: ") + e.what();
    return kExitRuntime;
  } catch (const UsageError& e) {
    message = std::string("usage error: ") + e.what();
    return kExitRuntime;
  } catch (const std::bad_alloc&) {
    message = "runtime error: out of memory";
    return kExitRuntime;
  } catch (const std::exception& e) {
    message = std::string("runtime error: ") + e.what();
    return kExitRuntime;
  } catch (...) {
    message = "runtime error: unknown exception";
    return kExitRuntime;
  }
}

int run_guarded(const std::function<int()>& action) {
  try {
    return action();
  } catch (...) {
    std::string message;
    const int code = describe_current_exception(message);
    std::cout.flush();
    std::cerr << message << "\n";
    return code;
  }
}

std::string values_preview(std::span<const int32_t> values, size_t limit) {
  std::ostringstream os;
  os << "[";
  const size_t n = std::min(values.size(), limit);
  for (size_t i = 0; i < n; ++i) os << (i ? ", " : "") << values[i];
  if (values.size() > n) os << ", ... (" << values.size() << " values)";
  os << "]";
  return os.str();
}

nlohmann::json shape_json(const Shape& shape) {
  nlohmann::json j = nlohmann::json::array();
  for (int64_t d : shape) j.push_back(d);
  return j;
}

std::string version_text() {
  const BuildInfo& b = build_info();
  std::string backends;
  for (const std::string& n : b.backends) {
    backends += (backends.empty() ? "" : ", ") + n;
    if (n == "cuda" && cuda_backend() == nullptr) backends += " (no CUDA device present)";
  }
  return str("cvm ", b.version, "\ncommit: ", b.commit, "\ncompiler: ", b.compiler,
             "\nbuild type: ", b.build_type, "\nbackends: ", backends,
             "\nisa level: ", isa_level(), " (the fast backend's kernels on this CPU)");
}

nlohmann::ordered_json provenance(const Backend& backend) {
  const BuildInfo& b = build_info();
  return nlohmann::ordered_json{{"cvm_version", b.version},
                                {"cvm_commit", b.commit},
                                {"backend", std::string(backend.name())},
                                {"isa_level", backend.isa_level()},
                                {"threads", backend.threads()}};
}

CLI::Validator non_negative_integer() {
  return CLI::Validator(
      [](std::string& text) -> std::string {
        int64_t v = 0;
        const char* end = text.data() + text.size();
        const auto [ptr, ec] = std::from_chars(text.data(), end, v);
        if (text.empty() || ec != std::errc() || ptr != end || v < 0)
          return "'" + text + "' is not a whole number from 0 to 9223372036854775807";
        return {};
      },
      "INT>=0");
}

}  // namespace cvm::tool
