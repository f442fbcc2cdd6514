// NumPy .npy reader and writer (spec/model/npy.rst).
//
// The file is untrusted input, so the reader checks every size before it uses
// it: the header length is bounded (npy_c3) before the header is looked at,
// the shape's rank, dims and element count are bounded (npy_c8 ... npy_c10)
// before the data length is computed, and the data length must match the
// shape exactly (npy_c11) before anything is allocated for the values.
//
// The header is a Python dict literal. Rather than a regex or a general
// Python parser, it is read by a small recursive-descent parser for a strict
// subset of Python literals (strings, True/False/None, decimal integers,
// tuples, lists), which is enough to parse every header NumPy writes and to
// report a wrong dtype or shape by its value rather than as a syntax error.
#include "cvm/npy.h"

#include <algorithm>
#include <bit>
#include <cerrno>
#include <cfloat>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <functional>
#include <memory>
#include <optional>

#include "cvm/errors.h"

namespace cvm {
namespace {

constexpr std::string_view kMagic("\x93NUMPY", 6);
// npy_c3: NumPy's own headers are a few hundred bytes; the bound keeps a
// hostile length field from making the reader buffer gigabytes of "header".
constexpr size_t kMaxHeaderLen = size_t{1} << 20;
// npy_c4: bounds the recursion depth of the value parser (no stack overflow
// on "((((((...").
constexpr int kMaxNesting = 32;
// The parser checks the syntax of the whole header but keeps only the first
// few items of each tuple or list and the first few dict entries: that is
// enough to judge any header (a shape of 7 items is already too long, a dict
// of 4 entries already has a wrong key), and it keeps memory proportional to
// the nesting depth, not to the header length.
constexpr size_t kKeptItems = kMaxRank + 1;
constexpr size_t kKeptEntries = 4;
// The writer aligns the data to this many bytes, as NumPy does, so that
// memory-mapping readers can use the data in place.
constexpr size_t kDataAlign = 64;
// read_npy grows its buffer by at most this much at a time, so the memory it
// uses follows what the file really holds, not what the header claims.
constexpr size_t kReadChunk = size_t{1} << 20;

size_t itemsize(NpyDtype dtype) { return dtype == NpyDtype::kInt8 ? 1 : 4; }

unsigned byte_at(std::string_view s, size_t i) { return static_cast<unsigned char>(s[i]); }

// A short, printable rendering of header text for messages: the header may be
// up to 1 MiB, and a message should stay one line.
std::string snippet(std::string_view text) {
  constexpr size_t kMax = 60;
  std::string out;
  for (size_t i = 0; i < text.size() && i < kMax; ++i)
    out += (text[i] == '\n' || text[i] == '\r' || text[i] == '\t') ? ' ' : text[i];
  if (text.size() > kMax) out += "...";
  return out;
}

// ---------------------------------------------------------------------------
// Prelude: magic, version, header length (npy_c1 ... npy_c3).

struct Prelude {
  size_t header_offset = 0;  // file offset of the header text: 10 or 12
  size_t header_len = 0;
};

// The prelude is at most 12 bytes; this looks at no more than that, so
// read_npy can call it before it has read the header.
Prelude check_prelude(std::string_view bytes, std::string_view what) {
  CVM_REQUIRE(bytes.size() >= kMagic.size() && bytes.substr(0, kMagic.size()) == kMagic, "npy_c1",
              what, ": not a .npy file: it does not begin with the magic string \\x93NUMPY",
              bytes.size() < kMagic.size() ? str(" (the file is only ", bytes.size(), " bytes)")
                                           : std::string());
  CVM_REQUIRE(bytes.size() >= 8, "npy_c2", what, ": the file ends before the format version (",
              bytes.size(), " bytes)");
  const unsigned major = byte_at(bytes, 6), minor = byte_at(bytes, 7);
  CVM_REQUIRE((major == 1 || major == 2 || major == 3) && minor == 0, "npy_c2", what,
              ": format version ", major, ".", minor,
              " is not accepted (only 1.0, 2.0 and 3.0)");
  // 1.0 has a 2-byte header length; 2.0 and 3.0 widened it to 4 bytes.
  const size_t width = major == 1 ? 2 : 4;
  CVM_REQUIRE(bytes.size() >= 8 + width, "npy_c3", what,
              ": the file ends inside the header length field (", bytes.size(), " bytes)");
  size_t len = 0;
  for (size_t i = width; i-- > 0;) len = (len << 8) | byte_at(bytes, 8 + i);
  CVM_REQUIRE(len <= kMaxHeaderLen, "npy_c3", what, ": header length ", len, " exceeds ",
              kMaxHeaderLen, " bytes");
  return {8 + width, len};
}

// ---------------------------------------------------------------------------
// Header: a Python dict literal (npy_c4), then its meaning (npy_c5 ... npy_c10).

// One parsed Python literal.
struct PyValue {
  enum class Kind { kString, kTrue, kFalse, kNone, kInt, kTuple, kList };
  Kind kind = Kind::kNone;
  std::string_view text;       // the literal as written, for messages
  std::string_view contents;   // kString: the characters between the quotes
  int64_t int_value = 0;       // kInt: saturated to +-(2^63 - 1); `text` is exact
  size_t n_items = 0;          // kTuple, kList: the number of items
  std::vector<PyValue> items;  // kTuple, kList: the first kKeptItems of them
};

class HeaderParser {
 public:
  HeaderParser(std::string_view header, size_t file_offset, std::string_view what)
      : s_(header), base_(file_offset), what_(what) {}

