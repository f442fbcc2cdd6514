// NumPy .npy files (spec/model/npy.rst): what the reader accepts and rejects
// (one test per npy_cN label, plus the malformed files a reader meets in
// practice) and what the writer produces.
//
// Expected bytes are written out by hand here (or are the bytes NumPy 1.24's
// np.save wrote for the same array), never produced by the code under test.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <string_view>
#include <vector>

#include "cvm/errors.h"
#include "cvm/npy.h"

namespace cvm::oracle {
namespace {

// A byte string from a literal that may hold NULs.
template <size_t N>
std::string B(const char (&s)[N]) {
  return std::string(s, N - 1);
}

// A .npy file assembled by hand: magic, version, the header length field in
// the width of that version (little-endian), the header text verbatim, then
// the data bytes verbatim.
std::string npy(std::string_view header, std::string_view data, int major = 1, int minor = 0) {
  std::string out = B("\x93NUMPY");
  out += static_cast<char>(major);
  out += static_cast<char>(minor);
  const size_t len = header.size();
  const int width = major == 1 ? 2 : 4;
  if (width == 2 && len > 0xffff) ADD_FAILURE() << "a version 1.0 header must fit 16 bits";
  for (int i = 0; i < width; ++i) out += static_cast<char>((len >> (8 * i)) & 0xff);
  out += header;
  out += data;
  return out;
}

// Little-endian int32 bytes, written out by hand per value.
std::string le32(std::initializer_list<uint32_t> values) {
  std::string out;
  for (uint32_t v : values)
    for (int i = 0; i < 4; ++i) out += static_cast<char>((v >> (8 * i)) & 0xff);
  return out;
}

const std::string kI4_23 = "{'descr': '<i4', 'fortran_order': False, 'shape': (2, 3), }";

// The files NumPy 1.24 writes for np.save(np.array([[1, -2, 3], [4, 5, -6]],
// dtype='<i4')) and np.save(np.array([-128, -1, 0, 127], dtype='i1')).
const std::string kNumpyI4 =
    B("\x93NUMPY\x01\x00\x76\x00") +
    "{'descr': '<i4', 'fortran_order': False, 'shape': (2, 3), }" + std::string(58, ' ') + "\n" +
    B("\x01\x00\x00\x00\xfe\xff\xff\xff\x03\x00\x00\x00\x04\x00\x00\x00\x05\x00\x00\x00\xfa\xff\xff"
      "\xff");
const std::string kNumpyI1 = B("\x93NUMPY\x01\x00\x76\x00") +
                             "{'descr': '|i1', 'fortran_order': False, 'shape': (4,), }" +
                             std::string(60, ' ') + "\n" + B("\x80\xff\x00\x7f");

// Expects parse_npy to reject `bytes` with a LogicError carrying `label`
// whose message contains `fragment`.
void expect_rejected(const std::string& bytes, const std::string& label,
                     const std::string& fragment = "") {
  try {
    parse_npy(bytes, "x.npy");
    ADD_FAILURE() << "accepted; expected " << label;
  } catch (const LogicError& e) {
    EXPECT_EQ(e.label(), label) << e.what();
    EXPECT_NE(std::string(e.what()).find(fragment), std::string::npos)
        << "message '" << e.what() << "' lacks '" << fragment << "'";
    EXPECT_NE(std::string(e.what()).find("x.npy"), std::string::npos) << e.what();
  }
}

void expect_write_rejected(const NpyArray& a, const std::string& label,
                           const std::string& fragment = "") {
  try {
    serialize_npy(a);
    ADD_FAILURE() << "serialised; expected " << label;
  } catch (const LogicError& e) {
    EXPECT_EQ(e.label(), label) << e.what();
    EXPECT_NE(std::string(e.what()).find(fragment), std::string::npos) << e.what();
  }
}

// A file under the test temp directory, removed when the test ends.
class TempFile {
 public:
  explicit TempFile(const std::string& name)
      : path_(::testing::TempDir() + "cvm_npy_test_" + std::to_string(::getpid()) + "_" + name) {
    std::remove(path_.c_str());
  }
  ~TempFile() { std::remove(path_.c_str()); }
  const std::string& path() const { return path_; }
  void write(const std::string& bytes) const {
    std::ofstream(path_, std::ios::binary) << bytes;
  }
  std::string read() const {
    std::ifstream in(path_, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  }

 private:
  std::string path_;
};

// ---------------------------------------------------------------------------
// Accepted files.

TEST(npy, parses_the_file_numpy_writes_for_int32) {
  const NpyArray a = parse_npy(kNumpyI4, "x.npy");
  EXPECT_EQ(a.shape, (Shape{2, 3}));
  EXPECT_EQ(a.dtype, NpyDtype::kInt32);
  EXPECT_EQ(a.data, (std::vector<int32_t>{1, -2, 3, 4, 5, -6}));
}

TEST(npy, parses_the_file_numpy_writes_for_int8_sign_extending) {
  const NpyArray a = parse_npy(kNumpyI1, "x.npy");
  EXPECT_EQ(a.shape, (Shape{4}));
  EXPECT_EQ(a.dtype, NpyDtype::kInt8);
  EXPECT_EQ(a.data, (std::vector<int32_t>{-128, -1, 0, 127}));
}

TEST(npy, int32_extremes_and_byte_order) {
  const NpyArray a = parse_npy(
      npy("{'descr': '<i4', 'fortran_order': False, 'shape': (4,)}",
          le32({0x80000000u, 0x7fffffffu, 0xffffffffu, 0x01020304u})),
      "x.npy");
  EXPECT_EQ(a.data, (std::vector<int32_t>{INT32_MIN, INT32_MAX, -1, 0x01020304}));
}

TEST(npy, every_int8_spelling) {
  for (const char* descr : {"'|i1'", "'<i1'", "'i1'", "\"|i1\""}) {
    const NpyArray a = parse_npy(
        npy(std::string("{'descr': ") + descr + ", 'fortran_order': False, 'shape': (1, 2), }",
            B("\x81\x01")),
        "x.npy");
    EXPECT_EQ(a.dtype, NpyDtype::kInt8) << descr;
    EXPECT_EQ(a.shape, (Shape{1, 2})) << descr;
    EXPECT_EQ(a.data, (std::vector<int32_t>{-127, 1})) << descr;
  }
}

// Every integer element type in both byte orders, the bytes written out by
// hand: the same six values -1, 2, -3, 4, 127, 0 (unsigned: 255, 2, 253, 4,
// 127, 0) must come out as int32.
TEST(npy, every_integer_type_and_byte_order) {
  struct Case {
    const char* descr;
    std::string data;
    std::vector<int32_t> values;
    NpyDtype dtype;
  };
  const std::vector<int32_t> sv = {-1, 2, -3, 4, 127, 0};
  const std::vector<int32_t> uv = {255, 2, 253, 4, 127, 0};
  const std::vector<Case> cases = {
      {"'|i1'", B("\xff\x02\xfd\x04\x7f\x00"), sv, NpyDtype::kInt8},
      {"'>i1'", B("\xff\x02\xfd\x04\x7f\x00"), sv, NpyDtype::kInt8},
      {"'=i1'", B("\xff\x02\xfd\x04\x7f\x00"), sv, NpyDtype::kInt8},
      {"'|u1'", B("\xff\x02\xfd\x04\x7f\x00"), uv, NpyDtype::kInt32},
      {"'u1'", B("\xff\x02\xfd\x04\x7f\x00"), uv, NpyDtype::kInt32},
      {"'<i2'", B("\xff\xff\x02\x00\xfd\xff\x04\x00\x7f\x00\x00\x00"), sv, NpyDtype::kInt32},
      {"'>i2'", B("\xff\xff\x00\x02\xff\xfd\x00\x04\x00\x7f\x00\x00"), sv, NpyDtype::kInt32},
      {"'<u2'", B("\xff\x00\x02\x00\xfd\x00\x04\x00\x7f\x00\x00\x00"), uv, NpyDtype::kInt32},
      {"'>u2'", B("\x00\xff\x00\x02\x00\xfd\x00\x04\x00\x7f\x00\x00"), uv, NpyDtype::kInt32},
      {"'<i4'", le32({0xffffffffu, 2, 0xfffffffdu, 4, 127, 0}), sv, NpyDtype::kInt32},
      {"'>i4'",
       B("\xff\xff\xff\xff\x00\x00\x00\x02\xff\xff\xff\xfd\x00\x00\x00\x04\x00\x00\x00\x7f\x00\x00"
         "\x00\x00"),
       sv, NpyDtype::kInt32},
      {"'<u4'", le32({255, 2, 253, 4, 127, 0}), uv, NpyDtype::kInt32},
      {"'>u4'",
       B("\x00\x00\x00\xff\x00\x00\x00\x02\x00\x00\x00\xfd\x00\x00\x00\x04\x00\x00\x00\x7f\x00\x00"
         "\x00\x00"),
       uv, NpyDtype::kInt32},
      {"'<i8'",
       B("\xff\xff\xff\xff\xff\xff\xff\xff\x02\x00\x00\x00\x00\x00\x00\x00\xfd\xff\xff\xff\xff\xff"
         "\xff\xff\x04\x00\x00\x00\x00\x00\x00\x00\x7f\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00"
         "\x00\x00\x00\x00"),
       sv, NpyDtype::kInt32},
      {"'>i8'",
       B("\xff\xff\xff\xff\xff\xff\xff\xff\x00\x00\x00\x00\x00\x00\x00\x02\xff\xff\xff\xff\xff\xff"
         "\xff\xfd\x00\x00\x00\x00\x00\x00\x00\x04\x00\x00\x00\x00\x00\x00\x00\x7f\x00\x00\x00\x00"
         "\x00\x00\x00\x00"),
       sv, NpyDtype::kInt32},
      {"'<u8'",
       B("\xff\x00\x00\x00\x00\x00\x00\x00\x02\x00\x00\x00\x00\x00\x00\x00\xfd\x00\x00\x00\x00\x00"
         "\x00\x00\x04\x00\x00\x00\x00\x00\x00\x00\x7f\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00"
         "\x00\x00\x00\x00"),
       uv, NpyDtype::kInt32},
      {"'>u8'",
       B("\x00\x00\x00\x00\x00\x00\x00\xff\x00\x00\x00\x00\x00\x00\x00\x02\x00\x00\x00\x00\x00\x00"
         "\x00\xfd\x00\x00\x00\x00\x00\x00\x00\x04\x00\x00\x00\x00\x00\x00\x00\x7f\x00\x00\x00\x00"
         "\x00\x00\x00\x00"),
       uv, NpyDtype::kInt32},
      {"'|b1'", B("\x01\x00\x01\x01\x00\x00"), {1, 0, 1, 1, 0, 0}, NpyDtype::kInt8},
  };
  for (const Case& c : cases) {
    const NpyArray a = parse_npy(
        npy(std::string("{'descr': ") + c.descr + ", 'fortran_order': False, 'shape': (2, 3), }",
            c.data),
        "x.npy");
    EXPECT_EQ(a.shape, (Shape{2, 3})) << c.descr;
    EXPECT_EQ(a.data, c.values) << c.descr;
    EXPECT_EQ(a.dtype, c.dtype) << c.descr;
    // What cvm read, it writes back (int8 or int32) and reads as the same.
    const NpyArray b = parse_npy(serialize_npy(a), "back.npy");
    EXPECT_EQ(b.data, a.data) << c.descr;
  }
}

TEST(npy, wide_integers_at_the_int32_limits) {
  const NpyArray a = parse_npy(
      npy("{'descr': '<i8', 'fortran_order': False, 'shape': (2,)}",
          B("\x00\x00\x00\x80\xff\xff\xff\xff\xff\xff\xff\x7f\x00\x00\x00\x00")),
      "x.npy");
  EXPECT_EQ(a.data, (std::vector<int32_t>{INT32_MIN, INT32_MAX}));
  const NpyArray b = parse_npy(npy("{'descr': '>u4', 'fortran_order': False, 'shape': (1,)}",
                                   B("\x7f\xff\xff\xff")),
                               "x.npy");
  EXPECT_EQ(b.data, (std::vector<int32_t>{INT32_MAX}));
  const NpyArray c = parse_npy(npy("{'descr': '>u8', 'fortran_order': False, 'shape': (1,)}",
                                   B("\x00\x00\x00\x00\x7f\xff\xff\xff")),
                               "x.npy");
  EXPECT_EQ(c.data, (std::vector<int32_t>{INT32_MAX}));
}

TEST(npy, the_float_reader_reads_float32_and_float64_in_both_orders) {
  // 1.5 = 0x3fc00000 (float32) = 0x3ff8000000000000 (float64); -0.25 =
  // 0xbe800000 = 0xbfd0000000000000; 0.1 as float64 is 0x3fb999999999999a and
  // rounds to the float32 0x3dcccccd.
  const NpyFloatArray a = parse_npy_floats(
      npy("{'descr': '<f4', 'fortran_order': False, 'shape': (1, 2)}",
          B("\x00\x00\xc0\x3f\x00\x00\x80\xbe")),
      "f.npy");
  EXPECT_EQ(a.shape, (Shape{1, 2}));
  EXPECT_EQ(a.data, (std::vector<float>{1.5f, -0.25f}));
  const NpyFloatArray b = parse_npy_floats(
      npy("{'descr': '>f4', 'fortran_order': False, 'shape': (2,)}",
          B("\x3f\xc0\x00\x00\xbe\x80\x00\x00")),
      "f.npy");
  EXPECT_EQ(b.data, (std::vector<float>{1.5f, -0.25f}));
  const NpyFloatArray c = parse_npy_floats(
      npy("{'descr': '<f8', 'fortran_order': False, 'shape': (3,)}",
          B("\x00\x00\x00\x00\x00\x00\xf8\x3f\x00\x00\x00\x00\x00\x00\xd0\xbf\x9a\x99\x99\x99\x99"
            "\x99\xb9\x3f")),
      "f.npy");
  EXPECT_EQ(c.data, (std::vector<float>{1.5f, -0.25f, 0.1f}));
  const NpyFloatArray d = parse_npy_floats(
      npy("{'descr': '>f8', 'fortran_order': False, 'shape': (3,)}",
          B("\x3f\xf8\x00\x00\x00\x00\x00\x00\xbf\xd0\x00\x00\x00\x00\x00\x00\x3f\xb9\x99\x99\x99"
            "\x99\x99\x9a")),
      "f.npy");
  EXPECT_EQ(d.data, (std::vector<float>{1.5f, -0.25f, 0.1f}));
}

TEST(npy, versions_2_and_3_have_a_4_byte_header_length) {
  for (int major : {2, 3}) {
    const std::string file = npy(kI4_23, le32({1, 2, 3, 4, 5, 6}), major);
    ASSERT_EQ(file.substr(8, 4), B("\x3b\x00\x00\x00"));  // 59 = kI4_23.size()
    const NpyArray a = parse_npy(file, "x.npy");
    EXPECT_EQ(a.shape, (Shape{2, 3}));
    EXPECT_EQ(a.data, (std::vector<int32_t>{1, 2, 3, 4, 5, 6}));
  }
}

TEST(npy, key_order_quotes_spaces_and_trailing_comma_are_free) {
  const std::vector<std::string> headers = {
      "{'shape': (2,), 'descr': '<i4', 'fortran_order': False}",
      "{\"fortran_order\":False,\"shape\":(2,),\"descr\":\"<i4\",}",
      "  {\n 'descr' : '<i4' ,\n\t'fortran_order' : False ,\r\n 'shape' : ( 2 , ) , }  \n",
      "{'descr': '<i4', 'fortran_order': False, 'shape': ((2,)), }",  // parenthesised tuple
  };
  for (const std::string& h : headers) {
    const NpyArray a = parse_npy(npy(h, le32({7, 0xfffffff9u})), "x.npy");
    EXPECT_EQ(a.shape, (Shape{2})) << h;
    EXPECT_EQ(a.data, (std::vector<int32_t>{7, -7})) << h;
  }
}

TEST(npy, rank_6_and_the_largest_dim) {
  const NpyArray a = parse_npy(
      npy("{'descr': '|i1', 'fortran_order': False, 'shape': (1, 1, 1, 1, 1, 2)}", B("\x05\xfb")),
      "x.npy");
  EXPECT_EQ(a.shape, (Shape{1, 1, 1, 1, 1, 2}));
  EXPECT_EQ(a.data, (std::vector<int32_t>{5, -5}));
  const NpyArray b = parse_npy(
      npy("{'descr': '|i1', 'fortran_order': False, 'shape': (16777216,)}",
          std::string(1 << 24, 'A')),
      "x.npy");
  EXPECT_EQ(b.shape, (Shape{1 << 24}));
  EXPECT_EQ(b.data.size(), size_t{1} << 24);
  EXPECT_EQ(b.data.back(), 'A');
}

// ---------------------------------------------------------------------------
// Writing: the exact bytes NumPy writes, and round trips.

TEST(npy, serialize_writes_what_numpy_writes) {
  EXPECT_EQ(serialize_npy({{2, 3}, NpyDtype::kInt32, {1, -2, 3, 4, 5, -6}}), kNumpyI4);
  EXPECT_EQ(serialize_npy({{4}, NpyDtype::kInt8, {-128, -1, 0, 127}}), kNumpyI1);
}

TEST(npy, serialize_pads_the_header_to_a_multiple_of_64) {
  // Headers of different lengths: the data offset is always a multiple of 64
  // and the header is spaces then one '\n' before it.
  const std::vector<Shape> shapes = {{1},       {100000},        {3, 5},
                                     {99, 99, 99}, {1, 2, 3, 4, 5, 6}, {10, 10, 10, 10, 10, 10}};
  for (const Shape& s : shapes) {
    int64_t n = 1;
    for (int64_t d : s) n *= d;
    const NpyArray a{s, NpyDtype::kInt8, std::vector<int32_t>(static_cast<size_t>(n), 0)};
    const std::string out = serialize_npy(a);
    const size_t header_len =
        static_cast<unsigned char>(out[8]) | (static_cast<unsigned char>(out[9]) << 8);
    EXPECT_EQ((10 + header_len) % 64, 0u);
    EXPECT_EQ(out.size(), 10 + header_len + static_cast<size_t>(n));
    EXPECT_EQ(out[10 + header_len - 1], '\n');
    EXPECT_EQ(out.substr(0, 8), B("\x93NUMPY\x01\x00"));
  }
}

TEST(npy, round_trip_in_memory) {
  const NpyArray i4{{2, 1, 3}, NpyDtype::kInt32, {INT32_MIN, INT32_MAX, 0, -1, 1, 65536}};
  const NpyArray back4 = parse_npy(serialize_npy(i4), "x.npy");
  EXPECT_EQ(back4.shape, i4.shape);
  EXPECT_EQ(back4.dtype, i4.dtype);
  EXPECT_EQ(back4.data, i4.data);
  const NpyArray i1{{5}, NpyDtype::kInt8, {-128, 127, 0, -1, 1}};
  const NpyArray back1 = parse_npy(serialize_npy(i1), "x.npy");
  EXPECT_EQ(back1.shape, i1.shape);
  EXPECT_EQ(back1.dtype, i1.dtype);
  EXPECT_EQ(back1.data, i1.data);
}

TEST(npy, round_trip_through_a_file) {
  TempFile f("round_trip.npy");
  const NpyArray a{{3, 2}, NpyDtype::kInt32, {6, 5, 4, -3, -2, -1}};
  write_npy(f.path(), a);
  EXPECT_EQ(f.read(), npy("{'descr': '<i4', 'fortran_order': False, 'shape': (3, 2), }" +
                              std::string(58, ' ') + "\n",
                          le32({6, 5, 4, 0xfffffffdu, 0xfffffffeu, 0xffffffffu})));
  const NpyArray b = read_npy(f.path());
  EXPECT_EQ(b.shape, a.shape);
  EXPECT_EQ(b.dtype, a.dtype);
  EXPECT_EQ(b.data, a.data);
}

// ---------------------------------------------------------------------------
// One test per label.

TEST(npy, npy_c1_magic) {
  expect_rejected("", "npy_c1", "magic");
  expect_rejected(B("\x93NUMP"), "npy_c1", "only 5 bytes");
  std::string file = kNumpyI4;
  file[1] = 'n';
  expect_rejected(file, "npy_c1", "magic");
  expect_rejected("PK\x03\x04 this is a zip file (.npz)", "npy_c1");
}

TEST(npy, npy_c2_version) {
  expect_rejected(B("\x93NUMPY\x01"), "npy_c2", "ends before the format version");
  expect_rejected(npy(kI4_23, le32({1, 2, 3, 4, 5, 6}), 4), "npy_c2", "version 4.0");
  expect_rejected(npy(kI4_23, le32({1, 2, 3, 4, 5, 6}), 0), "npy_c2", "version 0.0");
  expect_rejected(npy(kI4_23, le32({1, 2, 3, 4, 5, 6}), 1, 1), "npy_c2", "version 1.1");
}

TEST(npy, npy_c3_header_length_and_extent) {
  // The length field itself cut short (2 bytes for 1.0, 4 for 2.0).
  expect_rejected(B("\x93NUMPY\x01\x00\x05"), "npy_c3", "header length field");
  expect_rejected(B("\x93NUMPY\x02\x00\x05\x00\x00"), "npy_c3", "header length field");
  // Longer than 1 MiB: rejected from the field alone, whatever follows.
  expect_rejected(B("\x93NUMPY\x02\x00\x01\x00\x10\x00{}"), "npy_c3", "1048577 exceeds 1048576");
  expect_rejected(B("\x93NUMPY\x03\x00\xff\xff\xff\xff{}"), "npy_c3", "4294967295 exceeds");
  // Truncated header: the length field promises more than the file has.
  const std::string full = npy(kI4_23, "");
  expect_rejected(full.substr(0, full.size() - 1), "npy_c3", "extends past the end of the file");
  expect_rejected(B("\x93NUMPY\x01\x00\xff\xff{}"), "npy_c3", "header of 65535 bytes");
}

TEST(npy, npy_c4_header_syntax) {
  const std::vector<std::pair<std::string, std::string>> bad = {
      {"", "dict literal"},
      {"   \n", "dict literal"},
      {"[('descr', '<i4')]", "dict literal"},
      {"{'descr': '<i4', 'fortran_order': False, 'shape': (2, 3)", "expected ',' or '}'"},
      {"{'descr' '<i4', 'fortran_order': False, 'shape': (2, 3)}", "expected ':'"},
      {"{'descr': '<i4' 'fortran_order': False, 'shape': (2, 3)}", "expected ',' or '}'"},
      {"{'descr': '<i4''', 'fortran_order': False, 'shape': (2, 3)}", "implicit concatenation"},
      {"{'descr': '<i4', 'fortran_order': False, 'shape': (2, 3)} x", "after the dict"},
      {"{'descr': '<i4', 'fortran_order': False, 'shape': (2, 3)}}", "after the dict"},
      {"{'descr': '<i4', 'fortran_order': false, 'shape': (2, 3)}", "unknown name 'false'"},
      {"{'descr': '<i4', 'fortran_order': False, 'shape': (2, 3.0)}", "not a decimal integer"},
      {"{'descr': '<i4', 'fortran_order': False, 'shape': (2, 3L)}", "not a decimal integer"},
      {"{'descr': '<i4', 'fortran_order': False, 'shape': (2, 0x3)}", "not a decimal integer"},
      {"{'descr': '<i4', 'fortran_order': False, 'shape': (2, 03)}", "leading zeros"},
      {"{'descr': '<i4', 'fortran_order': False, 'shape': (2,, 3)}", "expected a value"},
      {"{'descr': '<i4', 'fortran_order': False, 'shape': (,)}", "expected a value"},
      {"{'descr': '<i4', 'fortran_order': False, 'shape': (2 3)}", "expected ',' or ')'"},
      {"{'descr': '<i4', 'fortran_order': False, 'shape': (2, 3}", "expected ',' or ')'"},
      {"{'descr': '<i4', 'fortran_order': False, 'shape': +3}", "expected a value"},
      {"{'descr': '<i4', 'fortran_order': False, 'shape': - 3}", "digit after '-'"},
      {"{'descr': '<\\x69\\x34', 'fortran_order': False, 'shape': (2, 3)}", "escape"},
      {"{'descr': b'<i4', 'fortran_order': False, 'shape': (2, 3)}", "unknown name 'b'"},
      {"{'descr': '<i4, 'fortran_order': False, 'shape': (2, 3)}", "after a string"},
      {"{'descr': '<i4', 'fortran_order': False, 'shape': (2, 3), 'x': '}", "unterminated"},
      {"{'descr': '<i4',, 'fortran_order': False, 'shape': (2, 3)}", "expected a value"},
      {"{'descr': '<i4', 'fortran_order': False, 'shape': (2, 3)} # comment", "after the dict"},
      {"{'descr': '\t<i4', 'fortran_order': False, 'shape': (2, 3)}", "inside a string"},
      {"{'descr': '<i4', 'fortran_order': False, 'shape': (2, 3), **x}", "expected a value"},
      {"{'descr': '<i4', 'fortran_order': False, 'shape': __import__('os')}", "unknown name"},
      {"{'descr': '<i4', 'fortran_order': False, 'shape': (2, 3)}\x7f", "byte 0x7f"},
      {"{'descr': '<i4', 'fortran_order': False, 'shape': (2, 3)}\x0c", "not printable ASCII"},
      {"{'descr': '\xc3\xa9', 'fortran_order': False, 'shape': (2, 3)}", "byte 0xc3"},
  };
  for (const auto& [header, fragment] : bad)
    expect_rejected(npy(header, le32({1, 2, 3, 4, 5, 6})), "npy_c4", fragment);
  // The header text with an embedded NUL (a C string literal cannot hold it).
  expect_rejected(npy(B("{'descr': '<i4'\0, 'fortran_order': False, 'shape': (2, 3)}"),
                      le32({1, 2, 3, 4, 5, 6})),
                  "npy_c4", "byte 0x00");
}

TEST(npy, npy_c4_says_where) {
  // The ':' is missing where the second string starts: header byte 9, file
  // offset 10 + 9.
  expect_rejected(npy("{'descr' '<i4', 'fortran_order': False, 'shape': (2, 3)}", ""), "npy_c4",
                  "x.npy: header: at file offset 19: expected ':' after a dict key, found '''");
  // Version 2.0: the header starts at offset 12.
  expect_rejected(npy("{'descr' '<i4', 'fortran_order': False, 'shape': (2, 3)}", "", 2), "npy_c4",
                  "at file offset 21");
}

TEST(npy, npy_c4_deep_nesting_is_bounded) {
  // Far deeper than the parser's recursion limit; a reader without one would
  // overflow its stack.
  const std::string deep = std::string(100000, '(') + "1" + std::string(100000, ')');
  expect_rejected(npy("{'descr': '<i4', 'fortran_order': False, 'shape': " + deep + "}", "", 2),
                  "npy_c4", "nested");
  const std::string deep_list = std::string(100000, '[');
  expect_rejected(npy("{'descr': " + deep_list, "", 3), "npy_c4", "nested");
}

TEST(npy, npy_c5_exactly_the_three_keys) {
  const std::string d = "'descr': '<i4'", f = "'fortran_order': False", s = "'shape': (2, 3)";
  const std::string data = le32({1, 2, 3, 4, 5, 6});
  expect_rejected(npy("{" + f + ", " + s + "}", data), "npy_c5", "key 'descr' is missing");
  expect_rejected(npy("{" + d + ", " + s + "}", data), "npy_c5", "key 'fortran_order' is missing");
  expect_rejected(npy("{" + d + ", " + f + "}", data), "npy_c5", "key 'shape' is missing");
  expect_rejected(npy("{}", data), "npy_c5", "key 'descr' is missing");
  expect_rejected(npy("{" + d + ", " + f + ", " + s + ", 'extra': 1}", data), "npy_c5",
                  "unexpected key 'extra'");
  expect_rejected(npy("{" + d + ", " + f + ", " + s + ", 'Shape': (2, 3)}", data), "npy_c5",
                  "unexpected key 'Shape'");
  expect_rejected(npy("{" + d + ", " + f + ", " + s + ", 3: 1}", data), "npy_c5",
                  "unexpected key 3");
  expect_rejected(npy("{" + d + ", " + f + ", " + s + ", 'shape': (3, 2)}", data), "npy_c5",
                  "key 'shape' appears twice");
  // Many entries, the extra ones after the valid three.
  std::string many = "{" + d + ", " + f + ", " + s;
  for (int i = 0; i < 50000; ++i) many += ", 'k': 1";
  expect_rejected(npy(many + "}", data, 2), "npy_c5", "unexpected key 'k'");
  // ... but a syntax error anywhere still comes first (npy_c4 before npy_c5).
  expect_rejected(npy(many + ", 'k' 1}", data, 2), "npy_c4", "expected ':'");
}

TEST(npy, npy_c6_only_bool_and_integers) {
  const std::string data = le32({1, 2, 3, 4, 5, 6});
  // Floats, native-order multi-byte types ('=' or no prefix), sizes and
  // kinds NumPy has but cvm does not read, and non-strings.
  for (const char* descr : {"'<f4'", "'>f8'", "'i4'", "'=i4'", "'u2'", "'=u8'", "'<f2'", "'<i3'",
                            "'<b2'", "'|i16'", "'<I4'", "'<c8'", "'|S4'", "'<U1'", "'|O'", "'<M8'",
                            "''", "'<'", "'i'", "None", "4", "[('a', '<i4')]"}) {
    expect_rejected(
        npy(std::string("{'descr': ") + descr + ", 'fortran_order': False, 'shape': (2, 3)}", data),
        "npy_c6",
        std::string("x.npy: header: descr ") + descr);
    expect_rejected(
        npy(std::string("{'descr': ") + descr + ", 'fortran_order': False, 'shape': (2, 3)}", data),
        "npy_c6", "only bool ('|b1') and integer elements are");
  }
  // A float names its type, and the check comes before the shape's (npy_c9).
  expect_rejected(npy("{'descr': '>f4', 'fortran_order': False, 'shape': (0,)}", ""), "npy_c6",
                  "descr '>f4' (float32 big-endian) is not accepted");
}

TEST(npy, npy_c6_the_float_reader_takes_only_float32_and_float64) {
  for (const char* descr : {"'<i4'", "'|i1'", "'|u1'", "'|b1'", "'>i8'", "'f4'", "'=f8'", "'<f2'",
                            "'<f16'", "None"}) {
    try {
      parse_npy_floats(npy(std::string("{'descr': ") + descr +
                               ", 'fortran_order': False, 'shape': (2, 3)}",
                           std::string(48, '\0')),
                       "f.npy");
      ADD_FAILURE() << descr << " accepted";
    } catch (const LogicError& e) {
      EXPECT_EQ(e.label(), "npy_c6") << e.what();
      EXPECT_NE(std::string(e.what()).find(std::string("f.npy: header: descr ") + descr),
                std::string::npos)
          << e.what();
      EXPECT_NE(std::string(e.what()).find("only float32 and float64"), std::string::npos)
          << e.what();
    }
  }
}

TEST(npy, npy_c7_fortran_order_false) {
  const std::string data = le32({1, 2, 3, 4, 5, 6});
  expect_rejected(npy("{'descr': '<i4', 'fortran_order': True, 'shape': (2, 3)}", data), "npy_c7",
                  "fortran_order is True: column-major arrays are not accepted");
  for (const char* v : {"0", "'False'", "None", "(False,)"})
    expect_rejected(
        npy(std::string("{'descr': '<i4', 'fortran_order': ") + v + ", 'shape': (2, 3)}", data),
        "npy_c7", "it must be False");
}

TEST(npy, npy_c8_shape_is_a_tuple_of_rank_1_to_6) {
  // Version 2.0, for the 4-byte header length the longest case needs.
  auto with_shape = [](const std::string& shape) {
    return npy("{'descr': '|i1', 'fortran_order': False, 'shape': " + shape + "}", "\x01", 2);
  };
  expect_rejected(with_shape("()"), "npy_c8", "shape () has rank 0");  // a 0-d array
  expect_rejected(with_shape("(1, 1, 1, 1, 1, 1, 1)"), "npy_c8", "has rank 7");
  expect_rejected(with_shape("1"), "npy_c8", "shape 1 is not a tuple");
  expect_rejected(with_shape("(1)"), "npy_c8", "shape (1) is not a tuple");  // Python: an int
  expect_rejected(with_shape("[1]"), "npy_c8", "shape [1] is not a tuple");
  expect_rejected(with_shape("None"), "npy_c8", "not a tuple");
  expect_rejected(with_shape("(1, '1')"), "npy_c8", "shape item 1 is '1', not an integer");
  expect_rejected(with_shape("((1,),)"), "npy_c8", "shape item 0 is (1,), not an integer");
  expect_rejected(with_shape("(True,)"), "npy_c8", "not an integer");
  // A header of ~1 MiB that is one long tuple: the rank is counted exactly.
  std::string long_shape = "(";
  for (int i = 0; i < 300000; ++i) long_shape += "1,";
  expect_rejected(with_shape(long_shape + ")"), "npy_c8", "has rank 300000");
}

TEST(npy, npy_c9_dims_in_range) {
  auto with_shape = [](const std::string& shape) {
    return npy("{'descr': '<i4', 'fortran_order': False, 'shape': " + shape + "}", "");
  };
  expect_rejected(with_shape("(2, 0)"), "npy_c9",
                  "x.npy: header: shape dim 1 is 0 (must be in [1, 16777216])");
  expect_rejected(with_shape("(-1,)"), "npy_c9", "shape dim 0 is -1");
  expect_rejected(with_shape("(16777217,)"), "npy_c9", "shape dim 0 is 16777217");
  // Beyond int64: the message quotes the text, not a wrapped value.
  expect_rejected(with_shape("(1, 99999999999999999999999999)"), "npy_c9",
                  "shape dim 1 is 99999999999999999999999999");
  expect_rejected(with_shape("(-99999999999999999999999999,)"), "npy_c9",
                  "shape dim 0 is -99999999999999999999999999");
}

TEST(npy, npy_c10_size_at_most_2_to_30) {
  // 2^31 elements declared with no data: rejected for the size, before the
  // data length is even looked at (and before anything is allocated).
  expect_rejected(npy("{'descr': '<i4', 'fortran_order': False, 'shape': (65536, 32768)}", ""),
                  "npy_c10", "shape (65536, 32768) has more than 1073741824 elements");
  // Six maximal dims: 2^144 elements; no overflow in the count.
  expect_rejected(npy("{'descr': '|i1', 'fortran_order': False, 'shape': (16777216, 16777216, "
                      "16777216, 16777216, 16777216, 16777216)}",
                      ""),
                  "npy_c10", "more than 1073741824 elements");
}

TEST(npy, npy_c11_data_length_exact) {
  const std::string h = kI4_23;
  const std::string data = le32({1, 2, 3, 4, 5, 6});
  expect_rejected(
      npy(h, data.substr(0, 23)), "npy_c11",
      "x.npy: data at file offset 69 is 23 bytes; shape (2, 3) of int32 little-endian needs exactly 24");
  expect_rejected(npy(h, ""), "npy_c11", "is 0 bytes");
  expect_rejected(npy(h, data + "\n"), "npy_c11", "is 25 bytes");
  expect_rejected(npy(h, data + data), "npy_c11", "is 48 bytes");
  // int8: one byte per element.
  expect_rejected(npy("{'descr': '|i1', 'fortran_order': False, 'shape': (3,)}", "ab"), "npy_c11",
                  "shape (3,) of int8 needs exactly 3");
  // The size check cannot be fooled by a file whose length is a multiple of
  // the item size for another dtype.
  expect_rejected(npy("{'descr': '<i4', 'fortran_order': False, 'shape': (4,)}", "abcd"),
                  "npy_c11", "needs exactly 16");
}

TEST(npy, npy_c14_integer_values_fit_int32) {
  // int64 2^31 at flat index 4 of a (2, 3) array: index (1, 1); the data
  // starts at file offset 10 + header length.
  const std::string h8 = "{'descr': '<i8', 'fortran_order': False, 'shape': (2, 3)}";
  std::string d8(48, '\0');
  d8[4 * 8 + 3] = '\x80';  // 0x0000000080000000
  expect_rejected(npy(h8, d8), "npy_c14",
                  str("x.npy: element 4 (index (1, 1), file offset ", 10 + h8.size() + 32,
                      ") is 2147483648 (int64 little-endian), outside the int32 range "
                      "[-2147483648, 2147483647]"));
  // -2^31 - 1, big-endian: 0xffffffff7fffffff.
  expect_rejected(npy("{'descr': '>i8', 'fortran_order': False, 'shape': (1,)}",
                      B("\xff\xff\xff\xff\x7f\xff\xff\xff")),
                  "npy_c14", "element 0 (index (0,), file offset 65) is -2147483649 (int64 big-endian)");
  // The extremes of int64 and uint64.
  expect_rejected(npy("{'descr': '<i8', 'fortran_order': False, 'shape': (1,)}",
                      B("\x00\x00\x00\x00\x00\x00\x00\x80")),
                  "npy_c14", "is -9223372036854775808");
  expect_rejected(npy("{'descr': '<u8', 'fortran_order': False, 'shape': (1,)}",
                      B("\xff\xff\xff\xff\xff\xff\xff\xff")),
                  "npy_c14", "is 18446744073709551615 (uint64 little-endian)");
  // uint32 2^31, the third element.
  expect_rejected(npy("{'descr': '>u4', 'fortran_order': False, 'shape': (3,)}",
                      B("\x00\x00\x00\x01\x00\x00\x00\x02\x80\x00\x00\x00")),
                  "npy_c14", "element 2 (index (2,), file offset 73) is 2147483648 (uint32 big-endian)");
  // A bool byte other than 0 or 1.
  expect_rejected(npy("{'descr': '|b1', 'fortran_order': False, 'shape': (2, 2)}",
                      B("\x01\x00\x00\x02")),
                  "npy_c14", "element 3 (index (1, 1), file offset 70) is the byte 2: a bool must be 0 or 1");
  // The first offending element is named.
  expect_rejected(npy("{'descr': '<i8', 'fortran_order': False, 'shape': (3,)}",
                      B("\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x01\x00\x00\x00"
                        "\x00\x00\x00\x00\x02\x00\x00\x00")),
                  "npy_c14", "element 1 (index (1,)");
}

TEST(npy, npy_c15_float_values_are_finite) {
  auto reject = [](const std::string& file, const std::string& fragment) {
    try {
      parse_npy_floats(file, "f.npy");
      ADD_FAILURE() << "accepted; expected npy_c15";
    } catch (const LogicError& e) {
      EXPECT_EQ(e.label(), "npy_c15") << e.what();
      EXPECT_NE(std::string(e.what()).find(fragment), std::string::npos) << e.what();
    }
  };
  // NaN (0x7fc00000) as element 1, +inf (0x7f800000), -inf big-endian.
  reject(npy("{'descr': '<f4', 'fortran_order': False, 'shape': (2,)}",
             B("\x00\x00\x80\x3f\x00\x00\xc0\x7f")),
         "f.npy: element 1 (index (1,), file offset 69) is nan: values must be finite");
  reject(npy("{'descr': '<f4', 'fortran_order': False, 'shape': (1,)}", B("\x00\x00\x80\x7f")),
         "is inf");
  reject(npy("{'descr': '>f8', 'fortran_order': False, 'shape': (1,)}",
             B("\xff\xf0\x00\x00\x00\x00\x00\x00")),
         "is -inf");
  // 1e300 (0x7e37e43c8800759c) is finite but beyond float32.
  reject(npy("{'descr': '<f8', 'fortran_order': False, 'shape': (1,)}",
             B("\x9c\x75\x00\x88\x3c\xe4\x37\x7e")),
         "beyond the float32 range");
}

TEST(npy, npy_c8_to_c10_also_bound_writing) {
  expect_write_rejected({{}, NpyDtype::kInt32, {1}}, "npy_c8", "rank 0");
  expect_write_rejected({{1, 1, 1, 1, 1, 1, 1}, NpyDtype::kInt32, {1}}, "npy_c8", "rank 7");
  expect_write_rejected({{2, 0}, NpyDtype::kInt32, {}}, "npy_c9", "shape dim 1 is 0");
  expect_write_rejected({{int64_t{1} << 25}, NpyDtype::kInt8, {}}, "npy_c9", "33554432");
  expect_write_rejected({{1 << 16, 1 << 15}, NpyDtype::kInt8, {}}, "npy_c10",
                        "more than 1073741824");
}

TEST(npy, npy_c12_writing_needs_one_value_per_element) {
  expect_write_rejected({{2, 3}, NpyDtype::kInt32, {1, 2, 3, 4, 5}}, "npy_c12",
                        "serialize_npy: data holds 5 values; shape (2, 3) needs 6");
  expect_write_rejected({{2}, NpyDtype::kInt8, {1, 2, 3}}, "npy_c12", "holds 3 values");
  expect_write_rejected({{1}, static_cast<NpyDtype>(7), {1}}, "npy_c12", "neither int8 nor int32");
}

TEST(npy, npy_c13_writing_int8_values_fit) {
  expect_write_rejected({{3}, NpyDtype::kInt8, {0, 128, 0}}, "npy_c13",
                        "value 128 at flat index 1 does not fit int8");
  expect_write_rejected({{2}, NpyDtype::kInt8, {-129, 0}}, "npy_c13", "value -129 at flat index 0");
  // The same values are fine as int32.
  EXPECT_NO_THROW(serialize_npy({{3}, NpyDtype::kInt32, {0, 128, -129}}));
}

// ---------------------------------------------------------------------------
// Robustness: no input crashes the reader or escapes as anything but a
// LogicError (run under ASan/UBSan this also checks for memory errors).

TEST(npy, every_truncation_is_rejected) {
  for (const std::string& file : {kNumpyI4, kNumpyI1}) {
    for (size_t n = 0; n < file.size(); ++n) {
      try {
        parse_npy(std::string_view(file).substr(0, n), "x.npy");
        ADD_FAILURE() << "prefix of " << n << " bytes accepted";
      } catch (const LogicError& e) {
        // Within the data: npy_c11; short of it: a prelude or header label.
        if (n >= 128) {
          EXPECT_EQ(e.label(), "npy_c11") << n;
        } else {
          EXPECT_NE(e.label(), "npy_c11") << n;
        }
      }
    }
  }
}

TEST(npy, every_single_byte_change_parses_or_is_a_logic_error) {
  for (const std::string& original : {kNumpyI4, kNumpyI1}) {
    for (size_t i = 0; i < original.size(); ++i) {
      for (int b = 0; b < 256; ++b) {
        std::string file = original;
        file[i] = static_cast<char>(b);
        try {
          const NpyArray a = parse_npy(file, "x.npy");
          // Whatever was accepted is self-consistent.
          int64_t n = 1;
          for (int64_t d : a.shape) n *= d;
          EXPECT_EQ(static_cast<int64_t>(a.data.size()), n);
        } catch (const LogicError&) {
        }
      }
    }
  }
}

// ---------------------------------------------------------------------------
// Files.

TEST(npy, read_npy_reads_and_checks_a_file) {
  TempFile f("read.npy");
  f.write(kNumpyI1);
  const NpyArray a = read_npy(f.path());
  EXPECT_EQ(a.data, (std::vector<int32_t>{-128, -1, 0, 127}));
  // Errors name the file.
  f.write(kNumpyI1 + "trailing");
  try {
    read_npy(f.path());
    ADD_FAILURE() << "trailing data accepted";
  } catch (const LogicError& e) {
    EXPECT_EQ(e.label(), "npy_c11");
    EXPECT_NE(std::string(e.what()).find(f.path()), std::string::npos) << e.what();
    // read_npy stops reading one byte past the expected end.
    EXPECT_NE(std::string(e.what()).find("is at least 5 bytes"), std::string::npos) << e.what();
  }
  f.write(kNumpyI1.substr(0, kNumpyI1.size() - 1));
  try {
    read_npy(f.path());
    ADD_FAILURE() << "truncated data accepted";
  } catch (const LogicError& e) {
    EXPECT_EQ(e.label(), "npy_c11") << e.what();
    EXPECT_NE(std::string(e.what()).find("is 3 bytes"), std::string::npos) << e.what();
  }
  // Truncated inside the prelude and inside the header: the same labels as
  // parse_npy gives for the same bytes.
  for (size_t n : {size_t{0}, size_t{3}, size_t{7}, size_t{9}, size_t{11}, size_t{50}}) {
    f.write(kNumpyI1.substr(0, n));
    std::string expected;
    try {
      parse_npy(kNumpyI1.substr(0, n), "x");
    } catch (const LogicError& e) {
      expected = e.label();
    }
    try {
      read_npy(f.path());
      ADD_FAILURE() << "prefix of " << n << " bytes accepted";
    } catch (const LogicError& e) {
      EXPECT_EQ(e.label(), expected) << n;
    }
  }
}

TEST(npy, read_npy_of_a_huge_declared_size_reads_only_the_file) {
  // The header is valid and declares 2^30 int32 (4 GiB) but the file has 8
  // bytes of data: rejected as truncated without buffering 4 GiB.
  TempFile f("huge.npy");
  f.write(npy("{'descr': '<i4', 'fortran_order': False, 'shape': (1024, 1024, 1024)}",
              "12345678"));
  try {
    read_npy(f.path());
    ADD_FAILURE() << "accepted";
  } catch (const LogicError& e) {
    EXPECT_EQ(e.label(), "npy_c11") << e.what();
    EXPECT_NE(std::string(e.what()).find("is 8 bytes"), std::string::npos) << e.what();
  }
}

TEST(npy, read_npy_floats_reads_and_checks_a_file) {
  TempFile f("floats.npy");
  f.write(npy("{'descr': '>f4', 'fortran_order': False, 'shape': (2,)}",
              B("\x3f\xc0\x00\x00\xbe\x80\x00\x00")));
  EXPECT_EQ(read_npy_floats(f.path()).data, (std::vector<float>{1.5f, -0.25f}));
  // The integer reader refuses the same file (npy_c6), naming it.
  try {
    read_npy(f.path());
    ADD_FAILURE() << "float file read as integers";
  } catch (const LogicError& e) {
    EXPECT_EQ(e.label(), "npy_c6") << e.what();
    EXPECT_NE(std::string(e.what()).find(f.path()), std::string::npos) << e.what();
  }
  // A big-endian int16 file through read_npy.
  f.write(npy("{'descr': '>i2', 'fortran_order': False, 'shape': (3,)}",
              B("\x80\x00\x7f\xff\xff\xfe")));
  EXPECT_EQ(read_npy(f.path()).data, (std::vector<int32_t>{-32768, 32767, -2}));
  // 2^30 float64 declared (8 GiB), 8 bytes present: truncated, nothing huge
  // allocated.
  f.write(npy("{'descr': '<f8', 'fortran_order': False, 'shape': (1024, 1024, 1024)}",
              "12345678"));
  try {
    read_npy_floats(f.path());
    ADD_FAILURE() << "accepted";
  } catch (const LogicError& e) {
    EXPECT_EQ(e.label(), "npy_c11") << e.what();
    EXPECT_NE(std::string(e.what()).find("is 8 bytes; shape (1024, 1024, 1024) of float64 "
                                         "little-endian needs exactly 8589934592"),
              std::string::npos)
        << e.what();
  }
  try {
    read_npy_floats(::testing::TempDir() + "cvm_npy_test_no_such_dir/x.npy");
    ADD_FAILURE() << "read a missing file";
  } catch (const RuntimeError& e) {
    EXPECT_EQ(e.label(), "io");
  }
}

TEST(npy, io_errors_are_runtime_errors) {
  const std::string missing = ::testing::TempDir() + "cvm_npy_test_no_such_dir/x.npy";
  try {
    read_npy(missing);
    ADD_FAILURE() << "read a missing file";
  } catch (const RuntimeError& e) {
    EXPECT_EQ(e.label(), "io");
    EXPECT_NE(std::string(e.what()).find(missing), std::string::npos) << e.what();
  }
  try {
    write_npy(missing, {{1}, NpyDtype::kInt32, {1}});
    ADD_FAILURE() << "wrote into a missing directory";
  } catch (const RuntimeError& e) {
    EXPECT_EQ(e.label(), "io");
  }
  // A directory opens but cannot be read.
  try {
    read_npy(::testing::TempDir());
    ADD_FAILURE() << "read a directory";
  } catch (const RuntimeError& e) {
    EXPECT_EQ(e.label(), "io") << e.what();
  }
}

TEST(npy, write_npy_checks_before_touching_the_file) {
  TempFile f("keep.npy");
  f.write("keep me");
  EXPECT_THROW(write_npy(f.path(), {{2}, NpyDtype::kInt8, {1, 300}}), LogicError);
  EXPECT_EQ(f.read(), "keep me");
}

}  // namespace
}  // namespace cvm::oracle
