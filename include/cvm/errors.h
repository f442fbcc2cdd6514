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

/// What both error classes share: a spec label (or condition name) and a
/// human-readable message; what() is "label: message".
template <class StdError>
class LabelledError : public StdError {
 public:
  /// An error for the rule or condition `label` (e.g. "conv2d_c11", "io")
  /// with a human-readable `message`.
  LabelledError(std::string label, const std::string& message)
      : StdError(label + ": " + message), label_(std::move(label)) {}
  /// The spec label or condition name, e.g. "conv2d_c11", "conv2d_b1" or "io".
  const std::string& label() const noexcept { return label_; }
  /// what() without its "label: " prefix.
  std::string message() const { return std::string(this->what()).substr(label_.size() + 2); }

 private:
  std::string label_;
};

/// The model, its attributes or its input break a constraint of the spec: the
/// caller's fault, code 1 at the C API.
class LogicError : public LabelledError<std::logic_error> {
 public:
  using LabelledError::LabelledError;
};

/// A failure reported as code 2 at the C API: a constraint upstream reports as
/// a runtime error, a bound assertion that fired (a cvm bug), or the
/// environment (I/O, allocation, the memory cap).
class RuntimeError : public LabelledError<std::runtime_error> {
 public:
  using LabelledError::LabelledError;
};

/// Concatenates anything streamable into one string (error messages).
template <typename... Args>
std::string str(const Args&... args) {
  std::ostringstream os;
  (os << ... << args);
  return os.str();
}

/// Throws LogicError(label, message): a fault of the model or the input.
[[noreturn]] void throw_logic(std::string_view label, const std::string& message);
/// Throws the class that upstream reports for constraint `label`: most
/// constraints are logic errors (upstream's VERIFY, code 1); those listed by
/// is_runtime_label are runtime errors (upstream's CHECK, LOG(FATAL) or
/// ParamError, code 2). The spec page of each label states its class.
[[noreturn]] void throw_invalid(std::string_view label, const std::string& message);
/// True for the constraint labels upstream reports with code 2.
bool is_runtime_label(std::string_view label);
/// Throws RuntimeError(label, message): code 2 at the C API.
[[noreturn]] void throw_runtime(std::string_view label, const std::string& message);

/// The same error (class and label) with "where: " put before its message,
/// e.g. where = "node 3 'c' (conv2d)" gives "conv2d_c11: node 3 'c' (conv2d):
/// w must have ...": the label stays in front, once. Use it to add context to
/// an error on its way up instead of building a new one from what(), which
/// already holds the label.
LogicError in_context(const LogicError& e, std::string_view where);
/// As above, for a RuntimeError.
RuntimeError in_context(const RuntimeError& e, std::string_view where);

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