  // The whole header: a dict literal, then only whitespace (NumPy pads with
  // spaces and ends with '\n').
  std::vector<std::pair<PyValue, PyValue>> dict() {
    // Only printable ASCII and the whitespace Python skips: NumPy writes
    // nothing else, and this keeps every later message printable.
    for (size_t i = 0; i < s_.size(); ++i) {
      const unsigned c = byte_at(s_, i);
      if (!((c >= 0x20 && c <= 0x7e) || c == '\t' || c == '\n' || c == '\r')) {
        pos_ = i;
        fail(str("byte 0x", hex(c), " is not printable ASCII"));
      }
    }
    skip_ws();
    expect('{', "the header must be a dict literal '{...}'");
    std::vector<std::pair<PyValue, PyValue>> entries;
    skip_ws();
    while (peek() != '}') {
      PyValue key = value(0);
      skip_ws();
      expect(':', "expected ':' after a dict key");
      skip_ws();
      PyValue val = value(0);
      if (entries.size() < kKeptEntries) entries.emplace_back(std::move(key), std::move(val));
      skip_ws();
      if (peek() == ',') {  // a trailing comma before '}' is allowed
        ++pos_;
        skip_ws();
      } else if (peek() != '}') {
        fail("expected ',' or '}' after a dict value");
      }
    }
    ++pos_;  // '}'
    skip_ws();
    if (pos_ != s_.size()) fail("unexpected text after the dict");
    return entries;
  }

 private:
  static std::string hex(unsigned c) {
    const char* digits = "0123456789abcdef";
    return {digits[(c >> 4) & 15], digits[c & 15]};
  }

  // -1 at the end, so callers never read past the header.
  int peek() const { return pos_ < s_.size() ? static_cast<unsigned char>(s_[pos_]) : -1; }

  std::string found() const {
    const int c = peek();
    if (c < 0) return "the end of the header";
    if (c == '\n' || c == '\r' || c == '\t') return "a line break or tab";
    return str("'", static_cast<char>(c), "'");
  }

  [[noreturn]] void fail(const std::string& message) const {
    throw_logic("npy_c4", str(what_, ": header: at file offset ", base_ + pos_, ": ", message));
  }

  void expect(char c, const char* message) {
    if (peek() != static_cast<unsigned char>(c)) fail(str(message, ", found ", found()));
    ++pos_;
  }

  void skip_ws() {
    while (peek() == ' ' || peek() == '\t' || peek() == '\n' || peek() == '\r') ++pos_;
  }

  static bool is_name_char(int c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
  }

