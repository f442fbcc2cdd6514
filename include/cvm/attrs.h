// Operator attributes: the string map of a node's op_attrs and a typed reader.
//
// The accepted syntax (spec/common.rst, "Attribute syntax") is upstream's:
// ints in decimal with optional sign and surrounding blanks; bools
// true/false/1/0 in any case; tuples "(a, b)" or "[a, b]" with an optional
// trailing comma and optional L suffixes, "()" empty, a bare int meaning a
// 1-tuple; optional ints "None" or an int. Every violation is a LogicError:
//   attr_c1 unknown key, attr_c2 missing required key, attr_c3 unparsable value.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace cvm {

using AttrMap = std::map<std::string, std::string, std::less<>>;

class AttrReader {
 public:
  AttrReader(std::string_view op, const AttrMap& attrs) : op_(op), attrs_(attrs) {}

  /// Required int attribute within [lo, hi] of its C type (int32 unless stated).
  int64_t int32(std::string_view key);
  int64_t int32(std::string_view key, int64_t default_value);
  int64_t int64(std::string_view key);
  int64_t int64(std::string_view key, int64_t default_value);
  bool boolean(std::string_view key, bool default_value);
  std::vector<int64_t> tuple(std::string_view key);
  std::vector<int64_t> tuple(std::string_view key, std::vector<int64_t> default_value);
  /// "None" or absent gives nullopt.
  std::optional<int64_t> optional_int32(std::string_view key);
  std::string string(std::string_view key, std::string default_value);

  /// attr_c1: every key of the map must have been read.
  void finish() const;

  std::string_view op() const { return op_; }

 private:
  const std::string* find(std::string_view key);
  [[noreturn]] void missing(std::string_view key) const;

  std::string_view op_;
  const AttrMap& attrs_;
  std::set<std::string, std::less<>> read_;
};

/// Parsers for the attribute syntax, exposed for tests; nullopt if unparsable.
std::optional<int64_t> parse_int(std::string_view text);
std::optional<bool> parse_bool(std::string_view text);
std::optional<std::vector<int64_t>> parse_tuple(std::string_view text);

}  // namespace cvm
