// Error classes of cvm.
//
// Every failure is one of two classes, exactly as the spec's constraint labels
// classify it (spec/common.rst):
//  * LogicError   - the model, its attributes or its input are invalid: the
//                   caller's fault. The C API maps it to code 1.
//  * RuntimeError - a bound assertion fired (our bug) or the environment failed
//                   (allocation, I/O). The C API maps it to code 2.
// Both carry the spec label that was violated, so tests and callers can check
// *which* rule fired, not only that something did.
#pragma once

#include <sstream>
#include <stdexcept>
#include <string>
#include <string_view>

namespace cvm {

class LogicError : public std::logic_error {
 public:
  LogicError(std::string label, const std::string& message)
      : std::logic_error(label + ": " + message), label_(std::move(label)) {}
  const std::string& label() const noexcept { return label_; }

 private:
  std::string label_;
};

class RuntimeError : public std::runtime_error {
 public:
  RuntimeError(std::string label, const std::string& message)
      : std::runtime_error(label + ": " + message), label_(std::move(label)) {}
  const std::string& label() const noexcept { return label_; }

 private:
  std::string label_;
};

/// Concatenates anything streamable into one string (error messages).
template <typename... Args>
std::string str(const Args&... args) {
  std::ostringstream os;
  (os << ... << args);
  return os.str();
}

[[noreturn]] void throw_logic(std::string_view label, const std::string& message);
/// Throws the class that upstream reports for constraint `label`: most
/// constraints are logic errors (upstream's VERIFY, code 1); those listed by
/// is_runtime_label are runtime errors (upstream's CHECK, LOG(FATAL) or
/// ParamError, code 2). The spec page of each label states its class.
[[noreturn]] void throw_invalid(std::string_view label, const std::string& message);
/// True for the constraint labels upstream reports with code 2.
bool is_runtime_label(std::string_view label);
[[noreturn]] void throw_runtime(std::string_view label, const std::string& message);

}  // namespace cvm

/// Checks a spec constraint; a violation is an error naming `label`, of the
/// class upstream gives it (throw_invalid). The message expression is
/// evaluated only on failure.
#define CVM_REQUIRE(cond, label, ...)                        \
  do {                                                       \
    if (!(cond)) ::cvm::throw_invalid((label), ::cvm::str(__VA_ARGS__)); \
  } while (0)

/// Asserts a spec bound (an overflow obligation); a violation means our
/// precision rules or code are wrong, so it is a RuntimeError naming `label`.
#define CVM_BOUND(cond, label, ...)                                     \
  do {                                                                  \
    if (!(cond))                                                        \
      ::cvm::throw_runtime((label), ::cvm::str("bound violated: ", #cond, "; ", __VA_ARGS__)); \
  } while (0)
