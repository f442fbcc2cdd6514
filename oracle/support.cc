#include "support.h"

#include <fstream>
#include <sstream>

#include "cvm/errors.h"
#include "cvm/op.h"
#include "gen/differential.h"

namespace cvm::oracle {

Tensor T(Shape shape, int precision, std::vector<int32_t> data) {
  return Tensor{std::move(shape), precision, std::move(data)};
}

Tensor filled(Shape shape, int precision, int32_t value) {
  const auto n = static_cast<size_t>(shape_size(shape));
  return Tensor{std::move(shape), precision, std::vector<int32_t>(n, value)};
}

std::string describe_difference(const Tensor& expected, const Tensor& actual) {
  return gen::first_difference(expected, actual);
}

void expect_outputs(const std::string& op, const AttrMap& attrs, const std::vector<Tensor>& inputs,
                    const std::vector<Tensor>& expected, std::optional<int64_t> gas_weight) {
  OpRun run;
  try {
    run = run_reference(op, attrs, inputs);
  } catch (const std::exception& e) {
    ADD_FAILURE() << op << " threw: " << e.what();
    return;
  }
  ASSERT_EQ(run.outputs.size(), expected.size()) << op << ": number of outputs";
  for (size_t k = 0; k < expected.size(); ++k) {
    const std::string diff = describe_difference(expected[k], run.outputs[k]);
    EXPECT_EQ(diff, "") << op << " output " << k;
  }
  if (gas_weight) {
    EXPECT_EQ(run.gas_weight, *gas_weight) << op << ": gas weight";
  }
}

namespace {
template <typename Error, typename Fn>
void expect_error(const char* kind, const std::string& label, const std::string& op, Fn&& fn) {
  try {
    fn();
    ADD_FAILURE() << op << ": expected a " << kind << " error " << label << ", but it succeeded";
  } catch (const Error& e) {
    EXPECT_EQ(e.label(), label) << op << ": " << e.what();
  } catch (const std::exception& e) {
    ADD_FAILURE() << op << ": expected a " << kind << " error " << label << ", got: " << e.what();
  }
}
}  // namespace

namespace {
// `fn` must throw `label` as the class the spec gives it.
template <typename Fn>
void expect_label(const std::string& label, const std::string& op, Fn&& fn) {
  if (is_runtime_label(label))
    expect_error<RuntimeError>("runtime", label, op, fn);
  else
    expect_error<LogicError>("logic", label, op, fn);
}
}  // namespace

void expect_rejected(const std::string& label, const std::string& op, const AttrMap& attrs,
                     const std::vector<Tensor>& inputs) {
  expect_label(label, op, [&] { run_reference(op, attrs, inputs); });
}

void expect_rejected_types(const std::string& label, const std::string& op, const AttrMap& attrs,
                           const Types& inputs) {
  expect_label(label, op, [&] { validate_op(op, attrs, inputs); });
}

void expect_runtime_error(const std::string& label, const std::string& op, const AttrMap& attrs,
                          const std::vector<Tensor>& inputs) {
  expect_error<RuntimeError>("runtime", label, op, [&] { run_reference(op, attrs, inputs); });
}

std::string pair_attr(int64_t a, int64_t b) { return tuple_attr({a, b}); }

std::string tuple_attr(const std::vector<int64_t>& entries) {
  std::string s = "(";
  for (size_t i = 0; i < entries.size(); ++i) s += (i ? ", " : "") + std::to_string(entries[i]);
  return s + (entries.size() == 1 ? ",)" : ")");
}

std::vector<std::string> registered_op_names() {
  std::vector<std::string> names;
  for (const OpDef* op : all_ops()) names.emplace_back(op->name);
  return names;
}

std::string source_dir() { return CVM_SOURCE_DIR; }

std::string read_text(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

}  // namespace cvm::oracle
