#include "cuda_support.h"

#include "cuda/gemm_int8.h"
#include "cuda/kernel.h"

namespace cvm::oracle {

bool cuda_device_present() { return cuda::device_present(); }

ForceSimple::ForceSimple(bool force)
    : ScopedSwitch(&cuda::simple_gemm_forced, &cuda::force_simple_gemm, force) {}

DeepSlices::DeepSlices(bool deep) : ScopedSwitch(&cuda::deep_slices_used, &cuda::use_deep_slices, deep) {}

FuseEpilogues::FuseEpilogues(bool fuse) : ScopedSwitch(&cuda::epilogues_fused, &cuda::fuse_epilogues, fuse) {}

}  // namespace cvm::oracle
