// Shared by the CUDA tests: whether a GPU is present, the skip that every
// GPU-running test starts with, and scoped settings of the GEMM path, its
// slice depth and epilogue fusion.
// Without a device (CI) the CUDA tests skip with a clear message; they never
// fail for that reason.
#pragma once

#include <gtest/gtest.h>

#include <cstdint>
#include <string>

namespace cvm::oracle {

/// A usable CUDA device is present (cvm::cuda::device_present()).
bool cuda_device_present();

/// `count` generated cases of `op` (oracle/gen, seeds seed * 7919 + salt,
/// every third one with extreme values only) through gen::cuda_vs_reference;
/// each disagreement is a failure, and it stops after three. At least half
/// of the seeds must give a case.
void expect_cuda_agrees_on_generated_cases(const std::string& op, int count, uint64_t salt);

/// Sets a host switch of the CUDA backend for a scope and restores its
/// previous value when the scope ends (even through a failed ASSERT).
class ScopedSwitch {
 public:
  ScopedSwitch(bool (*get)(), void (*set)(bool), bool value) : set_(set), previous_(get()) { set(value); }
  ~ScopedSwitch() { set_(previous_); }
  ScopedSwitch(const ScopedSwitch&) = delete;
  ScopedSwitch& operator=(const ScopedSwitch&) = delete;

 private:
  void (*set_)(bool);
  bool previous_;
};

/// cuda::force_simple_gemm for a scope.
class ForceSimple : public ScopedSwitch {
 public:
  explicit ForceSimple(bool force);
};

/// cuda::use_deep_slices for a scope.
class DeepSlices : public ScopedSwitch {
 public:
  explicit DeepSlices(bool deep);
};

/// cuda::fuse_epilogues for a scope.
class FuseEpilogues : public ScopedSwitch {
 public:
  explicit FuseEpilogues(bool fuse);
};

}  // namespace cvm::oracle

#define CVM_REQUIRE_GPU()                                                                   \
  do {                                                                                      \
    if (!::cvm::oracle::cuda_device_present())                                              \
      GTEST_SKIP() << "no CUDA device present: CUDA test skipped (the CUDA code is built, " \
                      "not run)";                                                           \
  } while (0)
