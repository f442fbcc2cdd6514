// The C API's classification by label (spec/model/c_api.rst). The C test
// (c_api_test.c) checks codes and bytes through libcvm.so; here the same
// functions are linked in directly so the label in the printed message can be
// checked too.
#include <gtest/gtest.h>

#include <cstring>
#include <string>
#include <thread>

#include "cvm/c_api.h"
#include "model_support.h"

namespace cvm::oracle {
namespace {

// The calling thread's CVMAPIGetLastError message, read whole.
std::string last_error() {
  unsigned long long needed = 0;
  EXPECT_EQ(CVMAPIGetLastError(nullptr, 0, &needed), SUCCEED);
  std::string buf(static_cast<size_t>(needed), '?');
  EXPECT_EQ(CVMAPIGetLastError(buf.data(), buf.size(), nullptr), SUCCEED);
  EXPECT_EQ(buf.back(), '\0');
  buf.pop_back();
  return buf;
}

// Runs `call`, returns its code and what it printed to stderr.
template <typename F>
std::pair<int, std::string> call_capturing(F call) {
  ::testing::internal::CaptureStderr();
  const int rc = call();
  return {rc, ::testing::internal::GetCapturedStderr()};
}

// CVMAPILoadModel on `sym` and `params` for `device`, with stderr captured.
std::pair<int, std::string> load_capturing(const std::string& sym, const std::string& params, int device,
                                           void** net) {
  return call_capturing([&] {
    return CVMAPILoadModel(sym.data(), static_cast<int>(sym.size()), params.data(),
                           static_cast<int>(params.size()), net, device, 0);
  });
}

TEST(model_c_api, null_pointers_are_api_c1_runtime_errors) {
  unsigned long long n = 0;
  auto [rc, err] = call_capturing([&] { return CVMAPIGetGasFromModel(nullptr, &n); });
  EXPECT_EQ(rc, ERROR_RUNTIME);
  EXPECT_NE(err.find("ERROR: CVMAPIGetGasFromModel: api_c1: net is null"), std::string::npos) << err;
  const std::string sym = relu_symbol();
  void* net = nullptr;
  std::tie(rc, err) = call_capturing([&] {
    return CVMAPILoadModel(sym.data(), static_cast<int>(sym.size()), nullptr, 0, &net, 2, 0);
  });
  EXPECT_EQ(rc, ERROR_RUNTIME);
  EXPECT_NE(err.find("api_c1"), std::string::npos) << err;
  EXPECT_EQ(net, nullptr);
  std::tie(rc, err) = call_capturing([&] { return CVMAPIGetGasFromGraphFile(nullptr, &n); });
  EXPECT_EQ(rc, ERROR_RUNTIME);
  EXPECT_NE(err.find("api_c1"), std::string::npos) << err;
}

TEST(model_c_api, unknown_or_unbuilt_devices_are_api_c2_runtime_errors) {
  const std::string sym = relu_symbol();
  const std::string params = empty_params();
  for (int device : {7, -1, 1}) {  // 1: no CUDA backend is built into this library
    void* net = nullptr;
    auto [rc, err] = load_capturing(sym, params, device, &net);
    EXPECT_EQ(rc, ERROR_RUNTIME) << "device " << device;
    EXPECT_NE(err.find("api_c2"), std::string::npos) << err;
    EXPECT_EQ(net, nullptr);
  }
}

TEST(model_c_api, model_faults_keep_their_label) {
  const std::string sym = relu_symbol();
  const std::string bad_params = "not a params file";
  void* net = nullptr;
  auto [rc, err] = load_capturing(sym, bad_params, 0, &net);
  EXPECT_EQ(rc, ERROR_LOGIC);
  EXPECT_NE(err.find("ERROR: CVMAPILoadModel: params_c1"), std::string::npos) << err;
}

TEST(model_c_api, last_error_is_the_printed_message_and_names_the_label) {
  const std::string sym = relu_symbol();
  const std::string bad_params = "not a params file";
  void* net = nullptr;
  auto [rc, err] = load_capturing(sym, bad_params, 0, &net);
  EXPECT_EQ(rc, ERROR_LOGIC);
  const std::string msg = last_error();
  EXPECT_EQ(msg.rfind("CVMAPILoadModel: params_c1: ", 0), 0u) << msg;
  // The same text as the stderr line, less "ERROR: ".
  EXPECT_EQ(err, "ERROR: " + msg + "\n");
  // A successful call clears it.
  unsigned long long gas = 0;
  EXPECT_EQ(CVMAPIGetGasFromGraphFile(sym.c_str(), &gas), SUCCEED);
  EXPECT_EQ(last_error(), "");
}

TEST(model_c_api, last_error_is_per_thread) {
  const std::string sym = relu_symbol();
  const std::string params = empty_params();
  void* net = nullptr;
  auto [rc, err] = load_capturing(sym, params, 7, &net);
  EXPECT_EQ(rc, ERROR_RUNTIME);
  const std::string mine = last_error();
  EXPECT_NE(mine.find("api_c2"), std::string::npos) << mine;

  std::string fresh = "unset", theirs, after_success = "unset";
  std::thread other([&] {
    fresh = last_error();  // a new thread has no message
    unsigned long long n = 0;
    ::testing::internal::CaptureStderr();
    const int other_rc = CVMAPIGetGasFromGraphFile(nullptr, &n);
    (void)::testing::internal::GetCapturedStderr();
    EXPECT_EQ(other_rc, ERROR_RUNTIME);
    theirs = last_error();
    EXPECT_EQ(CVMAPIGetGasFromGraphFile(sym.c_str(), &n), SUCCEED);
    after_success = last_error();
  });
  other.join();
  EXPECT_EQ(fresh, "");
  EXPECT_EQ(theirs, "CVMAPIGetGasFromGraphFile: api_c1: graph_json is null");
  EXPECT_EQ(after_success, "");
  // This thread's message is untouched by the other thread's calls.
  EXPECT_EQ(last_error(), mine);
}

TEST(model_c_api, last_error_truncates_at_a_utf8_boundary) {
  // An unknown operator named with a 3-byte UTF-8 character (U+20AC, E2 82
  // AC): op_c0 quotes the name in the message.
  std::string sym = relu_symbol();
  const std::string from = "\"func_name\":\"relu\"";
  const size_t at = sym.find(from);
  ASSERT_NE(at, std::string::npos);
  sym.replace(at, from.size(), "\"func_name\":\"relu\xE2\x82\xAC\"");
  unsigned long long gas = 0;
  auto [rc, err] = call_capturing([&] { return CVMAPIGetGasFromGraphFile(sym.c_str(), &gas); });
  EXPECT_EQ(rc, ERROR_RUNTIME);
  const std::string msg = last_error();
  EXPECT_EQ(msg.rfind("CVMAPIGetGasFromGraphFile: op_c0: ", 0), 0u) << msg;
  const size_t e = msg.find("\xE2\x82\xAC");
  ASSERT_NE(e, std::string::npos) << msg;
  char buf[512];
  ASSERT_LT(e + 4, sizeof buf);
  // Room for 1 or 2 of the character's 3 bytes: it is left out whole.
  for (size_t part = 1; part <= 2; ++part) {
    std::memset(buf, 'X', sizeof buf);
    unsigned long long needed = 0;
    EXPECT_EQ(CVMAPIGetLastError(buf, e + part + 1, &needed), SUCCEED);
    EXPECT_EQ(needed, msg.size() + 1);
    EXPECT_EQ(std::string(buf), msg.substr(0, e)) << part;
    EXPECT_EQ(buf[e + part + 1], 'X');
  }
  // Room for all 3: it is kept.
  std::memset(buf, 'X', sizeof buf);
  EXPECT_EQ(CVMAPIGetLastError(buf, e + 4, nullptr), SUCCEED);
  EXPECT_EQ(std::string(buf), msg.substr(0, e + 3));
}

}  // namespace
}  // namespace cvm::oracle
