#include "cvm/attrs.h"

#include <algorithm>
#include <limits>

#include "cvm/errors.h"

namespace cvm {
namespace {

constexpr int64_t kInt32Lo = std::numeric_limits<int32_t>::min();
constexpr int64_t kInt32Hi = std::numeric_limits<int32_t>::max();
constexpr int64_t kInt64Lo = std::numeric_limits<int64_t>::min();
constexpr int64_t kInt64Hi = std::numeric_limits<int64_t>::max();

// The blanks of the "C" locale's isspace, which upstream's streams use.
bool is_blank(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r';
}
bool is_digit(char c) { return c >= '0' && c <= '9'; }

// A read position in an attribute value: the part of an input stream that
// upstream's parsers use (peek, get, end of input).
struct Cursor {
  std::string_view s;
  size_t pos = 0;
  bool at_end() const { return pos >= s.size(); }
  char peek() const { return s[pos]; }
  char get() { return s[pos++]; }
  void skip_blanks() {
    while (!at_end() && is_blank(peek())) ++pos;
  }
  // What every value must end with: blanks only.
  bool only_blanks_left() {
    skip_blanks();
    return at_end();
  }
};

// `stream >> integer` of the C++ library: leading blanks, an optional sign,
// one or more decimal digits (as many as follow); a value outside [lo, hi]
// fails. Nothing after the digits is consumed.
std::optional<int64_t> scan_int(Cursor& c, int64_t lo, int64_t hi) {
  c.skip_blanks();
  bool negative = false;
  if (!c.at_end() && (c.peek() == '+' || c.peek() == '-')) negative = c.get() == '-';
  if (c.at_end() || !is_digit(c.peek())) return std::nullopt;
  // The magnitude as unsigned, saturated once past 2^63 (then out of range).
  const uint64_t cap = uint64_t{1} << 63;
  uint64_t magnitude = 0;
  while (!c.at_end() && is_digit(c.peek())) {
    const auto digit = static_cast<uint64_t>(c.get() - '0');
    magnitude = magnitude > (cap - digit) / 10 ? cap + 1 : magnitude * 10 + digit;
  }
  if (magnitude > cap) return std::nullopt;
  int64_t value;
  if (negative) {
    value = magnitude == cap ? kInt64Lo : -static_cast<int64_t>(magnitude);
  } else {
    if (magnitude == cap) return std::nullopt;
    value = static_cast<int64_t>(magnitude);
  }
  if (value < lo || value > hi) return std::nullopt;
  return value;
}

bool is_close(char c) { return c == ')' || c == ']'; }

// Upstream's tuple reader (cvm/tuple.h) followed by the end-of-value check.
std::optional<std::vector<int64_t>> scan_tuple(Cursor& c, int64_t lo, int64_t hi) {
  // Before the opening bracket: blanks; a digit or '-' starts a bare 1-tuple.
  while (true) {
    if (c.at_end()) return std::nullopt;
    const char ch = c.peek();
    if (is_digit(ch) || ch == '-') {
      auto v = scan_int(c, lo, hi);
      if (!v) return std::nullopt;
      return std::vector<int64_t>{*v};
    }
    c.get();
    if (ch == '(' || ch == '[') break;
    if (!is_blank(ch)) return std::nullopt;  // '+', a letter, ...
  }
  std::vector<int64_t> out;
  c.skip_blanks();
  if (!c.at_end() && is_close(c.peek())) {
    c.get();
    return out;
  }
  while (true) {
    auto v = scan_int(c, lo, hi);
    if (!v) return std::nullopt;
    out.push_back(*v);
    c.skip_blanks();
    if (c.at_end()) return std::nullopt;
    char ch = c.get();
    // One upper-case L may follow the blanks after an item, and no blank after it.
    if (ch == 'L') {
      if (c.at_end()) return std::nullopt;
      ch = c.get();
    }
    if (is_close(ch)) return out;  // either bracket closes either opening
    if (ch != ',') return std::nullopt;
    c.skip_blanks();
    if (!c.at_end() && is_close(c.peek())) {  // a trailing comma
      c.get();
      return out;
    }
  }
}

}  // namespace

std::optional<int64_t> parse_int(std::string_view text, int64_t lo, int64_t hi) {
  Cursor c{text};
  auto v = scan_int(c, lo, hi);
  if (!v || !c.only_blanks_left()) return std::nullopt;
  return v;
}

std::optional<bool> parse_bool(std::string_view text) {
  // Compared whole after lower-casing: no blanks are allowed.
  std::string lower(text);
  for (char& ch : lower)
    if (ch >= 'A' && ch <= 'Z') ch = static_cast<char>(ch - 'A' + 'a');
  if (lower == "true" || lower == "1") return true;
  if (lower == "false" || lower == "0") return false;
  return std::nullopt;
}

std::optional<std::vector<int64_t>> parse_tuple(std::string_view text, int64_t lo, int64_t hi) {
  Cursor c{text};
  auto t = scan_tuple(c, lo, hi);
  if (!t || !c.only_blanks_left()) return std::nullopt;
  return t;
}

std::optional<std::optional<int64_t>> parse_optional_int(std::string_view text) {
  Cursor c{text};
  // Exactly "None" at the very start (no blank before it).
  if (text.substr(0, 4) == "None") {
    c.pos = 4;
    if (!c.only_blanks_left()) return std::nullopt;
    return std::optional<int64_t>{};
  }
  auto v = scan_int(c, kInt32Lo, kInt32Hi);
  if (!v) return std::nullopt;
  if (!c.at_end() && c.peek() == 'L') c.get();  // one 'L' right after the digits
  if (!c.only_blanks_left()) return std::nullopt;
  return std::optional<int64_t>{*v};
}

bool is_dtype_name(std::string_view text) {
  static constexpr std::string_view kNames[] = {"float16", "float32", "float64", "uint8",
                                                "uint16",  "uint32",  "uint64",  "int8",
                                                "int16",   "int32",   "int64"};
  return std::find(std::begin(kNames), std::end(kNames), text) != std::end(kNames);
}

std::string_view attr_type_name(AttrType type) {
  switch (type) {
    case AttrType::kInt: return "int";
    case AttrType::kBool: return "bool";
    case AttrType::kString: return "string";
    case AttrType::kShape: return "shape";
    case AttrType::kIntTuple: return "tuple";
    case AttrType::kOptionalInt: return "optional";
    case AttrType::kDtype: return "dtype";
    case AttrType::kConvDtype: return "out_dtype";
  }
  return "value";
}

bool is_hidden_attr_key(std::string_view key) {
  return key.size() > 4 && key.substr(0, 2) == "__" && key.substr(key.size() - 2) == "__";
}

namespace {

// Phase-1 value of one attribute: the int it holds when it has one (for
// lower bounds), or nullopt when it does not parse.
std::optional<std::optional<int64_t>> check_value(AttrType t, std::string_view v) {
  using R = std::optional<std::optional<int64_t>>;
  switch (t) {
    case AttrType::kInt: {
      auto n = parse_int(v, kInt32Lo, kInt32Hi);
      return n ? R{n} : R{};
    }
    case AttrType::kBool: return parse_bool(v) ? R{std::optional<int64_t>{}} : R{};
    case AttrType::kString: return R{std::optional<int64_t>{}};
    case AttrType::kShape:
      return parse_tuple(v, kInt64Lo, kInt64Hi) ? R{std::optional<int64_t>{}} : R{};
    case AttrType::kIntTuple:
      return parse_tuple(v, kInt32Lo, kInt32Hi) ? R{std::optional<int64_t>{}} : R{};
    case AttrType::kOptionalInt: return parse_optional_int(v) ? R{std::optional<int64_t>{}} : R{};
    case AttrType::kDtype: return is_dtype_name(v) ? R{std::optional<int64_t>{}} : R{};
    case AttrType::kConvDtype:
      return v == "same" || is_dtype_name(v) ? R{std::optional<int64_t>{}} : R{};
  }
  return R{};
}

}  // namespace

void check_attr_syntax(std::string_view op, const AttrSchema& schema, const AttrMap& attrs) {
  if (!schema.has_parser) {
    // Upstream has no parser for the op and verifies the map is empty.
    CVM_REQUIRE(attrs.empty(), "attr_c0", op, " takes no attributes, got '", attrs.begin()->first,
                "'");
    return;
  }
  for (const auto& [key, value] : attrs) {
    const std::string_view name = key;  // a lambda cannot capture a structured binding (C++17)
    const auto spec = std::find_if(schema.fields.begin(), schema.fields.end(),
                                   [&](const AttrSpec& s) { return s.key == name; });
    if (spec == schema.fields.end()) {
      CVM_REQUIRE(is_hidden_attr_key(key), "attr_c1", op, ": unknown attribute '", key, "'");
      continue;
    }
    const auto parsed = check_value(spec->type, value);
    // The field's own label names its bound when it has one, else its grammar.
    const bool own = !spec->label.empty();
    CVM_REQUIRE(parsed.has_value(), own && !spec->lower_bound ? spec->label : "attr_c3", op,
                ": attribute '", key, "' = \"", value, "\" is not a valid ", attr_type_name(spec->type),
                " (spec/common.rst)");
    if (spec->lower_bound && parsed->has_value())
      CVM_REQUIRE(**parsed >= *spec->lower_bound, own ? spec->label : "attr_c4", op,
                  ": attribute '", key, "' = ", **parsed, " must be >= ", *spec->lower_bound);
  }
  for (const AttrSpec& s : schema.fields)
    CVM_REQUIRE(!s.required || attrs.count(s.key), "attr_c2", op, ": required attribute '", s.key,
                "' is missing");
}

AttrReader::Value AttrReader::value(std::string_view key, std::initializer_list<AttrType> types) {
  const auto& fields = schema_.fields;
  const auto spec = std::find_if(fields.begin(), fields.end(), [&](const AttrSpec& s) { return s.key == key; });
  if (spec == fields.end())
    throw_runtime("op_internal", str(op_, ": parse reads attribute '", key, "', which the attribute block of spec/ops/",
                                     op_, ".rst does not declare"));
  if (std::find(types.begin(), types.end(), spec->type) == types.end())
    throw_runtime("op_internal", str(op_, ": parse reads attribute '", key, "' as ", attr_type_name(*types.begin()),
                                     ", but spec/ops/", op_, ".rst declares it ", attr_type_name(spec->type)));
  const auto index = static_cast<size_t>(spec - fields.begin());
  if (index < 64) fields_read_ |= uint64_t{1} << index;
  if (const auto it = attrs_.find(key); it != attrs_.end()) return {it->second, false};
  if (spec->required) throw_invalid("attr_c2", str(op_, ": required attribute '", key, "' is missing"));
  return {spec->default_value, true};
}

void AttrReader::unparsable(std::string_view key, const Value& v, const char* type) const {
  // A default the page gives that its own grammar rejects is cvm's fault.
  if (v.is_default)
    throw_runtime("op_internal", str(op_, ": the default \"", v.text, "\" of attribute '", key,
                                     "' in spec/ops/", op_, ".rst is not a valid ", type));
  throw_invalid("attr_c3", str(op_, ": attribute '", key, "' = \"", v.text, "\" is not a valid ", type));
}

int64_t AttrReader::int32(std::string_view key) {
  const Value v = value(key, {AttrType::kInt});
  const auto n = parse_int(v.text, kInt32Lo, kInt32Hi);
  if (!n) unparsable(key, v, "int");
  return *n;
}

bool AttrReader::boolean(std::string_view key) {
  const Value v = value(key, {AttrType::kBool});
  const auto b = parse_bool(v.text);
  if (!b) unparsable(key, v, "boolean");
  return *b;
}

std::vector<int64_t> AttrReader::tuple(std::string_view key) {
  const Value v = value(key, {AttrType::kShape, AttrType::kIntTuple});
  auto t = parse_tuple(v.text, kInt64Lo, kInt64Hi);
  if (!t) unparsable(key, v, "tuple of ints");
  return std::move(*t);
}

std::optional<int64_t> AttrReader::optional_int32(std::string_view key) {
  const Value v = value(key, {AttrType::kOptionalInt});
  const auto n = parse_optional_int(v.text);
  if (!n) unparsable(key, v, "int or None");
  return *n;
}

std::string AttrReader::string(std::string_view key) {
  return std::string(value(key, {AttrType::kString, AttrType::kDtype, AttrType::kConvDtype}).text);
}

}  // namespace cvm
