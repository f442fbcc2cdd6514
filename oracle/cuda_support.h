// Shared by the CUDA tests: whether a GPU is present, and the skip that every
// GPU-running test starts with. Without a device (CI) the CUDA tests skip with
// a clear message; they never fail for that reason.
#pragma once

#include <gtest/gtest.h>

namespace cvm::oracle {

/// A usable CUDA device is present (cvm::cuda::device_present()).
bool cuda_device_present();

}  // namespace cvm::oracle

#define CVM_REQUIRE_GPU()                                                                   \
  do {                                                                                      \
    if (!::cvm::oracle::cuda_device_present())                                              \
      GTEST_SKIP() << "no CUDA device present: CUDA test skipped (the CUDA code is built, " \
                      "not run)";                                                           \
  } while (0)
