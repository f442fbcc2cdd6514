// The bad-input suite, params files (spec/model/params.rst): one malformed file
// per rule of every params_cN constraint, and every strict prefix of a valid
// file (E-model-7). Files are built byte by byte here, not by write_params
// (except in the round-trip checks), so the reader is tested against the
// layout of the spec and not against the writer. Most cases are rows of two
// tables: bad_files() (label, file, what the message names), each row a test
// named after it, and good_files() (near a rule, yet read).
#include <gtest/gtest.h>
#include <sys/resource.h>

#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <new>
#include <optional>
#include <ostream>
#include <set>
#include <string>
#include <vector>

#include "cvm/errors.h"
#include "cvm/params.h"
#include "model_support.h"

namespace cvm::oracle {
namespace {

constexpr uint64_t kListMagic = 0xF7E58D4F05049CB7ULL;
constexpr uint64_t kArrayMagic = 0xDD5E40F096B4A13FULL;

// Little-endian byte appending.
struct Bytes {
  std::string s;
  Bytes& le(uint64_t v, int width) {
    for (int k = 0; k < width; ++k) s.push_back(static_cast<char>((v >> (8 * k)) & 0xFF));
    return *this;
  }
  Bytes& u64(uint64_t v) { return le(v, 8); }
  Bytes& i64(int64_t v) { return le(static_cast<uint64_t>(v), 8); }
  Bytes& i32(int32_t v) { return le(static_cast<uint32_t>(v), 4); }
  Bytes& u16(uint16_t v) { return le(v, 2); }
  Bytes& u8(uint8_t v) { return le(v, 1); }
  Bytes& raw(const std::string& b) {
    s += b;
    return *this;
  }
};

// One array record; every field can be broken. ndim and data_bytes default to
// what shape and bits imply; data to that many bytes of 0x01.
struct Record {
  uint64_t magic = kArrayMagic;
  uint64_t reserved = 0;
  int32_t device_type = 1;
  int32_t device_id = 0;
  std::optional<int32_t> ndim;
  uint8_t code = 0;
  uint8_t bits = 32;
  uint16_t lanes = 1;
  std::vector<int64_t> shape{2};
  std::optional<int64_t> data_bytes;
  std::optional<std::string> data;

