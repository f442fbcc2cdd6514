// The fast max_pool2d on bytes (the int8 hand-off, fast/int8_handoff.h):
// x, y or both as bytes u = v + 128 against the reference, at every ISA
// level and thread count. (Its int32 path is covered by the directed cases,
// oracle/directed/reduce_cases.cc.)
#include <gtest/gtest.h>

#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "cvm/validate.h"
#include "fast/int8_handoff.h"
#include "fast/kernel.h"
#include "fast/run_op.h"
#include "fast/thread_pool.h"
#include "fast_support.h"
#include "support.h"

namespace cvm::oracle {
namespace {

// "" or the first difference. The bytes of x are written over a poisoned
// buffer and y's read from one, so a path that reads x as int32 or leaves
// a byte unwritten fails.
std::string bytes_vs_reference(const AttrMap& attrs, const Tensor& x) {
  const Tensor want = run_reference("max_pool2d", attrs, {x}).outputs[0];
  const ValidatedOp v = validate_op("max_pool2d", attrs, {x.type()});
  Tensor x_bytes{x.shape, x.precision, std::vector<int32_t>(x.data.size(), fast::kPoison)};
  for (size_t i = 0; i < x.data.size(); ++i) fast::handoff_bytes(x_bytes)[i] = static_cast<uint8_t>(x.data[i] + 128);
  for (fast::Isa isa : fast::available_isas())
    for (int threads : kFastThreadCounts)
      for (const auto& [x_as_bytes, y_as_bytes] : {std::pair{true, false}, {false, true}, {true, true}}) {
        const fast::NodeSpec spec{
            .op = v.op, .attrs = v.attrs, .inputs = {x.type()}, .outputs = {want.type()}, .constants = {nullptr}};
        auto kernel = fast::find_kernel("max_pool2d")(
            spec, fast::KernelOptions{.isa = isa, .x_as_bytes = x_as_bytes, .y_as_bytes = y_as_bytes});
        Tensor got{want.shape, want.precision, std::vector<int32_t>(want.data.size(), fast::kPoison)};
        fast::ThreadPool pool(threads);
        kernel->run({x_as_bytes ? &x_bytes : &x}, {&got}, fast::Exec(&pool, isa));
        for (size_t i = 0; i < want.data.size(); ++i) {
          const int32_t value = y_as_bytes ? int32_t{fast::handoff_bytes(got)[i]} - 128 : got.data[i];
          if (value != want.data[i]) {
            std::ostringstream os;
            os << "max_pool2d (x " << (x_as_bytes ? "bytes" : "int32") << ", y " << (y_as_bytes ? "bytes" : "int32")
               << "), " << threads << " threads, " << fast::isa_name(isa) << ": element " << i << " is " << value
               << ", want " << want.data[i];
            return os.str();
          }
        }
      }
  return "";
}

// ResNet's stem pool (3x3, stride 2, padding 1) on rows long enough for the
// 16- and 32-byte vector loops and their tails, stride 1 and 3, ceil_mode,
// and values at the extremes of precision 8 (u = 1 and 255) next to the
// padding (ignored, never read as 0).
TEST(fast_max_pool2d, bytes_equal_the_reference) {
  struct Case {
    Shape x;
    AttrMap attrs;
  };
  const Case cases[] = {
      {{1, 3, 15, 75}, {{"pool_size", "(3, 3)"}, {"strides", "(2, 2)"}, {"padding", "(1, 1)"}}},
      {{2, 2, 9, 40}, {{"pool_size", "(2, 3)"}, {"strides", "(1, 1)"}, {"padding", "(1, 1)"}}},
      {{1, 2, 11, 37}, {{"pool_size", "(3, 2)"}, {"strides", "(3, 3)"}, {"ceil_mode", "true"}}},
      {{1, 1, 6, 70}, {{"pool_size", "(2, 2)"}, {"strides", "(2, 2)"}, {"ceil_mode", "true"}}},
  };
  uint64_t seed = 9100;
  for (const Case& c : cases)
    for (int precision : {8, 3}) {
      Tensor x = seeded_tensor(c.x, precision, ++seed);
      // All negative in one channel: the padding must not win as a 0.
      const int64_t range = (int64_t{1} << (precision - 1)) - 1;
      for (int64_t i = 0; i < c.x[2] * c.x[3]; ++i) x.data[static_cast<size_t>(i)] = static_cast<int32_t>(-1 - i % range);
      EXPECT_EQ(bytes_vs_reference(c.attrs, x), "") << "x " << c.x[2] << " x " << c.x[3];
    }
}

}  // namespace
}  // namespace cvm::oracle
