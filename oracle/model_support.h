// Helpers for the model tests: small hand-written models and checks that a
// load or inference is rejected with a given class, label and message.
#pragma once

#include <gtest/gtest.h>

#include <functional>
#include <ostream>
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

/// One row of a table-driven bad-input test (bad_graph_test, bad_params_test):
/// reading `input` is the error `label` whose message contains `needle`.
struct BadInput {
  std::string name;    ///< the test's name: the label first, then what is wrong
  std::string label;   ///< the constraint it breaks
  std::string input;   ///< the symbol text or params bytes
  std::string needle;  ///< part of the message: what is wrong and where
};

/// A failing row prints as its name (gtest would print its bytes).
inline void PrintTo(const BadInput& row, std::ostream* os) { *os << row.name; }

/// Names each test of a table after its row's `name` (the name generator
/// of INSTANTIATE_TEST_SUITE_P).
struct RowName {
  template <class Row>
  std::string operator()(const testing::TestParamInfo<Row>& info) const {
    return info.param.name;
  }
};

/// Loads a model from symbol text and params bytes.
std::shared_ptr<const Model> load(const std::string& symbol, const std::string& params,
                                  const LoadOptions& options = {});

}  // namespace cvm::oracle
