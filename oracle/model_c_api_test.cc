// The C API's classification by label (spec/model/c_api.rst). The C test
// (c_api_test.c) checks codes and bytes through libcvm.so; here the same
// functions are linked in directly so the label in the printed message can be
// checked too.
#include <gtest/gtest.h>

#include "cvm/c_api.h"
#include "model_support.h"

namespace cvm::oracle {
namespace {

// Runs `call`, returns its code and what it printed to stderr.
template <typename F>
std::pair<int, std::string> call_capturing(F call) {
  ::testing::internal::CaptureStderr();
  const int rc = call();
  return {rc, ::testing::internal::GetCapturedStderr()};
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
    auto [rc, err] = call_capturing([&] {
      return CVMAPILoadModel(sym.data(), static_cast<int>(sym.size()), params.data(),
                             static_cast<int>(params.size()), &net, device, 0);
    });
    EXPECT_EQ(rc, ERROR_RUNTIME) << "device " << device;
    EXPECT_NE(err.find("api_c2"), std::string::npos) << err;
    EXPECT_EQ(net, nullptr);
  }
}

TEST(model_c_api, model_faults_keep_their_label) {
  const std::string sym = relu_symbol();
  const std::string bad_params = "not a params file";
  void* net = nullptr;
  auto [rc, err] = call_capturing([&] {
    return CVMAPILoadModel(sym.data(), static_cast<int>(sym.size()), bad_params.data(),
                           static_cast<int>(bad_params.size()), &net, 0, 0);
  });
  EXPECT_EQ(rc, ERROR_LOGIC);
  EXPECT_NE(err.find("ERROR: CVMAPILoadModel: params_c1"), std::string::npos) << err;
}

}  // namespace
}  // namespace cvm::oracle
