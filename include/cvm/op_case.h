// An operator test case in the JSON form used by spec examples, errata
// reproducers and `cvm op`:
//
//   {"op": "clip",                       (optional inside a spec page: the page's op)
//    "attrs":   {"a_min": "-2", "a_max": "3"},
//    "inputs":  [{"name": "x", "shape": [4], "precision": 8, "data": [-5, -2, 1, 7]}],
//    "outputs": [{"name": "y", "shape": [4], "precision": 3, "data": [-2, -2, 1, 3]}],
//    "gas_weight": 1}
//
// or, for a rejected input, "error": {"class": "logic", "label": "clip_c2"}
// instead of "outputs" / "gas_weight".
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "cvm/attrs.h"
#include "cvm/tensor.h"

namespace cvm {

struct OpCase {
  std::string op;
  AttrMap attrs;
  std::vector<Tensor> inputs;
  std::vector<std::string> input_names;
  std::vector<Tensor> outputs;               // expected, when no error
  std::optional<int64_t> gas_weight;         // expected, when given
  std::optional<std::string> error_class;    // "logic" or "runtime"
  std::optional<std::string> error_label;
};

/// Parses one case; `default_op` is used when the JSON has no "op". A
/// malformed case is a LogicError labelled "case".
OpCase parse_op_case(std::string_view json_text, std::string_view default_op = {});

/// Serializes tensors as the JSON array form used in cases.
std::string tensors_to_json(const std::vector<Tensor>& tensors);

/// A `.. cvm-example::` block found in an .rst file.
struct SpecExample {
  std::string file;
  int line = 0;  // 1-based line of the directive
  std::string json;
};

/// Extracts every `.. cvm-example::` directive body from reStructuredText.
std::vector<SpecExample> extract_examples(std::string_view rst, const std::string& file);

}  // namespace cvm
