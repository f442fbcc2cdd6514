// The params file (spec/model/params.rst): reader and writer.
#include "cvm/params.h"

#include <algorithm>
#include <cstring>

#include "cvm/errors.h"

namespace cvm {
namespace {

constexpr uint64_t kListMagic = 0xF7E58D4F05049CB7ULL;
constexpr uint64_t kArrayMagic = 0xDD5E40F096B4A13FULL;
constexpr uint64_t kMaxNameBytes = uint64_t{1} << 16;

// Little-endian reads that check the remaining length first, so no size read
// from the file is trusted before it is compared with the bytes that are left.
class Cursor {
 public:
  explicit Cursor(std::string_view bytes) : bytes_(bytes) {}
  size_t left() const { return bytes_.size() - pos_; }
  size_t pos() const { return pos_; }

  bool has(uint64_t n) const { return n <= left(); }

  uint64_t u(int width, const char* label, const std::string& what) {
    CVM_REQUIRE(has(static_cast<uint64_t>(width)), label, what, " at byte ", pos_,
                ": the file ends after ", left(), " more bytes, ", width, " needed");
    uint64_t v = 0;
    for (int k = 0; k < width; ++k)
      v |= static_cast<uint64_t>(static_cast<unsigned char>(bytes_[pos_ + static_cast<size_t>(k)]))
           << (8 * k);
    pos_ += static_cast<size_t>(width);
    return v;
  }
  // Two's-complement reinterpretation of a `width`-byte value.
  int64_t i(int width, const char* label, const std::string& what) {
    const uint64_t v = u(width, label, what);
    if (width == 8) return static_cast<int64_t>(v);
    const uint64_t sign = uint64_t{1} << (8 * width - 1);
    return static_cast<int64_t>(v ^ sign) - static_cast<int64_t>(sign);
  }
  std::string_view take(uint64_t n) {
    const auto out = bytes_.substr(pos_, static_cast<size_t>(n));
    pos_ += static_cast<size_t>(n);
    return out;
  }

