#include "cvm/errors.h"

#include <algorithm>
#include <array>

namespace cvm {
namespace {

// The constraint labels that upstream reports as runtime errors (code 2):
// its ParamError, CHECK and LOG(FATAL) sites. Drop-in compatibility means the
// same code for the same fault, so these are runtime errors here too, even
// where the model is at fault (spec/common.rst, "Error classes"). Sorted.
constexpr std::array<std::string_view, 30> kRuntimeLabels = {
    "api_c1",              // a null pointer argument (CHECK)
    "api_c2",              // an invalid device type (CHECK)
    "attr_c1",             // unknown attribute key
    "attr_c2",             // required attribute missing
    "attr_c3",             // value outside its type's grammar
    "attr_c4",             // below a parser's lower bound
    "conv2d_c12",          // bias shape (fatal log in shape inference)
    "conv2d_c15",          // out_layout not a layout (layout parser CHECK)
    "cvm_left_shift_c3",   // precision inference returns false
    "dense_c1",            // units below the parser's bound
    "dense_c3",            // weight shape (fatal log in shape inference)
    "dense_c4",            // bias shape (fatal log in shape inference)
    "graph_c1",            // malformed JSON
    "graph_c13",           // duplicate variable name (fatal log)
    "graph_c16",           // op_attrs not a JSON object of strings
    "graph_c20",           // unknown top-level key, wrong JSON type
    "graph_c21",           // node: unknown key, wrong JSON type
    "graph_c22",           // node attrs: unknown key, non-string value
    "graph_c23",           // graph attrs: unknown key, wrong payload type
    "graph_c3",            // unsupported version, postprocess not a string
    "max_c1",              // dtype not a dtype name (parser enum)
    "model_c1",            // no data variable (fatal log)
    "model_c2",            // params name of no variable (fatal log)
    "model_c6",            // memory cap: the machine, not the model
    "op_c0",               // unknown operator name
    "params_c4",           // array record header (CHECK)
    "params_c5",           // array device (CHECK)
    "params_c6",           // array dtype (CHECK)
    "params_c8",           // array data bytes (CHECK)
    "sum_c1",              // dtype not a dtype name (parser enum)
};
static_assert(std::is_sorted(kRuntimeLabels.begin(), kRuntimeLabels.end()));

}  // namespace

bool is_runtime_label(std::string_view label) {
  return std::binary_search(kRuntimeLabels.begin(), kRuntimeLabels.end(), label);
}

void throw_logic(std::string_view label, const std::string& message) {
  throw LogicError(std::string(label), message);
}

void throw_runtime(std::string_view label, const std::string& message) {
  throw RuntimeError(std::string(label), message);
}

LogicError in_context(const LogicError& e, std::string_view where) {
  return LogicError(e.label(), str(where, ": ", e.message()));
}

RuntimeError in_context(const RuntimeError& e, std::string_view where) {
  return RuntimeError(e.label(), str(where, ": ", e.message()));
}

void throw_invalid(std::string_view label, const std::string& message) {
  if (is_runtime_label(label)) throw_runtime(label, message);
  throw_logic(label, message);
}

}  // namespace cvm
