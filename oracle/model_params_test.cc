// Reading and writing the params file (spec/model/params.rst).
#include <gtest/gtest.h>

#include "cvm/params.h"
#include "model_support.h"

namespace cvm::oracle {
namespace {

// Little-endian byte helpers, so expected files are built independently of
// the writer under test.
void le(std::string& out, uint64_t v, int width) {
  for (int k = 0; k < width; ++k) out.push_back(static_cast<char>((v >> (8 * k)) & 0xFF));
}

// One array "w" of shape (2) with the given element width and data bytes.
std::string one_array(int bits, const std::string& data) {
  std::string b;
  le(b, 0xF7E58D4F05049CB7ULL, 8);
  le(b, 0, 8);
  le(b, 1, 8);  // n_names
  le(b, 1, 8);
  b += "w";
  le(b, 1, 8);  // n_arrays
  le(b, 0xDD5E40F096B4A13FULL, 8);
  le(b, 0, 8);
  le(b, 1, 4);  // CPU
  le(b, 0, 4);
  le(b, 1, 4);  // ndim
  le(b, 0, 1);  // code 0
  le(b, static_cast<uint64_t>(bits), 1);
  le(b, 1, 2);  // lanes
  le(b, 2, 8);  // shape
  le(b, data.size(), 8);  // data_bytes
  return b + data;
}

// The example of params.rst: int32 (1, -1).
std::string spec_example() { return one_array(32, std::string("\x01\x00\x00\x00\xff\xff\xff\xff", 8)); }

TEST(model_params, spec_example_is_97_bytes_and_reads_back) {
  const std::string bytes = spec_example();
  EXPECT_EQ(bytes.size(), 97u);
  const auto arrays = parse_params(bytes);
  ASSERT_EQ(arrays.size(), 1u);
  EXPECT_EQ(arrays[0].name, "w");
  EXPECT_EQ(arrays[0].bits, 32);
  EXPECT_EQ(arrays[0].shape, (Shape{2}));
  EXPECT_EQ(arrays[0].data, (std::vector<int32_t>{1, -1}));
}

TEST(model_params, writer_reproduces_the_spec_example) {
  EXPECT_EQ(write_params({ParamArray{"w", 32, {2}, {1, -1}}}), spec_example());
}

TEST(model_params, int8_elements_are_sign_extended) {
  // Data bytes 0x80 0x7f: -128 and 127.
  const std::string b = one_array(8, std::string("\x80\x7f", 2));
  const auto arrays = parse_params(b);
  ASSERT_EQ(arrays.size(), 1u);
  EXPECT_EQ(arrays[0].bits, 8);
  EXPECT_EQ(arrays[0].data, (std::vector<int32_t>{-128, 127}));
  EXPECT_EQ(write_params(arrays), b);  // the writer keeps each array's width
}

TEST(model_params, trailing_bytes_are_ignored) {
  // Upstream reads the list from a stream and stops after the last array.
  const auto arrays = parse_params(spec_example() + "garbage");
  ASSERT_EQ(arrays.size(), 1u);
  EXPECT_EQ(arrays[0].data, (std::vector<int32_t>{1, -1}));
}

TEST(model_params, empty_list_is_32_bytes) {
  EXPECT_EQ(empty_params().size(), 32u);
  EXPECT_TRUE(parse_params(empty_params()).empty());
  EXPECT_EQ(write_params({}), empty_params());
}

TEST(model_params, round_trip_keeps_names_shapes_values_and_order) {
  const std::vector<ParamArray> arrays{
      {"conv_w", 8, {2, 1, 1, 2}, {-127, 0, 1, 127}},
      {"b", 32, {3}, {INT32_MAX, INT32_MIN, 0}},
      {"", 32, {1}, {5}}};  // an empty name is representable
  EXPECT_EQ(parse_params(write_params(arrays)), arrays);
}

}  // namespace
}  // namespace cvm::oracle
