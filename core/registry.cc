#include <array>

#include "cvm/op.h"

namespace cvm {

// One accessor per operator, defined in reference/<op>.cc: the functions
// that implement its page. The list is generated from spec/ops.json, so an op
// missing its reference file fails to link.
#define CVM_OP(name) OpDef op_def_##name();
#include "cvm_op_list.inc"
#undef CVM_OP

namespace {

// The operator's definition with the fields its spec/ops.json row states.
OpDef with_row(OpDef def, std::string_view name, bool in_place, int outputs) {
  def.name = name;
  def.in_place = in_place;
  def.num_outputs = outputs;
  def.schema = &attr_schema_of(name);
  return def;
}

}  // namespace

std::span<const OpDef* const> all_ops() {
  static const auto defs = std::array{
#define CVM_OP_ROW(name, in_place, outputs) with_row(op_def_##name(), #name, in_place, outputs),
#include "cvm_op_rows.inc"
#undef CVM_OP_ROW
  };
  static const auto table = [] {
    std::array<const OpDef*, defs.size()> pointers{};
    for (size_t i = 0; i < defs.size(); ++i) pointers[i] = &defs[i];
    return pointers;
  }();
  return table;
}

const OpDef* find_op(std::string_view name) {
  for (const OpDef* op : all_ops())
    if (op->name == name) return op;
  return nullptr;
}

const OpDef* upstream_alias_target(std::string_view name) {
  // Upstream's add_alias names: they pass its operator registry as the op they
  // name and fail only at the kernel lookup, a logic error, where an unknown
  // name is a runtime one.
  static constexpr std::pair<std::string_view, std::string_view> kAliases[] = {
      {"nn.relu", "relu"},
      {"vision.non_max_suppression", "non_max_suppression"},
      {"__add_symbol__", "broadcast_add"},
      {"add", "broadcast_add"},
      {"__sub_symbol__", "broadcast_sub"},
      {"subtract", "broadcast_sub"},
      {"__mul_symbol__", "broadcast_mul"},
      {"multiply", "broadcast_mul"},
      {"__max_symbol__", "broadcast_max"},
      {"__div_symbol__", "broadcast_div"},
      {"__greater_symbol__", "broadcast_greater"}};
  for (const auto& [alias, target] : kAliases)
    if (alias == name) return find_op(target);
  return nullptr;
}

bool is_upstream_alias(std::string_view name) { return upstream_alias_target(name) != nullptr; }

const OpDef& resolve_op(std::string_view name, std::string_view where) {
  const OpDef* op = find_op(name);
  if (op) return *op;
  CVM_REQUIRE(!is_upstream_alias(name), "op_c4", where, "operator '", name,
              "' is an upstream alias, which has no kernel");
  throw_invalid("op_c0", str(where, "unknown operator '", name, "'"));
}

const OpDef& resolve_graph_op(std::string_view name, std::string_view where) {
  if (const OpDef* op = find_op(name)) return *op;
  if (const OpDef* target = upstream_alias_target(name)) return *target;
  throw_invalid("op_c0", str(where, "unknown operator '", name, "'"));
}

std::any parse_no_attrs(AttrReader&) { return NoAttrs{}; }

int64_t gas_weight_one(const std::any&, const Types&, const Types&) { return 1; }

}  // namespace cvm
