#include <array>

#include "cvm/op.h"

namespace cvm {

// One accessor per operator, defined in reference/<op>.cc. The list is
// generated from spec/ops.json, so an op missing its reference file fails to link.
#define CVM_OP(name) const OpDef& op_def_##name();
#include "cvm_op_list.inc"
#undef CVM_OP

std::span<const OpDef* const> all_ops() {
  static const auto table = [] {
    return std::array{
#define CVM_OP(name) &op_def_##name(),
#include "cvm_op_list.inc"
#undef CVM_OP
    };
  }();
  return table;
}

const OpDef* find_op(std::string_view name) {
  for (const OpDef* op : all_ops())
    if (op->name == name) return op;
  return nullptr;
}

std::any parse_no_attrs(AttrReader&) { return NoAttrs{}; }

int64_t gas_weight_one(const std::any&, const Types&, const Types&) { return 1; }

}  // namespace cvm
