// attr_schema_of: every operator's attribute schema, generated at build time
// from the attribute blocks of spec/ops/<op>.rst (tools/attrs/attr_schema.py),
// so the page is the only place an attribute is declared.
#include <algorithm>
#include <iterator>

#include "cvm/attrs.h"

namespace cvm {
namespace {

struct OpAttrSchema {
  std::string_view op;
  AttrSchema schema;
};

#include "cvm_attr_schema.inc"

}  // namespace

const AttrSchema& attr_schema_of(std::string_view op) {
  static const AttrSchema kNoParser{};
  const auto it = std::find_if(std::begin(kSchemas), std::end(kSchemas),
                               [&](const OpAttrSchema& s) { return s.op == op; });
  return it == std::end(kSchemas) ? kNoParser : it->schema;
}

}  // namespace cvm