  PyValue value(int depth) {
    if (depth >= kMaxNesting) fail(str("values nested more than ", kMaxNesting, " deep"));
    const size_t start = pos_;
    PyValue v;
    const int c = peek();
    if (c == '\'' || c == '"') {
      v = string_literal();
    } else if (c == '(' || c == '[') {
      v = sequence(depth);
    } else if (c == '-' || (c >= '0' && c <= '9')) {
      v = integer();
    } else if (c >= 0 && is_name_char(c)) {
      while (is_name_char(peek())) ++pos_;
      const std::string_view name = s_.substr(start, pos_ - start);
      if (name == "True") {
        v.kind = PyValue::Kind::kTrue;
      } else if (name == "False") {
        v.kind = PyValue::Kind::kFalse;
      } else if (name == "None") {
        v.kind = PyValue::Kind::kNone;
      } else {
        pos_ = start;
        fail(str("unknown name '", snippet(name), "' (only True, False and None are literals)"));
      }
    } else {
      fail(str("expected a value (a string, True, False, None, an integer, a tuple or a list), "
               "found ",
               found()));
    }
    v.text = s_.substr(start, pos_ - start);
    return v;
  }

  // '...' or "..." without escapes or prefixes: NumPy's keys and dtype
  // strings never need them, and refusing them keeps `contents` exact.
  PyValue string_literal() {
    const char quote = s_[pos_++];
    const size_t begin = pos_;
    while (peek() != quote) {
      if (peek() < 0) fail("unterminated string");
      if (peek() == '\\') fail("escape sequences in strings are not accepted");
      if (peek() < 0x20) fail("line break or tab inside a string");
      ++pos_;
    }
    PyValue v;
    v.kind = PyValue::Kind::kString;
    v.contents = s_.substr(begin, pos_ - begin);
    ++pos_;  // closing quote
    if (is_name_char(peek()) || peek() == '\'' || peek() == '"')
      fail("unexpected text right after a string (prefixes, suffixes and implicit "
           "concatenation are not accepted)");
    return v;
  }

  // Decimal, optional '-', no leading zeros (Python 3 rejects "01"), no
  // '_', '.', exponent or base prefix. The value saturates: anything that big
  // fails the dim bound anyway, and messages quote the text, not the value.
  PyValue integer() {
    bool negative = false;
    if (peek() == '-') {
      negative = true;
      ++pos_;
      if (!(peek() >= '0' && peek() <= '9'))
        fail(str("expected a digit after '-', found ", found()));
    }
    const size_t begin = pos_;
    constexpr int64_t kCap = INT64_MAX;
    int64_t magnitude = 0;
    while (peek() >= '0' && peek() <= '9') {
      const int digit = peek() - '0';
      magnitude = magnitude > (kCap - digit) / 10 ? kCap : magnitude * 10 + digit;
      ++pos_;
    }
    if (pos_ - begin > 1 && s_[begin] == '0') {
      pos_ = begin;
      fail("integers with leading zeros are not accepted");
    }
    if (is_name_char(peek()) || peek() == '.') fail("not a decimal integer");
    PyValue v;
    v.kind = PyValue::Kind::kInt;
    v.int_value = negative ? -magnitude : magnitude;
    return v;
  }

  // A tuple "(a, b)", "(a,)", "()", a list "[a, b]", "[]", or a parenthesised
  // value "(a)" - which in Python is just `a`, not a 1-tuple.
  PyValue sequence(int depth) {
    const char open = s_[pos_++];
    const char close = open == '(' ? ')' : ']';
    PyValue v;
    v.kind = open == '(' ? PyValue::Kind::kTuple : PyValue::Kind::kList;
    bool had_comma = false;
    skip_ws();
    while (peek() != static_cast<unsigned char>(close)) {
      PyValue item = value(depth + 1);
      if (v.items.size() < kKeptItems) v.items.push_back(std::move(item));
      ++v.n_items;
      skip_ws();
      if (peek() == ',') {
        had_comma = true;
        ++pos_;
        skip_ws();
      } else if (peek() != static_cast<unsigned char>(close)) {
        fail(str("expected ',' or '", close, "' in a ", open == '(' ? "tuple" : "list", ", found ",
                 found()));
      }
    }
    ++pos_;  // close
    if (open == '(' && v.n_items == 1 && !had_comma) {
      PyValue inner = std::move(v.items.front());
      return inner;  // value() sets `text` to the whole "(a)"
    }
    return v;
  }

