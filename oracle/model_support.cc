#include "model_support.h"

#include "cvm/errors.h"
#include "cvm/params.h"

namespace cvm::oracle {

std::string relu_symbol() {
  // Written by hand from spec/model/graph.rst (not by the writer under test).
  return R"({"nodes":[{"op":"null","name":"data","inputs":[]},
  {"op":"cvm_op","name":"r","inputs":[[0,0,0]],
   "attrs":{"func_name":"relu","num_inputs":"1","num_outputs":"1","flatten_data":"0"}}],
 "arg_nodes":[0],"node_row_ptr":[0,1,2],"heads":[[1,0,0]],
 "attrs":{"dltype":["list_str",["int32","int32"]],"storage_id":["list_int",[0,1]],
  "shape":["list_shape",[[4],[4]]],"precision":["list_int",[8,-1]],
  "op_attrs":["list_str",["","{}"]]},
 "version":"cvm_1.0.0"})";
}

std::string empty_params() {
  // list magic 0xF7E58D4F05049CB7, reserved 0, n_names 0, n_arrays 0: little-endian.
  return std::string("\xB7\x9C\x04\x05\x4F\x8D\xE5\xF7", 8) + std::string(24, '\0');
}

namespace {

template <typename Error>
void expect_error(const char* kind, const std::string& label, const std::function<void()>& body,
                  const std::string& needle) {
  try {
    body();
  } catch (const Error& e) {
    EXPECT_EQ(e.label(), label) << kind << " message: " << e.what();
    if (!needle.empty()) {
      EXPECT_NE(std::string(e.what()).find(needle), std::string::npos)
          << "message lacks '" << needle << "': " << e.what();
    }
    return;
  } catch (const std::exception& e) {
    ADD_FAILURE() << "expected a " << kind << " " << label << ", got another error: " << e.what();
    return;
  }
  ADD_FAILURE() << "expected a " << kind << " " << label << ", nothing was thrown";
}

}  // namespace

void expect_rejection(const std::string& label, const std::function<void()>& body,
                      const std::string& needle) {
  if (is_runtime_label(label))
    expect_error<RuntimeError>("runtime error", label, body, needle);
  else
    expect_error<LogicError>("logic error", label, body, needle);
}

void expect_runtime(const std::string& label, const std::function<void()>& body,
                    const std::string& needle) {
  expect_error<RuntimeError>("runtime error", label, body, needle);
}

std::shared_ptr<const Model> load(const std::string& symbol, const std::string& params,
                                  const LoadOptions& options) {
  return Model::load(symbol, params, options);
}

}  // namespace cvm::oracle
