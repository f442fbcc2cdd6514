// Target cuda_op_diff (built with the CUDA backend only): op_diff's
// applications (fuzz/op_diff.h) on the CUDA kernels, which must reject alike
// or return the reference's bits (gen::cuda_vs_reference). Without a GPU the
// comparison is skipped: the target then checks the reference and validator
// alone, so replaying it on a machine without a device never reports.
#include "cuda/kernel.h"
#include "fuzz/op_diff.h"
#include "gen/cuda_differential.h"

namespace cvm::fuzz {

std::string fuzz_cuda_op_diff(Bytes input) {
  std::string report;
  const std::optional<DecodedOpCase> d = decode_op_case(input, report);
  if (!d || !cuda::device_present()) return report;
  return gen::cuda_vs_reference(d->name, d->attrs, d->inputs);
}

}  // namespace cvm::fuzz