  std::string_view s_;
  size_t base_;  // file offset of s_[0], so messages point into the file
  std::string_view what_;
  size_t pos_ = 0;
};

// Checks npy_c8 ... npy_c10 on a shape and returns its element count. Shared
// by the reader and the writer, so the writer never produces a file the reader
// rejects. `dim_text(i)` renders dim i for messages (the reader quotes the
// header text, which stays exact where the parsed value saturated).
int64_t checked_count(const Shape& shape, const std::string& where,
                      const std::function<std::string(size_t)>& dim_text) {
  CVM_REQUIRE(!shape.empty() && shape.size() <= static_cast<size_t>(kMaxRank), "npy_c8", where,
              "shape has rank ", shape.size(), "; the rank must be in [1, ", kMaxRank, "]");
  for (size_t i = 0; i < shape.size(); ++i)
    CVM_REQUIRE(shape[i] >= 1 && shape[i] <= kMaxDim, "npy_c9", where, "shape dim ", i, " is ",
                dim_text(i), " (must be in [1, ", kMaxDim, "])");
  // Each factor is <= 2^24 and the running product stays <= 2^30 until the
  // loop stops, so the product never overflows.
  int64_t count = 1;
  for (size_t i = 0; i < shape.size(); ++i) {
    count *= shape[i];
    CVM_REQUIRE(count <= kMaxSize, "npy_c10", where, "shape ", shape_str(shape), " has more than ",
                kMaxSize, " elements");
  }
  return count;
}

// ---------------------------------------------------------------------------
// Element types (npy_c6).

// What a descr string names: bool, a signed or unsigned integer of 1, 2, 4 or
// 8 bytes, or a float of 4 or 8 bytes, in either byte order.
enum class Kind { kBool, kSigned, kUnsigned, kFloat };

struct ElementType {
  Kind kind = Kind::kSigned;
  size_t size = 4;          // bytes per element
  bool big_endian = false;  // irrelevant when size is 1
};

// Which element types a reader accepts: the integer reader (the inference
// path) takes bool and integers, the float reader (the quantizer) floats.
enum class Want { kIntegers, kFloats };

std::string type_name(const ElementType& t) {
  std::string name;
  switch (t.kind) {
    case Kind::kBool: return "bool";
    case Kind::kSigned: name = "int"; break;
    case Kind::kUnsigned: name = "uint"; break;
    case Kind::kFloat: name = "float"; break;
  }
  name += std::to_string(8 * t.size);
  if (t.size > 1) name += t.big_endian ? " big-endian" : " little-endian";
  return name;
}

// The element type of a descr string, or nullopt for anything cvm does not
// read. A byte has no order, so 1-byte types may carry any prefix ('|', '<',
// '>', '=') or none; wider types must say '<' or '>', because '=' or no
// prefix mean "the writer's machine order", which a portable file cannot rely
// on.
std::optional<ElementType> element_type(std::string_view s) {
  size_t i = 0;
  char order = 0;
  if (!s.empty() && (s[0] == '|' || s[0] == '<' || s[0] == '>' || s[0] == '=')) {
    order = s[0];
    i = 1;
  }
  if (s.size() != i + 2) return std::nullopt;
  ElementType t;
  switch (s[i]) {
    case 'b': t.kind = Kind::kBool; break;
    case 'i': t.kind = Kind::kSigned; break;
    case 'u': t.kind = Kind::kUnsigned; break;
    case 'f': t.kind = Kind::kFloat; break;
    default: return std::nullopt;
  }
  switch (s[i + 1]) {
    case '1': t.size = 1; break;
    case '2': t.size = 2; break;
    case '4': t.size = 4; break;
    case '8': t.size = 8; break;
    default: return std::nullopt;
  }
  if (t.kind == Kind::kBool && t.size != 1) return std::nullopt;
  if (t.kind == Kind::kFloat && t.size != 4 && t.size != 8) return std::nullopt;
  if (t.size > 1) {
    if (order != '<' && order != '>') return std::nullopt;
    t.big_endian = order == '>';
  }
  return t;
}

// ---------------------------------------------------------------------------
// The header's meaning (npy_c5 ... npy_c10).

struct Header {
  ElementType type;
  Shape shape;
  int64_t count = 0;
};

Header parse_header(std::string_view text, size_t file_offset, std::string_view what, Want want) {
  const auto entries = HeaderParser(text, file_offset, what).dict();
  const std::string where = str(what, ": header: ");

  // npy_c5: exactly the three keys. Python would let a repeated key silently
  // win; a file with two shapes is ambiguous, so it is rejected.
  const char* const kKeys[] = {"descr", "fortran_order", "shape"};
  const PyValue* found[3] = {nullptr, nullptr, nullptr};
  for (const auto& [key, val] : entries) {
    int k = -1;
    if (key.kind == PyValue::Kind::kString)
      for (int j = 0; j < 3; ++j)
        if (key.contents == kKeys[j]) k = j;
    CVM_REQUIRE(k >= 0, "npy_c5", where, "unexpected key ", snippet(key.text),
                " (the keys must be exactly 'descr', 'fortran_order' and 'shape')");
    CVM_REQUIRE(found[k] == nullptr, "npy_c5", where, "key '", kKeys[k], "' appears twice");
    found[k] = &val;
  }
  for (int j = 0; j < 3; ++j)
    CVM_REQUIRE(found[j] != nullptr, "npy_c5", where, "key '", kKeys[j], "' is missing");
  const PyValue& descr = *found[0];
  const PyValue& fortran = *found[1];
  const PyValue& shape = *found[2];

  // npy_c6: an element type this reader converts exactly (element_type).
  Header h;
  const std::optional<ElementType> type = descr.kind == PyValue::Kind::kString
                                              ? element_type(descr.contents)
                                              : std::nullopt;
  if (want == Want::kIntegers) {
    CVM_REQUIRE(type && type->kind != Kind::kFloat, "npy_c6", where, "descr ", snippet(descr.text),
                type ? str(" (", type_name(*type), ")") : std::string(),
                " is not accepted: only bool ('|b1') and integer elements are (int8 or uint8 "
                "'|i1' '|u1'; int16, int32, int64, uint16, uint32, uint64 with an explicit byte "
                "order, e.g. '<i4', '>u2')");
  } else {
    CVM_REQUIRE(type && type->kind == Kind::kFloat, "npy_c6", where, "descr ",
                snippet(descr.text), type ? str(" (", type_name(*type), ")") : std::string(),
                " is not accepted: only float32 and float64 elements with an explicit byte "
                "order are ('<f4', '>f4', '<f8', '>f8')");
  }
  h.type = *type;

  // npy_c7: cvm's data is row-major; a column-major file would need a
  // transpose, which would silently change what "the same file" means.
  CVM_REQUIRE(fortran.kind == PyValue::Kind::kFalse, "npy_c7", where, "fortran_order is ",
              snippet(fortran.text),
              fortran.kind == PyValue::Kind::kTrue ? ": column-major arrays are not accepted"
                                                   : ": it must be False");

  // npy_c8: a tuple of integers (of those kept: a longer tuple fails the rank
  // check just below anyway).
  CVM_REQUIRE(shape.kind == PyValue::Kind::kTuple, "npy_c8", where, "shape ", snippet(shape.text),
              " is not a tuple");
  for (size_t i = 0; i < shape.items.size(); ++i)
    CVM_REQUIRE(shape.items[i].kind == PyValue::Kind::kInt, "npy_c8", where, "shape item ", i,
                " is ", snippet(shape.items[i].text), ", not an integer");
  CVM_REQUIRE(shape.n_items >= 1 && shape.n_items <= static_cast<size_t>(kMaxRank), "npy_c8",
              where, "shape ", snippet(shape.text), " has rank ", shape.n_items,
              "; the rank must be in [1, ", kMaxRank, "]");
  for (const PyValue& d : shape.items) h.shape.push_back(d.int_value);
  h.count = checked_count(h.shape, where,
                          [&](size_t i) { return std::string(shape.items[i].text); });
  return h;
}

// ---------------------------------------------------------------------------
// Whole file.

// A file whose prelude, header and data length have been checked.
struct CheckedFile {
  Header h;
  size_t data_offset = 0;
  std::string_view data;  // exactly count * size bytes
};

// `prefix_only`: `bytes` is only the beginning of the file (read_file stopped
// reading one byte past where the data should end); only the npy_c11 message
// depends on it.
CheckedFile check_file(std::string_view bytes, std::string_view what, bool prefix_only,
                       Want want) {
  const Prelude pre = check_prelude(bytes, what);
  // Subtraction rather than offset + len > size: no overflow either way, but
  // this reads as "what is left".
  CVM_REQUIRE(pre.header_len <= bytes.size() - pre.header_offset, "npy_c3", what, ": header of ",
              pre.header_len, " bytes at file offset ", pre.header_offset,
              " extends past the end of the file (", bytes.size(), " bytes)");
  CheckedFile f;
  f.h = parse_header(bytes.substr(pre.header_offset, pre.header_len), pre.header_offset, what,
                     want);
  f.data_offset = pre.header_offset + pre.header_len;
  // <= 2^33 by npy_c10 and a size of at most 8.
  const size_t expected = static_cast<size_t>(f.h.count) * f.h.type.size;
  const size_t actual = bytes.size() - f.data_offset;
  CVM_REQUIRE(actual == expected && !prefix_only, "npy_c11", what, ": data at file offset ",
              f.data_offset, " is ", prefix_only ? "at least " : "", actual, " bytes; shape ",
              shape_str(f.h.shape), " of ", type_name(f.h.type), " needs exactly ", expected);
  f.data = bytes.substr(f.data_offset, expected);
  return f;
}

// The bits of element i, assembled byte by byte in the file's order:
// independent of the host's byte order and alignment.
uint64_t element_bits(const CheckedFile& f, size_t i) {
  const size_t size = f.h.type.size;
  const size_t at = i * size;
  uint64_t u = 0;
  for (size_t k = 0; k < size; ++k)
    u = (u << 8) | byte_at(f.data, at + (f.h.type.big_endian ? k : size - 1 - k));
  return u;
}

// Where element i is, for messages: its flat index, its index in the shape and
// its file offset.
std::string element_place(const CheckedFile& f, size_t i) {
  std::vector<int64_t> index(f.h.shape.size());
  auto rest = static_cast<int64_t>(i);
  for (size_t d = f.h.shape.size(); d-- > 0;) {
    index[d] = rest % f.h.shape[d];
    rest /= f.h.shape[d];
  }
  std::string s = str("element ", i, " (index ");
  s += shape_str(index);
  return str(s, ", file offset ", f.data_offset + i * f.h.type.size, ")");
}

NpyArray decode_integers(const CheckedFile& f, std::string_view what) {
  const ElementType t = f.h.type;
  NpyArray a;
  a.shape = f.h.shape;
  // int8 and bool values fit int8; every other type may not.
  a.dtype = (t.kind == Kind::kBool || (t.kind == Kind::kSigned && t.size == 1)) ? NpyDtype::kInt8
                                                                                : NpyDtype::kInt32;
  a.data.resize(static_cast<size_t>(f.h.count));  // backed by bytes that exist
  const unsigned bits = static_cast<unsigned>(8 * t.size);
  for (size_t i = 0; i < a.data.size(); ++i) {
    const uint64_t u = element_bits(f, i);
    int64_t v = 0;
    if (t.kind == Kind::kBool) {
      // npy_c14: NumPy writes a bool as the byte 0 or 1.
      CVM_REQUIRE(u <= 1, "npy_c14", what, ": ", element_place(f, i), " is the byte ", u,
                  ": a bool must be 0 or 1");
      v = static_cast<int64_t>(u);
    } else if (t.kind == Kind::kUnsigned) {
      CVM_REQUIRE(u <= static_cast<uint64_t>(INT32_MAX), "npy_c14", what, ": ",
                  element_place(f, i), " is ", u, " (", type_name(t),
                  "), outside the int32 range [-2147483648, 2147483647]");
      v = static_cast<int64_t>(u);
    } else {
      // Sign extension in unsigned arithmetic, then the two's complement
      // conversion to int64 (defined since C++20).
      const uint64_t sign = uint64_t{1} << (bits - 1);
      const uint64_t extended = bits < 64 && (u & sign) != 0 ? u | (~uint64_t{0} << bits) : u;
      v = static_cast<int64_t>(extended);
      CVM_REQUIRE(v >= INT32_MIN && v <= INT32_MAX, "npy_c14", what, ": ", element_place(f, i),
                  " is ", v, " (", type_name(t),
                  "), outside the int32 range [-2147483648, 2147483647]");
    }
    a.data[i] = static_cast<int32_t>(v);
  }
  return a;
}

NpyFloatArray decode_floats(const CheckedFile& f, std::string_view what) {
  NpyFloatArray a;
  a.shape = f.h.shape;
  a.data.resize(static_cast<size_t>(f.h.count));  // backed by bytes that exist
  for (size_t i = 0; i < a.data.size(); ++i) {
    const uint64_t u = element_bits(f, i);
    if (f.h.type.size == 4) {
      const auto x = std::bit_cast<float>(static_cast<uint32_t>(u));
      CVM_REQUIRE(std::isfinite(x), "npy_c15", what, ": ", element_place(f, i), " is ", x,
                  ": values must be finite");
      a.data[i] = x;
    } else {
      const auto x = std::bit_cast<double>(u);
      CVM_REQUIRE(std::isfinite(x), "npy_c15", what, ": ", element_place(f, i), " is ", x,
                  ": values must be finite");
      // Checked before the conversion, which is undefined beyond float's range.
      CVM_REQUIRE(std::fabs(x) <= static_cast<double>(FLT_MAX), "npy_c15", what, ": ",
                  element_place(f, i), " is ", x, ", beyond the float32 range (|x| <= ", FLT_MAX,
                  ")");
      a.data[i] = static_cast<float>(x);  // rounded to nearest
    }
  }
  return a;
}

std::string serialize_impl(const NpyArray& a, std::string_view what) {
  const std::string where = str(what, ": ");
  const int64_t count =
      checked_count(a.shape, where, [&](size_t i) { return std::to_string(a.shape[i]); });
  CVM_REQUIRE(a.dtype == NpyDtype::kInt8 || a.dtype == NpyDtype::kInt32, "npy_c12", where,
              "dtype ", static_cast<int>(a.dtype), " is neither int8 nor int32");
  CVM_REQUIRE(a.data.size() == static_cast<size_t>(count), "npy_c12", where, "data holds ",
              a.data.size(), " values; shape ", shape_str(a.shape), " needs ", count);
  if (a.dtype == NpyDtype::kInt8)
    for (size_t i = 0; i < a.data.size(); ++i)
      CVM_REQUIRE(a.data[i] >= -128 && a.data[i] <= 127, "npy_c13", where, "value ", a.data[i],
                  " at flat index ", i, " does not fit int8");

  // Keys sorted and a trailing ", " as NumPy writes them; shape_str prints a
  // Python tuple literal, "(3,)" for rank 1.
  std::string header = str("{'descr': '", a.dtype == NpyDtype::kInt8 ? "|i1" : "<i4",
                           "', 'fortran_order': False, 'shape': ", shape_str(a.shape), ", }");
  const size_t unpadded = 10 + header.size() + 1;  // prelude + dict + '\n'
  header.append((kDataAlign - unpadded % kDataAlign) % kDataAlign, ' ');
  header += '\n';
  // Rank <= 6 and dims <= 2^24 keep the dict far below the 65535 bytes a
  // version 1.0 length field can express.
  const size_t len = header.size();

  std::string out;
  out.reserve(10 + len + static_cast<size_t>(count) * itemsize(a.dtype));
  out += kMagic;
  out += '\x01';
  out += '\x00';
  out += static_cast<char>(len & 0xff);
  out += static_cast<char>((len >> 8) & 0xff);
  out += header;
  for (int32_t v : a.data) {
    const auto u = static_cast<uint32_t>(v);
    out += static_cast<char>(u & 0xff);
    if (a.dtype == NpyDtype::kInt32) {
      out += static_cast<char>((u >> 8) & 0xff);
      out += static_cast<char>((u >> 16) & 0xff);
      out += static_cast<char>((u >> 24) & 0xff);
    }
  }
  return out;
}

struct FileCloser {
  void operator()(std::FILE* f) const { std::fclose(f); }
};
using File = std::unique_ptr<std::FILE, FileCloser>;


// Reads the file at `path` in stages, each reading only what the checks so far
// allow, and returns check_file's verdict on what it read. The memory used
// follows what the file really holds, not what its header claims.
template <typename Decode>
auto read_file(const std::string& path, Want want, Decode decode) {
  File f(std::fopen(path.c_str(), "rb"));
  if (!f) throw_runtime("io", str(path, ": cannot open for reading: ", std::strerror(errno)));
  std::string buf;
  // Appends up to `n` more bytes; false when the file ended first.
  auto read_more = [&](size_t n) {
    while (n > 0) {
      const size_t chunk = std::min(n, kReadChunk);
      const size_t old = buf.size();
      buf.resize(old + chunk);
      const size_t got = std::fread(buf.data() + old, 1, chunk, f.get());
      buf.resize(old + got);
      n -= got;
      if (got < chunk) {
        if (std::ferror(f.get()))
          throw_runtime("io", str(path, ": read error: ", std::strerror(errno)));
        return false;
      }
    }
    return true;
  };
  auto read_until = [&](size_t total) {
    return total <= buf.size() || read_more(total - buf.size());
  };
  auto whole = [&](bool prefix_only) { return decode(check_file(buf, path, prefix_only, want), path); };

  // Whenever the file ends early, `buf` is the whole file and check_file
  // reports the error.
  if (!read_until(12)) return whole(false);
  const Prelude pre = check_prelude(buf, path);
  const size_t header_end = pre.header_offset + pre.header_len;  // <= 12 + 2^20
  if (!read_until(header_end)) return whole(false);
  const Header h = parse_header(std::string_view(buf).substr(pre.header_offset, pre.header_len),
                                pre.header_offset, path, want);
  // One byte past the data tells trailing bytes apart from the end of file.
  const size_t want_bytes = header_end + static_cast<size_t>(h.count) * h.type.size + 1;
  const bool ended = !read_until(want_bytes);
  return whole(!ended);
}

}  // namespace

NpyArray parse_npy(std::string_view bytes, std::string_view what) {
  return decode_integers(check_file(bytes, what, false, Want::kIntegers), what);
}

NpyArray read_npy(const std::string& path) {
  return read_file(path, Want::kIntegers, decode_integers);
}

NpyFloatArray parse_npy_floats(std::string_view bytes, std::string_view what) {
  return decode_floats(check_file(bytes, what, false, Want::kFloats), what);
}

NpyFloatArray read_npy_floats(const std::string& path) {
  return read_file(path, Want::kFloats, decode_floats);
}

std::string serialize_npy(const NpyArray& a) { return serialize_impl(a, "serialize_npy"); }

void write_npy(const std::string& path, const NpyArray& a) {
  // Serialise first: an invalid array must not clobber an existing file.
  const std::string bytes = serialize_impl(a, path);
  File f(std::fopen(path.c_str(), "wb"));
  if (!f) throw_runtime("io", str(path, ": cannot open for writing: ", std::strerror(errno)));
  if (std::fwrite(bytes.data(), 1, bytes.size(), f.get()) != bytes.size())
    throw_runtime("io", str(path, ": write error: ", std::strerror(errno)));
  // fclose flushes: a full disk may only show here.
  if (std::fclose(f.release()) != 0)
    throw_runtime("io", str(path, ": write error: ", std::strerror(errno)));
}

}  // namespace cvm
