/// @file
/// What an op's row of spec/ops.json says about how the backends may run it.
/// The backends ask this instead of comparing op names, so a new op that
/// takes fused epilogues or runs on the int8 GEMM is one line of data.
#pragma once

#include <string_view>

namespace cvm {

/// The backend fields of an op's row in spec/ops.json.
struct OpBackendTraits {
  /// A following chain of epilogue steps (cvm/epilogue.h: cvm_right_shift,
  /// relu, clip, cvm_clip) may run fused into this op's kernel.
  bool takes_epilogue = false;
  /// The op runs on the int8 GEMM, whose AVX-512 VNNI level is a path of its
  /// own (tests cover that level for these ops only).
  bool int8_gemm = false;
};

/// The row's traits; all false for an op without them (or an unknown name).
OpBackendTraits op_backend_traits(std::string_view op);

}  // namespace cvm