 private:
  std::string_view bytes_;
  size_t pos_ = 0;
};

ParamArray read_array(Cursor& c, const std::string& name, size_t k) {
  const std::string what = str("params array ", k, " '", name, "'");
  CVM_REQUIRE(c.has(32), "params_c4", what, " at byte ", c.pos(),
              ": the file ends inside the array header");
  CVM_REQUIRE(c.u(8, "params_c4", what) == kArrayMagic, "params_c4", what,
              " has a wrong array magic");
  c.u(8, "params_c4", what);  // reserved
  const int64_t device_type = c.i(4, "params_c4", what);
  c.i(4, "params_c4", what);  // device_id: not checked (upstream allocates on the CPU anyway)
  const int64_t ndim = c.i(4, "params_c4", what);
  const uint64_t code = c.u(1, "params_c4", what);
  const uint64_t bits = c.u(1, "params_c4", what);
  const uint64_t lanes = c.u(2, "params_c4", what);
  CVM_REQUIRE(device_type == 1, "params_c5", what, " has device_type ", device_type,
              ", expected 1 (CPU)");
  CVM_REQUIRE(code == 0 && (bits == 8 || bits == 32) && lanes == 1, "params_c6", what,
              " has dtype (code ", code, ", bits ", bits, ", lanes ", lanes,
              "), expected (0, 8 or 32, 1)");
  CVM_REQUIRE(ndim >= 1 && ndim <= kMaxRank, "params_c7", what, " has ndim ", ndim,
              ", outside [1, ", kMaxRank, "]");
  ParamArray a;
  a.name = name;
  a.bits = static_cast<int>(bits);
  int64_t size = 1;
  for (int64_t d = 0; d < ndim; ++d) {
    const int64_t dim = c.i(8, "params_c7", what);
    CVM_REQUIRE(dim >= 1 && dim <= kMaxDim, "params_c7", what, " dim ", d, " is ", dim,
                ", outside [1, 2^24]");
    size *= dim;
    CVM_REQUIRE(size <= kMaxSize, "params_c7", what, " has more than 2^30 elements");
    a.shape.push_back(dim);
  }
  const int64_t data_bytes = c.i(8, "params_c8", what);
  const int64_t want = size * static_cast<int64_t>(bits / 8);
  CVM_REQUIRE(data_bytes == want, "params_c8", what, " declares ", data_bytes,
              " data bytes; shape ", shape_str(a.shape), " needs ", want);
  CVM_REQUIRE(c.has(static_cast<uint64_t>(want)), "params_c8", what, " needs ", want,
              " data bytes, the file has ", c.left());
  const std::string_view raw = c.take(static_cast<uint64_t>(want));
  a.data.resize(static_cast<size_t>(size));
  for (int64_t e = 0; e < size; ++e) {
    if (bits == 8) {
      a.data[static_cast<size_t>(e)] = static_cast<int8_t>(raw[static_cast<size_t>(e)]);
    } else {
      uint32_t v = 0;
      for (int b = 0; b < 4; ++b)
        v |= static_cast<uint32_t>(static_cast<unsigned char>(raw[static_cast<size_t>(4 * e + b)]))
             << (8 * b);
      a.data[static_cast<size_t>(e)] = static_cast<int32_t>(v);
    }
  }
  return a;
}

void put(std::string& out, uint64_t v, int width) {
  for (int k = 0; k < width; ++k) out.push_back(static_cast<char>((v >> (8 * k)) & 0xFF));
}

}  // namespace

std::vector<ParamArray> parse_params(std::string_view bytes) {
  Cursor c(bytes);
  CVM_REQUIRE(c.has(16), "params_c1", "params file is ", bytes.size(),
              " bytes, shorter than the 16-byte list header");
  CVM_REQUIRE(c.u(8, "params_c1", "list header") == kListMagic, "params_c1",
              "params file does not start with the list magic 0xF7E58D4F05049CB7");
  c.u(8, "params_c1", "list header");  // reserved
  const uint64_t n_names = c.u(8, "params_c2", "name count");
  // Each name takes at least its 8-byte length: bounds the count by the file.
  CVM_REQUIRE(n_names <= c.left() / 8, "params_c2", "name count ", n_names,
              " cannot fit in the remaining ", c.left(), " bytes");
  std::vector<std::string> names;
  names.reserve(static_cast<size_t>(n_names));
  for (uint64_t k = 0; k < n_names; ++k) {
    const std::string what = str("name ", k);
    const uint64_t len = c.u(8, "params_c2", what + " length");
    CVM_REQUIRE(len <= kMaxNameBytes, "params_c2", what, " is ", len,
                " bytes long, more than 2^16");
    CVM_REQUIRE(c.has(len), "params_c2", what, " needs ", len, " bytes, the file has ", c.left());
    names.emplace_back(c.take(len));
  }
  const uint64_t n_arrays = c.u(8, "params_c3", "array count");
  CVM_REQUIRE(n_arrays == n_names, "params_c3", "array count ", n_arrays, " differs from name count ",
              n_names);
  // Every record takes at least 48 bytes (header, one dim, data_bytes), so a
  // count the file cannot hold reserves no more than the file can.
  std::vector<ParamArray> arrays;
  arrays.reserve(static_cast<size_t>(std::min<uint64_t>(n_arrays, c.left() / 48)));
  for (size_t k = 0; k < names.size(); ++k) arrays.push_back(read_array(c, names[k], k));
  return arrays;  // trailing bytes are ignored, as upstream
}

std::string write_params(const std::vector<ParamArray>& arrays) {
  std::string out;
  put(out, kListMagic, 8);
  put(out, 0, 8);
  put(out, arrays.size(), 8);
  for (const ParamArray& a : arrays) {
    put(out, a.name.size(), 8);
    out += a.name;
  }
  put(out, arrays.size(), 8);
  for (const ParamArray& a : arrays) {
    CVM_REQUIRE(a.bits == 8 || a.bits == 32, "params_c6", "cannot write '", a.name, "' with ",
                a.bits, " bits");
    CVM_REQUIRE(static_cast<int64_t>(a.data.size()) == shape_size(a.shape), "params_c8",
                "cannot write '", a.name, "': ", a.data.size(), " values for shape ",
                shape_str(a.shape));
    put(out, kArrayMagic, 8);
    put(out, 0, 8);
    put(out, 1, 4);  // device_type CPU
    put(out, 0, 4);  // device_id
    put(out, a.shape.size(), 4);
    put(out, 0, 1);
    put(out, static_cast<uint64_t>(a.bits), 1);
    put(out, 1, 2);
    for (int64_t d : a.shape) put(out, static_cast<uint64_t>(d), 8);
    put(out, a.data.size() * static_cast<size_t>(a.bits / 8), 8);
    for (int32_t v : a.data) {
      if (a.bits == 8) {
        CVM_REQUIRE(v >= -128 && v <= 127, "params_c6", "cannot write '", a.name, "' as int8: ", v);
        put(out, static_cast<uint64_t>(static_cast<uint8_t>(v)), 1);
      } else {
        put(out, static_cast<uint32_t>(v), 4);
      }
    }
  }
  return out;
}

}  // namespace cvm
