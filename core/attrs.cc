#include "cvm/attrs.h"

#include <cctype>
#include <limits>

#include "cvm/errors.h"

namespace cvm {
namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

// Parses an optionally signed decimal integer that fits int64; the whole of
// `s` must be consumed.
std::optional<int64_t> parse_decimal(std::string_view s) {
  if (s.empty()) return std::nullopt;
  bool negative = false;
  if (s.front() == '+' || s.front() == '-') {
    negative = s.front() == '-';
    s.remove_prefix(1);
  }
  if (s.empty()) return std::nullopt;
  // Accumulate the magnitude as unsigned to reach INT64_MIN without overflow.
  uint64_t magnitude = 0;
  const uint64_t limit = negative ? uint64_t{1} << 63 : (uint64_t{1} << 63) - 1;
  for (char c : s) {
    if (c < '0' || c > '9') return std::nullopt;
    const uint64_t digit = static_cast<uint64_t>(c - '0');
    if (magnitude > (limit - digit) / 10) return std::nullopt;
    magnitude = magnitude * 10 + digit;
  }
  if (negative) return magnitude == (uint64_t{1} << 63) ? std::numeric_limits<int64_t>::min()
                                                        : -static_cast<int64_t>(magnitude);
  return static_cast<int64_t>(magnitude);
}

}  // namespace

std::optional<int64_t> parse_int(std::string_view text) { return parse_decimal(trim(text)); }

std::optional<bool> parse_bool(std::string_view text) {
  std::string lower;
  for (char c : trim(text)) lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (lower == "true" || lower == "1") return true;
  if (lower == "false" || lower == "0") return false;
  return std::nullopt;
}

std::optional<std::vector<int64_t>> parse_tuple(std::string_view text) {
  std::string_view s = trim(text);
  std::vector<int64_t> out;
  if (s.empty()) return std::nullopt;
  if (s.front() != '(' && s.front() != '[') {  // a bare int is a 1-tuple
    auto v = parse_decimal(s);
    if (!v) return std::nullopt;
    return std::vector<int64_t>{*v};
  }
  const char close = s.front() == '(' ? ')' : ']';
  if (s.back() != close) return std::nullopt;
  s = trim(s.substr(1, s.size() - 2));
  while (!s.empty()) {
    const size_t comma = s.find(',');
    std::string_view item = trim(s.substr(0, comma));
    if (!item.empty() && (item.back() == 'L' || item.back() == 'l')) item.remove_suffix(1);
    auto v = parse_decimal(item);
    if (!v) return std::nullopt;
    out.push_back(*v);
    if (comma == std::string_view::npos) break;
    s = trim(s.substr(comma + 1));  // a trailing comma leaves s empty
  }
  return out;
}

const std::string* AttrReader::find(std::string_view key) {
  auto it = attrs_.find(key);
  if (it == attrs_.end()) return nullptr;
  read_.insert(std::string(key));
  return &it->second;
}

void AttrReader::missing(std::string_view key) const {
  throw_logic("attr_c2", str(op_, ": required attribute '", key, "' is missing"));
}

namespace {
[[noreturn]] void unparsable(std::string_view op, std::string_view key, const std::string& value,
                             const char* type) {
  throw_logic("attr_c3", str(op, ": attribute '", key, "' = \"", value, "\" is not a valid ", type));
}
}  // namespace

int64_t AttrReader::int32(std::string_view key) {
  const std::string* v = find(key);
  if (!v) missing(key);
  auto n = parse_int(*v);
  if (!n || *n < std::numeric_limits<int32_t>::min() || *n > std::numeric_limits<int32_t>::max())
    unparsable(op_, key, *v, "int32");
  return *n;
}

int64_t AttrReader::int32(std::string_view key, int64_t default_value) {
  return attrs_.count(key) ? int32(key) : default_value;
}

int64_t AttrReader::int64(std::string_view key) {
  const std::string* v = find(key);
  if (!v) missing(key);
  auto n = parse_int(*v);
  if (!n) unparsable(op_, key, *v, "int64");
  return *n;
}

int64_t AttrReader::int64(std::string_view key, int64_t default_value) {
  return attrs_.count(key) ? int64(key) : default_value;
}

bool AttrReader::boolean(std::string_view key, bool default_value) {
  const std::string* v = find(key);
  if (!v) return default_value;
  auto b = parse_bool(*v);
  if (!b) unparsable(op_, key, *v, "bool");
  return *b;
}

std::vector<int64_t> AttrReader::tuple(std::string_view key) {
  const std::string* v = find(key);
  if (!v) missing(key);
  auto t = parse_tuple(*v);
  if (!t) unparsable(op_, key, *v, "tuple of ints");
  return *t;
}

std::vector<int64_t> AttrReader::tuple(std::string_view key, std::vector<int64_t> default_value) {
  return attrs_.count(key) ? tuple(key) : default_value;
}

std::optional<int64_t> AttrReader::optional_int32(std::string_view key) {
  const std::string* v = find(key);
  if (!v || trim(*v) == "None") return std::nullopt;
  auto n = parse_int(*v);
  if (!n || *n < std::numeric_limits<int32_t>::min() || *n > std::numeric_limits<int32_t>::max())
    unparsable(op_, key, *v, "int32 or None");
  return *n;
}

std::string AttrReader::string(std::string_view key, std::string default_value) {
  const std::string* v = find(key);
  return v ? std::string(trim(*v)) : default_value;
}

void AttrReader::finish() const {
  for (const auto& [key, value] : attrs_)
    CVM_REQUIRE(read_.count(key), "attr_c1", op_, ": unknown attribute '", key, "'");
}

}  // namespace cvm
