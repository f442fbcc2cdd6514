#include "tools/quantize/float_npy.h"

#include <cmath>
#include <cstring>
#include <fstream>
#include <sstream>

#include "cvm/errors.h"

namespace cvm::quant {
namespace {

struct RawNpy {
  std::string descr;
  Shape shape;
  std::string data;
};

[[noreturn]] void bad(const std::string& path, const std::string& why) {
  throw_logic("quantize", "'" + path + "': " + why);
}

// The header is a Python dict literal; only the three keys NumPy writes are read.
RawNpy read_raw(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  if (!f) throw_runtime("io", "cannot open '" + path + "'");
  std::ostringstream ss;
  ss << f.rdbuf();
  const std::string bytes = ss.str();
  if (bytes.size() < 10 || bytes.compare(0, 6, "\x93NUMPY") != 0) bad(path, "not a .npy file");
  const auto major = static_cast<unsigned char>(bytes[6]);
  size_t header_len = 0, offset = 0;
  if (major == 1) {
    header_len = static_cast<unsigned char>(bytes[8]) | (static_cast<size_t>(static_cast<unsigned char>(bytes[9])) << 8);
    offset = 10;
  } else if (major == 2 || major == 3) {
    if (bytes.size() < 12) bad(path, "truncated header");
    for (int i = 3; i >= 0; --i) header_len = (header_len << 8) | static_cast<unsigned char>(bytes[8 + static_cast<size_t>(i)]);
    offset = 12;
  } else {
    bad(path, "unsupported .npy version");
  }
  if (header_len > bytes.size() - offset) bad(path, "truncated header");
  const std::string header = bytes.substr(offset, header_len);
  RawNpy out;
  const auto key = [&](const std::string& k) {
    const size_t at = header.find("'" + k + "'");
    if (at == std::string::npos) bad(path, "header lacks '" + k + "'");
    return header.find(':', at) + 1;
  };
  size_t d = header.find('\'', key("descr"));
  const size_t d_end = header.find('\'', d + 1);
  if (d == std::string::npos || d_end == std::string::npos) bad(path, "bad descr");
  out.descr = header.substr(d + 1, d_end - d - 1);
  if (header.find("True", key("fortran_order")) == header.find_first_not_of(' ', key("fortran_order")))
    bad(path, "Fortran order is not supported");
  const size_t open = header.find('(', key("shape")), close = header.find(')', open);
  if (open == std::string::npos || close == std::string::npos) bad(path, "bad shape");
  std::string dims = header.substr(open + 1, close - open - 1);
  std::istringstream ds(dims);
  std::string item;
  int64_t count = 1;
  while (std::getline(ds, item, ',')) {
    if (item.find_first_not_of(' ') == std::string::npos) continue;
    const long long v = std::stoll(item);
    if (v < 0 || v > (1LL << 31)) bad(path, "bad dimension");
    out.shape.push_back(v);
    count *= v;
    if (count > (int64_t{1} << 31)) bad(path, "too many elements");
  }
  out.data = bytes.substr(offset + header_len);
  return out;
}

size_t width_of(const std::string& path, const std::string& descr) {
  if (descr == "<f4" || descr == "<i4") return 4;
  if (descr == "<f8" || descr == "<i8") return 8;
  if (descr == "|u1" || descr == "|i1") return 1;
  bad(path, "unsupported dtype '" + descr + "'");
}

}  // namespace

FTensor read_float_npy(const std::string& path) {
  const RawNpy raw = read_raw(path);
  if (raw.descr != "<f4" && raw.descr != "<f8") bad(path, "expected float32 or float64, found '" + raw.descr + "'");
  const size_t width = width_of(path, raw.descr);
  const auto n = static_cast<size_t>(element_count(raw.shape));
  if (raw.data.size() != n * width) bad(path, "data size does not match the shape");
  FTensor t{raw.shape, std::vector<float>(n)};
  for (size_t i = 0; i < n; ++i) {
    if (width == 4) {
      std::memcpy(&t.data[i], raw.data.data() + i * 4, 4);
    } else {
      double v;
      std::memcpy(&v, raw.data.data() + i * 8, 8);
      t.data[i] = static_cast<float>(v);
    }
    if (!std::isfinite(t.data[i])) bad(path, "value " + std::to_string(i) + " is not finite");
  }
  return t;
}

std::vector<int64_t> read_label_npy(const std::string& path) {
  const RawNpy raw = read_raw(path);
  if (raw.descr == "<f4" || raw.descr == "<f8") bad(path, "labels must be integers");
  const size_t width = width_of(path, raw.descr);
  const auto n = static_cast<size_t>(element_count(raw.shape));
  if (raw.data.size() != n * width) bad(path, "data size does not match the shape");
  std::vector<int64_t> out(n);
  for (size_t i = 0; i < n; ++i) {
    const char* p = raw.data.data() + i * width;
    if (raw.descr == "|u1") out[i] = static_cast<unsigned char>(*p);
    else if (raw.descr == "|i1") out[i] = static_cast<signed char>(*p);
    else if (width == 4) { int32_t v; std::memcpy(&v, p, 4); out[i] = v; }
    else { int64_t v; std::memcpy(&v, p, 8); out[i] = v; }
  }
  return out;
}

}  // namespace cvm::quant
