// Helpers for the model tests: small hand-written models and checks that a
// load or inference is rejected with a given class, label and message.
#pragma once

#include <gtest/gtest.h>

#include <functional>
#include <string>

#include "cvm/model.h"
#include "cvm/runtime.h"
#include "support.h"

namespace cvm::oracle {

/// The minimal model of spec/model/graph.rst: data (4) at precision 8 -> relu.
std::string relu_symbol();
/// A params file with no arrays (the 32-byte empty list).
std::string empty_params();

/// Expects `body` to throw constraint `label`, of the class the spec gives
/// the label (RuntimeError where is_runtime_label, else LogicError), with a
/// message that contains `needle` (when not empty).
void expect_rejection(const std::string& label, const std::function<void()>& body,
                      const std::string& needle = "");
/// Same for RuntimeError.
void expect_runtime(const std::string& label, const std::function<void()>& body,
                    const std::string& needle = "");

/// Loads a model from symbol text and params bytes.
std::shared_ptr<const Model> load(const std::string& symbol, const std::string& params,
                                  const LoadOptions& options = {});

}  // namespace cvm::oracle