  // |shape|, saturated (hostile shapes would overflow; their data is never written).
  int64_t size() const {
    int64_t n = 1;
    for (int64_t d : shape)
      if (__builtin_mul_overflow(n, d, &n) || n > (int64_t{1} << 40)) return int64_t{1} << 40;
    return n;
  }
  std::string bytes() const {
    Bytes b;
    b.u64(magic).u64(reserved).i32(device_type).i32(device_id);
    b.i32(ndim.value_or(static_cast<int32_t>(shape.size())));
    b.u8(code).u8(bits).u16(lanes);
    for (int64_t d : shape) b.i64(d);
    const int64_t want = size() * (bits / 8);
    b.i64(data_bytes.value_or(want));
    b.raw(data ? *data : std::string(static_cast<size_t>(want), '\x01'));
    return b.s;
  }
};

// A whole file: header, names, array count (n_names unless given), records.
std::string file(const std::vector<std::string>& names, const std::vector<Record>& records,
                 std::optional<uint64_t> n_arrays = {}) {
  Bytes b;
  b.u64(kListMagic).u64(0).u64(names.size());
  for (const std::string& n : names) b.u64(n.size()).raw(n);
  b.u64(n_arrays.value_or(names.size()));
  for (const Record& r : records) b.raw(r.bytes());
  return b.s;
}

// The file of one record named "w".
std::string one(const Record& r) { return file({"w"}, {r}); }

void bad(const std::string& label, const std::string& bytes, const std::string& needle) {
  expect_rejection(label, [&] { parse_params(bytes); }, needle);
}

std::vector<ParamArray> good(const std::string& bytes) {
  try {
    return parse_params(bytes);
  } catch (const std::exception& e) {
    ADD_FAILURE() << "expected the params to be read, got: " << e.what();
  }
  return {};
}

// The valid 2-array file used below: "a" int8 (2, 3) = -3..2, "bias" int32 (2) = (1, -1).
std::string two_arrays() {
  Record a;
  a.bits = 8;
  a.shape = {2, 3};
  a.data = std::string("\xfd\xfe\xff\x00\x01\x02", 6);
  Record bias;
  bias.shape = {2};
  bias.data = std::string("\x01\x00\x00\x00\xff\xff\xff\xff", 8);
  return file({"a", "bias"}, {a, bias});
}

TEST(bad_params, hand_built_file_reads_and_matches_the_writer) {
  const std::string bytes = two_arrays();
  // 32-byte header and name count, names 8+1 and 8+4, array count 8; records
  // 32 + 16 + 8 + 6 and 32 + 8 + 8 + 8.
  EXPECT_EQ(bytes.size(), 24u + 9 + 12 + 8 + 62 + 56);
  const auto arrays = good(bytes);
  ASSERT_EQ(arrays.size(), 2u);
  EXPECT_EQ(arrays[0], (ParamArray{"a", 8, {2, 3}, {-3, -2, -1, 0, 1, 2}}));
  EXPECT_EQ(arrays[1], (ParamArray{"bias", 32, {2}, {1, -1}}));
  EXPECT_EQ(write_params(arrays), bytes);  // round trip through the writer
  EXPECT_EQ(parse_params(write_params(arrays)), arrays);
}

// The default record after `edit`.
Record edited_record(void (*edit)(Record&)) {
  Record r;
  edit(r);
  return r;
}

// The file of one record "w" after `edit`.
std::string one_edited(void (*edit)(Record&)) { return one(edited_record(edit)); }

// `bytes` with the lowest bit of its first byte flipped.
std::string first_bit_flipped(std::string bytes) {
  bytes[0] = static_cast<char>(bytes[0] ^ 1);
  return bytes;
}

// The first `n` bytes of `bytes` (a truncated file).
std::string prefix(const std::string& bytes, size_t n) { return bytes.substr(0, n); }

// The table of malformed files, in the order of params.rst's constraints.
std::vector<BadInput> bad_files() {
  const std::string header = Bytes{}.u64(kListMagic).u64(0).s;
  // Where the record of one(...) starts: header 24, name length 8 and "w", array count 8.
  const size_t record_at = 24 + 8 + 1 + 8;
  return {
      // params_c1: the list header
      {"params_c1_empty_file", "params_c1", "", "0 bytes"},
      {"params_c1_shorter_than_the_header_8", "params_c1", prefix(header, 8), "8 bytes"},
      {"params_c1_shorter_than_the_header_15", "params_c1", prefix(header, 15), "15 bytes"},
      {"params_c1_wrong_list_magic", "params_c1", first_bit_flipped(empty_params()), "list magic"},
      // An array magic where the list's goes.
      {"params_c1_array_magic_as_list_magic", "params_c1", Bytes{}.u64(kArrayMagic).u64(0).u64(0).u64(0).s,
       "list magic"},
      {"params_c1_big_endian_list_magic", "params_c1", Bytes{}.u64(0xB79C04054F8DE5F7ULL).u64(0).u64(0).u64(0).s,
       "list magic"},
      // params_c2: the names
      {"params_c2_name_count_missing", "params_c2", Bytes{}.u64(kListMagic).u64(0).s, "name count at byte 16"},
      {"params_c2_name_count_cut", "params_c2", Bytes{}.u64(kListMagic).u64(0).u8(0).s, "name count at byte 16"},
      {"params_c2_name_count_2_63", "params_c2", Bytes{}.u64(kListMagic).u64(0).u64(uint64_t{1} << 63).u64(0).s,
       "name count 9223372036854775808"},
      {"params_c2_name_count_2_64_minus_1", "params_c2", Bytes{}.u64(kListMagic).u64(0).u64(~uint64_t{0}).u64(0).s,
       "name count 18446744073709551615"},
      // 3 names need at least 24 bytes of lengths; 16 bytes follow.
      {"params_c2_name_count_beyond_the_file", "params_c2", Bytes{}.u64(kListMagic).u64(0).u64(3).u64(0).u64(0).s,
       "name count 3"},
      {"params_c2_name_length_huge", "params_c2",
       Bytes{}.u64(kListMagic).u64(0).u64(1).u64(uint64_t{1} << 63).u64(0).s,
       "name 0 is 9223372036854775808 bytes long"},
      {"params_c2_name_length_beyond_the_file", "params_c2", Bytes{}.u64(kListMagic).u64(0).u64(1).u64(10).raw("abc").s,
       "name 0 needs 10 bytes"},
      {"params_c2_second_name_length_cut", "params_c2",
       prefix(Bytes{}.u64(kListMagic).u64(0).u64(2).u64(1).raw("a").u64(0).s, 40), "name 1 length at byte 33"},
      // E-model-10: a name of 2^16 + 1 bytes, all present, in an otherwise valid file.
      {"params_c2_name_too_long", "params_c2", file({std::string((size_t{1} << 16) + 1, 'w')}, {Record{}}),
       "name 0 is 65537 bytes long, more than 2^16"},
      // params_c3: the array count
      {"params_c3_array_count_above_name_count", "params_c3", file({"w"}, {Record{}}, 2),
       "array count 2 differs from name count 1"},
      {"params_c3_array_count_0", "params_c3", file({"w"}, {Record{}}, 0), "array count 0 differs from name count 1"},
      {"params_c3_array_count_2_63", "params_c3", file({"w"}, {Record{}}, uint64_t{1} << 63),
       "array count 9223372036854775808"},
      {"params_c3_array_count_missing", "params_c3", Bytes{}.u64(kListMagic).u64(0).u64(1).u64(1).raw("w").s,
       "array count at byte 33"},
      // params_c4: the record header
      {"params_c4_list_magic_as_array_magic", "params_c4", one_edited([](Record& r) { r.magic = kListMagic; }),
       "params array 0 'w' has a wrong array magic"},
      {"params_c4_array_magic_top_bit_flipped", "params_c4",
       one_edited([](Record& r) { r.magic = kArrayMagic ^ (uint64_t{1} << 63); }), "params array 0 'w'"},
      {"params_c4_second_record_is_checked_too", "params_c4", file({"a", "b"}, {Record{}, edited_record([](Record& r) { r.magic = 0; })}),
       "params array 1 'b'"},
      // The file ends 31 bytes into the 32-byte record header (through dtype_lanes).
      {"params_c4_header_cut_at_31_bytes", "params_c4", prefix(one(Record{}), record_at + 31),
       "params array 0 'w' at byte 41"},
      {"params_c4_header_missing", "params_c4", prefix(one(Record{}), record_at), "params array 0 'w' at byte 41"},
      // params_c5: the device
      {"params_c5_device_type_2", "params_c5", one_edited([](Record& r) { r.device_type = 2; }),  // kDLGPU
       "params array 0 'w' has device_type 2"},
      {"params_c5_device_type_0", "params_c5", one_edited([](Record& r) { r.device_type = 0; }), "device_type 0"},
      {"params_c5_device_type_minus_1", "params_c5", one_edited([](Record& r) { r.device_type = -1; }),
       "device_type -1"},
      // params_c6: the dtype
      {"params_c6_dtype_bits_16", "params_c6", one_edited([](Record& r) { r.bits = 16; }),
       "params array 0 'w' has dtype (code 0, bits 16, lanes 1)"},
      {"params_c6_dtype_bits_64", "params_c6", one_edited([](Record& r) { r.bits = 64; }), "bits 64"},
      {"params_c6_dtype_bits_0", "params_c6", one_edited([](Record& r) { r.bits = 0; }), "bits 0"},
      {"params_c6_dtype_code_1_unsigned", "params_c6", one_edited([](Record& r) { r.code = 1; }),
       "params array 0 'w' has dtype (code 1, bits 32, lanes 1)"},
      {"params_c6_dtype_code_2_float", "params_c6", one_edited([](Record& r) { r.code = 2; }), "code 2"},
      {"params_c6_dtype_lanes_2", "params_c6", one_edited([](Record& r) { r.lanes = 2; }),
       "params array 0 'w' has dtype (code 0, bits 32, lanes 2)"},
      {"params_c6_dtype_lanes_0", "params_c6", one_edited([](Record& r) { r.lanes = 0; }), "lanes 0"},
      // params_c7: the shape
      {"params_c7_ndim_0", "params_c7", one_edited([](Record& r) { r.shape = {}; }), "params array 0 'w' has ndim 0"},
      {"params_c7_ndim_7", "params_c7", one_edited([](Record& r) { r.shape = {1, 1, 1, 1, 1, 1, 2}; }),
       "params array 0 'w' has ndim 7"},
      {"params_c7_ndim_negative", "params_c7", one_edited([](Record& r) { r.ndim = -1; }), "ndim -1"},
      {"params_c7_ndim_huge", "params_c7", one_edited([](Record& r) { r.ndim = INT32_MAX; }), "ndim 2147483647"},
      {"params_c7_dim_0", "params_c7", one_edited([](Record& r) { r.shape = {2, 0}; }),
       "params array 0 'w' dim 1 is 0"},
      {"params_c7_dim_negative", "params_c7", one_edited([](Record& r) {
         r.shape = {-2};
         r.data_bytes = 8;
         r.data = std::string(8, '\0');
       }),
       "params array 0 'w' dim 0 is -2"},
      // The data is never reached.
      {"params_c7_dim_2_24_plus_1", "params_c7", one_edited([](Record& r) {
         r.shape = {(int64_t{1} << 24) + 1};
         r.data = "";
       }),
       "dim 0 is 16777217"},
      {"params_c7_dim_2_62", "params_c7", one_edited([](Record& r) {
         r.shape = {int64_t{1} << 62};
         r.data = "";
       }),
       "dim 0 is 4611686018427387904"},
      {"params_c7_size_above_2_30", "params_c7", one_edited([](Record& r) {
         r.shape = {1 << 15, (1 << 15) + 1};
         r.data = "";
       }),
       "params array 0 'w' has more than 2^30 elements"},
      // No overflow: 6 dims of 2^24 would be 2^144.
      {"params_c7_size_2_144", "params_c7", one_edited([](Record& r) {
         r.shape = std::vector<int64_t>(6, int64_t{1} << 24);
         r.data = "";
       }),
       "more than 2^30 elements"},
      // The file ends 20 bytes into the 24 bytes of the shape (2, 2, 2).
      {"params_c7_shape_beyond_the_file", "params_c7",
       prefix(one_edited([](Record& r) { r.shape = {2, 2, 2}; }), record_at + 32 + 20),
       "params array 0 'w' at byte 89"},
      // params_c8: the data
      {"params_c8_data_bytes_7_for_int32_2", "params_c8", one_edited([](Record& r) {  // int32 (2): 8 bytes
         r.data_bytes = 7;
         r.data = std::string(7, '\0');
       }),
       "params array 0 'w' declares 7 data bytes; shape (2,) needs 8"},
      // The int8 size of the same shape.
      {"params_c8_data_bytes_of_int8_for_int32", "params_c8", one_edited([](Record& r) {
         r.data_bytes = 2;
         r.data = std::string(2, '\0');
       }),
       "declares 2 data bytes"},
      // The int32 size.
      {"params_c8_data_bytes_of_int32_for_int8", "params_c8", one_edited([](Record& r) {
         r.bits = 8;
         r.data_bytes = 8;
         r.data = std::string(8, '\0');
       }),
       "declares 8 data bytes; shape (2,) needs 2"},
      {"params_c8_data_bytes_2_62", "params_c8", one_edited([](Record& r) {
         r.data = "";
         r.data_bytes = int64_t{1} << 62;
       }),
       "declares " + std::to_string(int64_t{1} << 62) + " data bytes"},
      {"params_c8_data_bytes_int64_max", "params_c8", one_edited([](Record& r) {
         r.data = "";
         r.data_bytes = INT64_MAX;
       }),
       "declares " + std::to_string(INT64_MAX) + " data bytes"},
      {"params_c8_data_bytes_minus_1", "params_c8", one_edited([](Record& r) {
         r.data = "";
         r.data_bytes = int64_t{-1};
       }),
       "declares " + std::to_string(int64_t{-1}) + " data bytes"},
      {"params_c8_data_bytes_int64_min", "params_c8", one_edited([](Record& r) {
         r.data = "";
         r.data_bytes = INT64_MIN;
       }),
       "declares " + std::to_string(INT64_MIN) + " data bytes"},
      {"params_c8_data_one_byte_short", "params_c8", prefix(one(Record{}), one(Record{}).size() - 1),
       "params array 0 'w' needs 8 data bytes, the file has 7"},
      {"params_c8_data_missing", "params_c8", prefix(one(Record{}), one(Record{}).size() - 8), "the file has 0"},
      // Inside data_bytes.
      {"params_c8_data_bytes_cut", "params_c8", prefix(one(Record{}), one(Record{}).size() - 12),
       "params array 0 'w' at byte"},
  };
}

// Each row: reading its file is the error of its label whose message
// contains its needle (bad() above).
class bad_params_file : public testing::TestWithParam<BadInput> {};

TEST_P(bad_params_file, is_rejected_with_its_label) { bad(GetParam().label, GetParam().input, GetParam().needle); }

INSTANTIATE_TEST_SUITE_P(bad_params, bad_params_file, testing::ValuesIn(bad_files()), RowName());

// One file near a rule that is nevertheless read, with its number of arrays.
struct GoodFile {
  std::string name;    ///< the test's name: why it is valid
  std::string bytes;   ///< the file
  size_t arrays = 0;   ///< how many arrays it holds
};

void PrintTo(const GoodFile& c, std::ostream* os) { *os << c.name; }

std::vector<GoodFile> good_files() {
  return {
      {"params_c1_reserved_word_is_not_checked", Bytes{}.u64(kListMagic).u64(~uint64_t{0}).u64(0).u64(0).s, 0},
      {"params_c4_reserved_word_is_not_checked", one_edited([](Record& r) { r.reserved = 0x0123456789ABCDEFULL; }), 1},
      {"params_c5_device_id_is_not_checked", one_edited([](Record& r) { r.device_id = 7; }), 1},
      // 6 is the limit.
      {"params_c7_ndim_6", one_edited([](Record& r) { r.shape = {1, 1, 1, 1, 1, 2}; }), 1},
      {"trailing_bytes_after_the_last_array_are_ignored", two_arrays() + "garbage", 2},
  };
}

class good_params_file : public testing::TestWithParam<GoodFile> {};

TEST_P(good_params_file, is_read) { EXPECT_EQ(good(GetParam().bytes).size(), GetParam().arrays); }

INSTANTIATE_TEST_SUITE_P(bad_params, good_params_file, testing::ValuesIn(good_files()), RowName());

// What a table row cannot say --------------------------------------------------

TEST(bad_params, params_c2_name_of_2_16_bytes_is_accepted) {
  const std::string name(size_t{1} << 16, 'w');
  const auto arrays = good(file({name}, {Record{}}));
  ASSERT_EQ(arrays.size(), 1u);
  EXPECT_EQ(arrays[0].name, name);
}

TEST(bad_params, params_c2_a_megabyte_name) {
  const std::string name(size_t{1} << 20, 'n');
  bad("params_c2", file({name}, {Record{}}), "name 0 is 1048576 bytes long");
}

// E-model-7: every strict prefix of a valid file is rejected by a params_c* label.
TEST(bad_params, truncated_at_every_byte) {
  const std::string full = two_arrays();
  ASSERT_EQ(good(full).size(), 2u);
  std::set<std::string> labels;
  for (size_t n = 0; n < full.size(); ++n) {
    const std::string prefix = full.substr(0, n);  // its own buffer: ASan sees any overread
    try {
      parse_params(prefix);
      ADD_FAILURE() << "a prefix of " << n << " of " << full.size() << " bytes was accepted";
    } catch (const LogicError& e) {
      EXPECT_FALSE(is_runtime_label(e.label())) << "prefix " << n << ": " << e.what();
      labels.insert(e.label());
    } catch (const RuntimeError& e) {  // the array records: upstream's CHECKs
      EXPECT_TRUE(is_runtime_label(e.label())) << "prefix " << n << ": " << e.what();
      labels.insert(e.label());
    } catch (const std::exception& e) {
      ADD_FAILURE() << "prefix " << n << ": not a labelled error: " << e.what();
    }
  }
  // The cuts fall in the header, the names, the array count, the record
  // headers, the shapes and the data.
  EXPECT_EQ(labels, (std::set<std::string>{"params_c1", "params_c2", "params_c3", "params_c4",
                                           "params_c7", "params_c8"}));
}

// params.rst: "a file can never make the reader allocate more than four times
// its own length". Checked in a child process whose address space is capped at
// what it has mapped plus 4 * |file| + 16 MiB: an allocation beyond that fails.
#if defined(__SANITIZE_ADDRESS__)
#define CVM_BAD_PARAMS_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define CVM_BAD_PARAMS_ASAN 1
#endif
#endif

#ifndef CVM_BAD_PARAMS_ASAN
// Parses `bytes` under the cap; exits 0 on success or a LogicError `label`,
// 1 when an allocation fails, 2 on another outcome.
[[noreturn]] void parse_with_capped_memory(const std::string& bytes, const std::string& label) {
  long vm_kib = -1;
  std::ifstream status("/proc/self/status");
  for (std::string line; std::getline(status, line);)
    if (line.rfind("VmSize:", 0) == 0) vm_kib = std::stol(line.substr(7));
  if (vm_kib < 0) std::_Exit(0);  // cannot measure: nothing to check
  const auto cap = static_cast<rlim_t>(vm_kib) * 1024 + 4 * bytes.size() + (rlim_t{16} << 20);
  const rlimit limit{cap, cap};
  if (setrlimit(RLIMIT_AS, &limit) != 0) std::_Exit(0);
  try {
    parse_params(bytes);
    std::_Exit(label.empty() ? 0 : 2);
  } catch (const LogicError& e) {
    std::_Exit(e.label() == label ? 0 : 2);
  } catch (const RuntimeError& e) {
    std::_Exit(e.label() == label ? 0 : 2);
  } catch (const std::bad_alloc&) {
    std::_Exit(1);
  }
  std::_Exit(2);
}
#endif

TEST(bad_params, reader_allocates_at_most_four_times_the_file) {
#ifdef CVM_BAD_PARAMS_ASAN
  GTEST_SKIP() << "ASan maps terabytes of shadow memory: RLIMIT_AS cannot be used";
#else
  // A fresh process for each check (threadsafe style re-executes the test),
  // so that the heap holds no free memory from earlier tests.
  const std::string style = GTEST_FLAG_GET(death_test_style);
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  // A valid file of one int8 array of 2^23 elements (8 MiB, read as 32 MiB).
  Record big;
  big.bits = 8;
  big.shape = {int64_t{1} << 23};
  const std::string valid = one(big);
  EXPECT_EXIT(parse_with_capped_memory(valid, ""), ::testing::ExitedWithCode(0), "");
  // Hostile: 2^20 empty names and a matching array count, then no array at
  // all (8 MiB). Reserving room for 2^20 names and 2^20 arrays before the
  // first record is read would take far more than 32 MiB.
  Bytes hostile;
  const uint64_t n = uint64_t{1} << 20;
  hostile.u64(kListMagic).u64(0).u64(n);
  for (uint64_t k = 0; k < n; ++k) hostile.u64(0);
  hostile.u64(n);
  EXPECT_EXIT(parse_with_capped_memory(hostile.s, "params_c4"), ::testing::ExitedWithCode(0), "")
      << "exit code 1: an allocation beyond 4 * " << hostile.s.size() << " bytes";
  GTEST_FLAG_SET(death_test_style, style);
#endif
}

TEST(bad_params, duplicate_names_are_read_in_order) {
  // Not a file error: loading takes the later one (model_load tests).
  const auto arrays = good(file({"w", "w"}, {Record{}, Record{}}));
  ASSERT_EQ(arrays.size(), 2u);
  EXPECT_EQ(arrays[1].name, "w");
}

}  // namespace
}  // namespace cvm::oracle
