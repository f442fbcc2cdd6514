// upsampling - CUDA kernel.
//
// What: nearest neighbour, NCHW: y[n, c, h, w] = x[n, c, h quot s, w quot s]
// (the reference's floor_div of non-negative coordinates). Writing
// h = h' * s + qh and w = w' * s + qw makes the source offset affine in the
// output coordinates (n*c, h', qh, w', qw) with strides (H*W, W, 0, 1, 0);
// the factory builds that CopyPlan (cvm/copy_plan.h) once from the static
// shape (only this backend copies upsampling through a plan, so the builder
// stays here).
// Launch shape: transform::plan_copy_kernel, a 1-D grid-stride loop over the
// output (grid_for(|y|) blocks of 256 threads), one element per iteration.
// Bounds: upsampling_b1 (every y value is an x value, p_y = p_x) licenses
// dropping the per-element bound check; strides are x's (< 2^30) or 0.
#include "cuda/transform_common.cuh"
#include "cvm/ops/upsampling.h"

namespace cvm::cuda {

std::unique_ptr<NodeKernel> make_upsampling(const NodeSpec& spec) {
  const auto& a = std::any_cast<const UpsamplingAttrs&>(spec.attrs);
  const Shape& xs = spec.inputs[0].shape;  // (N, C, H, W)
  const int64_t H = xs[2], W = xs[3];
  CopyPlan plan;
  plan.push(xs[0] * xs[1], H * W);
  plan.push(H, W);
  plan.push(a.scale, 0);
  plan.push(W, 1);
  plan.push(a.scale, 0);
  return std::make_unique<transform::PlanKernel>(plan, "upsampling");
}

}  // namespace cvm::cuda
