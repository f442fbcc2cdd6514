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

/// One operator case, parsed: an operator applied to given inputs, with either
/// the outputs it must produce or the error it must raise.
struct OpCase {
  /// The operator's name ("op", or the page's operator when absent).
  std::string op;
  /// The attributes as written: strings, exactly as a symbol holds them.
  AttrMap attrs;
  /// The input tensors (shape, precision, row-major data), in operator order.
  std::vector<Tensor> inputs;
  /// The input names of the case ("x", "w", ...), parallel to inputs; used in
  /// reports only.
  std::vector<std::string> input_names;
  /// The expected outputs, compared bit for bit; empty when the case expects
  /// an error or gives no outputs.
  std::vector<Tensor> outputs;
  /// The expected gas weight of the node, when the case states one.
  std::optional<int64_t> gas_weight;
  /// The expected error class, "logic" or "runtime", for a rejected case.
  std::optional<std::string> error_class;
  /// The expected spec label of the error (e.g. "clip_c2"), for a rejected case.
  std::optional<std::string> error_label;
};

/// Parses one case; `default_op` is used when the JSON has no "op". A
/// malformed case is a LogicError labelled "case".
OpCase parse_op_case(std::string_view json_text, std::string_view default_op = {});

/// Serializes tensors as the JSON array form used in cases.
std::string tensors_to_json(const std::vector<Tensor>& tensors);

/// A `.. cvm-example::` block found in an .rst file.
struct SpecExample {
  std::string file;  ///< The .rst file's path as the caller named it, for reports.
  int line = 0;      ///< The 1-based line of the directive in that file.
  std::string json;  ///< The directive's body: one operator case (parse_op_case).
};

/// Extracts every `.. cvm-example::` directive body from reStructuredText.
std::vector<SpecExample> extract_examples(std::string_view rst, const std::string& file);

}  // namespace cvm
