#include "cvm/op_case.h"

#include <nlohmann/json.hpp>
#include <sstream>

#include "cvm/errors.h"
#include "cvm/intmath.h"

namespace cvm {
namespace {

using nlohmann::json;

Tensor parse_tensor(const json& j) {
  Tensor t;
  t.shape = j.at("shape").get<Shape>();
  t.precision = j.at("precision").get<int>();
  for (const json& v : j.at("data")) {
    const auto n = v.get<int64_t>();
    CVM_REQUIRE(fits_int32(n), "case", "tensor value ", n, " does not fit int32");
    t.data.push_back(static_cast<int32_t>(n));
  }
  return t;
}

// The shape of an op case, for messages.
constexpr const char* kCaseShape =
    "{\"op\": NAME, \"attrs\": {KEY: STRING}, \"inputs\": [{\"shape\", \"precision\", \"data\"}], "
    "\"outputs\": [...]}";

// A JSON library message without its "[json.exception.type_error.302] " tag.
std::string json_message(const json::exception& e) {
  const std::string what = e.what();
  const size_t tag = what.rfind("[json.exception.", 0) == 0 ? what.find("] ") : std::string::npos;
  return tag == std::string::npos ? what : what.substr(tag + 2);
}

json tensor_json(const Tensor& t) {
  return json{{"shape", t.shape}, {"precision", t.precision}, {"data", t.data}};
}

}  // namespace

OpCase parse_op_case(std::string_view json_text, std::string_view default_op) {
  OpCase c;
  json j;
  try {
    j = json::parse(json_text);
  } catch (const json::exception& e) {
    throw_logic("case", str("the op case is not JSON: ", json_message(e)));
  }
  // Say what was expected before reading fields, so that another JSON file
  // (a model's symbol, most likely) is named as such rather than failing on
  // the first field of the wrong type.
  if (!j.is_object())
    throw_logic("case", str("an op case is a JSON object ", kCaseShape, ", not a JSON ", j.type_name()));
  if (j.contains("nodes") && j.contains("heads"))
    throw_logic("case", str("this is a model's symbol (graph JSON with \"nodes\" and \"heads\"), not an op "
                            "case ", kCaseShape, "; a model runs with 'cvm run' or 'cvm check'"));
  if (!j.contains("inputs"))
    throw_logic("case", str("the op case has no \"inputs\" (expected ", kCaseShape, ")"));
  try {
    c.op = j.value("op", std::string(default_op));
    if (j.contains("attrs"))
      for (const auto& [key, value] : j.at("attrs").items()) c.attrs[key] = value.get<std::string>();
    for (const json& t : j.at("inputs")) {
      c.inputs.push_back(parse_tensor(t));
      c.input_names.push_back(t.value("name", ""));
    }
    if (j.contains("outputs"))
      for (const json& t : j.at("outputs")) c.outputs.push_back(parse_tensor(t));
    if (j.contains("gas_weight")) c.gas_weight = j.at("gas_weight").get<int64_t>();
    if (j.contains("error")) {
      c.error_class = j.at("error").at("class").get<std::string>();
      c.error_label = j.at("error").at("label").get<std::string>();
    }
  } catch (const json::exception& e) {
    throw_logic("case", str("malformed op case (expected ", kCaseShape, "): ", json_message(e)));
  }
  CVM_REQUIRE(!c.op.empty(), "case", "op case names no operator");
  return c;
}

std::string tensors_to_json(const std::vector<Tensor>& tensors) {
  json j = json::array();
  for (const Tensor& t : tensors) j.push_back(tensor_json(t));
  return j.dump();
}

std::vector<SpecExample> extract_examples(std::string_view rst, const std::string& file) {
  std::vector<SpecExample> out;
  std::istringstream in{std::string(rst)};
  std::string line;
  int lineno = 0;
  SpecExample* current = nullptr;
  while (std::getline(in, line)) {
    ++lineno;
    if (line.rfind(".. cvm-example::", 0) == 0) {
      out.push_back(SpecExample{file, lineno, ""});
      current = &out.back();
      continue;
    }
    if (!current) continue;
    // The body is every following blank or indented line; option lines
    // (":caption: ...") are skipped.
    const bool indented = !line.empty() && (line[0] == ' ' || line[0] == '\t');
    if (!line.empty() && !indented) {
      current = nullptr;
      continue;
    }
    const size_t first = line.find_first_not_of(" \t");
    if (first != std::string::npos && line[first] == ':' && current->json.empty()) continue;
    current->json += line + "\n";
  }
  return out;
}

}  // namespace cvm
