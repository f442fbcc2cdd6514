#include "report.h"

#include <algorithm>
#include <exception>
#include <iostream>
#include <new>
#include <sstream>

#include "cvm/errors.h"
#include "cvm/model.h"

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

}  // namespace cvm::tool
