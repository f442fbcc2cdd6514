// Operator attributes: the string map of a node's op_attrs, each operator's
// attribute schema, and a typed reader.
//
// The value grammar is upstream's, byte for byte (spec/common.rst, "Attribute
// syntax"): upstream reads every value with a C++ input stream, so an int may
// have blanks and a sign in front and blanks behind; a tuple may not start
// with '+'; a bool is exactly true/false/1/0 in any letter case, with no
// blanks; strings and dtype names are taken as written. Parsing happens in two
// phases, as upstream's does:
//   1. check_attr_syntax: every key declared (or hidden, "__x__"), every value
//      in its type's grammar, required keys present, parser bounds met. These
//      are upstream's ParamErrors: runtime errors (code 2), attr_c1 ... attr_c4.
//   2. the op's parse function reads the now well-formed values and checks
//      their meaning (its own <op>_cN labels).
//
// Each operator's schema (keys, types, defaults, parser bounds) is written
// once, in the attribute block of its page spec/ops/<op>.rst; the build
// generates the tables attr_schema_of() returns from those blocks
// (tools/attrs/attr_schema.py).
#pragma once

#include <cstdint>
#include <initializer_list>
#include <map>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace cvm {

/// A node's attributes as the symbol writes them: key to value text, both
/// strings, ordered by key. Values are parsed only by the operator's schema
/// (check_attr_syntax, then AttrReader).
using AttrMap = std::map<std::string, std::string, std::less<>>;

/// The value types of upstream's parameter structs.
enum class AttrType {
  kInt,          ///< int: int32 range
  kBool,         ///< bool
  kString,       ///< std::string, taken as written
  kShape,        ///< TShape, a tuple of int64_t: a tuple of int64
  kIntTuple,     ///< a tuple of int: int32 elements
  kOptionalInt,  ///< optional int: "None" or an int32, an 'L' suffix allowed
  kDtype,        ///< a dtype name (float16 ... int64), taken as written
  kConvDtype,    ///< "same" or a dtype name (conv2d.out_dtype)
};

/// One attribute of an operator's schema.
struct AttrSpec {
  /// The attribute's name as it appears in a node's attrs (e.g. "kernel_size").
  std::string_view key;
  /// Which grammar its value must follow (attr_c3).
  AttrType type;
  /// Whether a node must give it: a missing required key is attr_c2.
  bool required = false;
  /// For a key that is not required: the value an absent key reads as,
  /// written as a node would write it ("(1, 1)", "true", "NCHW").
  std::string_view default_value = {};
  /// A lower bound upstream's parser enforces (set_lower_bound): attr_c4.
  std::optional<int64_t> lower_bound = std::nullopt;
  /// The op's own label for this field's bound (raised instead of attr_c4) or,
  /// for a field without a bound, its grammar (instead of attr_c3). Still a
  /// runtime error: it is upstream's ParamError.
  std::string_view label = {};
};

/// An operator's attribute schema. `has_parser` false: upstream registers no
/// attribute parser for the op, so any key at all is attr_c0 (a logic error).
struct AttrSchema {
  /// Whether upstream registers an attribute parser for the operator.
  bool has_parser = false;
  /// Every key the operator accepts, in upstream's declaration order; any
  /// other key that is not hidden (is_hidden_attr_key) is attr_c1.
  std::span<const AttrSpec> fields;
};

/// The schema of operator `op`, from the attribute block of its page. An
/// operator without attributes, or a name that is no operator, has no parser.
const AttrSchema& attr_schema_of(std::string_view op);

/// The type's name in spec/common.rst's grammar table and examples ("int",
/// "bool", "string", "shape", "tuple", "optional", "dtype", "out_dtype").
std::string_view attr_type_name(AttrType type);

/// Phase 1 (attr_c0 ... attr_c4) for operator `op` with schema `schema`.
void check_attr_syntax(std::string_view op, const AttrSchema& schema, const AttrMap& attrs);

/// True for a key upstream's parser skips silently: longer than 4 bytes,
/// starting and ending with "__".
bool is_hidden_attr_key(std::string_view key);

/// Phase 2 reader. Values must have passed check_attr_syntax; a value that
/// does not parse here is still attr_c3. Every key is read through the
/// operator's schema: an absent key reads as the schema's default (a required
/// one is attr_c2), so a parse function never writes a default of its own.
/// Reading a key the schema lacks, or with the accessor of another type, is a
/// fault of cvm's (a runtime error, "attr_internal"), which the coverage test
/// rules out for every operator.
class AttrReader {
 public:
  /// Reads the attributes `attrs` of a node of operator `op` (named in error
  /// messages), whose schema is `schema`. Keeps references: all three must
  /// outlive the reader.
  AttrReader(std::string_view op, const AttrSchema& schema, const AttrMap& attrs)
      : op_(op), schema_(schema), attrs_(attrs) {}

  /// An int attribute (kInt: int32 range).
  int64_t int32(std::string_view key);
  /// A bool attribute (kBool: true/false/1/0, any letter case).
  bool boolean(std::string_view key);
  /// A tuple of ints (kShape or kIntTuple; read in the int64 range, a kIntTuple
  /// is narrowed in phase 1). A bare int reads as a 1-tuple.
  std::vector<int64_t> tuple(std::string_view key);
  /// An optional int (kOptionalInt): "None" gives nullopt.
  std::optional<int64_t> optional_int32(std::string_view key);
  /// A string, dtype name or out dtype (kString, kDtype, kConvDtype), exactly
  /// as written.
  std::string string(std::string_view key);

  /// The operator name given to the constructor, for messages.
  std::string_view op() const { return op_; }
  /// Bit i is set when schema field i has been read (the coverage test's
  /// check that parse reads every key its page declares).
  uint64_t fields_read() const { return fields_read_; }

 private:
  // The text key `key` reads as (the node's value or the schema's default)
  // after checking that the schema declares it with one of `types`.
  struct Value {
    const std::string_view text;
    const bool is_default;
  };
  Value value(std::string_view key, std::initializer_list<AttrType> types);
  [[noreturn]] void unparsable(std::string_view key, const Value& v, const char* type) const;

  std::string_view op_;
  const AttrSchema& schema_;
  const AttrMap& attrs_;
  uint64_t fields_read_ = 0;
};

/// The value grammar of each type, exposed for tests; nullopt if the whole
/// text is not one value of the type.
std::optional<int64_t> parse_int(std::string_view text, int64_t lo, int64_t hi);
/// The bool grammar: exactly true, false, 1 or 0, in any letter case and
/// without blanks; nullopt for anything else.
std::optional<bool> parse_bool(std::string_view text);
/// The tuple grammar of spec/common.rst (a bracketed, comma-separated list,
/// or a bare int read as a 1-tuple) with every entry in [lo, hi]; nullopt for
/// anything else.
std::optional<std::vector<int64_t>> parse_tuple(std::string_view text, int64_t lo, int64_t hi);
/// nullopt: unparsable; a nullopt inside: "None".
std::optional<std::optional<int64_t>> parse_optional_int(std::string_view text);
/// True when `text` is exactly one of the dtype names (float16 ... int64),
/// compared case-sensitively.
bool is_dtype_name(std::string_view text);

}  // namespace cvm
