// The CUDA backend's kernel interface.
//
// Each operator has one file cuda/<op>.cu defining make_<op>(const NodeSpec&):
// it is called once per node when a model is prepared (on the host, with the
// device current), may upload packed constant inputs (weights) into device
// memory it owns, and returns the NodeKernel that runs that node.
//
// Contract (the same as fast/kernel.h, checked by the oracle's
// cuda == reference properties when a GPU is present):
//  - inputs are valid (the shared validator ran on the host before launch)
//    and within their precisions;
//  - outputs arrive with their inferred shape and precision in device memory
//    with UNSPECIFIED contents: a kernel writes every element of every output;
//  - the result is bit-identical to the reference kernel whatever the launch
//    configuration (grid, block, summation order);
//  - launch() only enqueues work on `stream`: no host synchronisation, no
//    device allocation, no host round trip. Scratch memory is allocated once
//    by the factory. Kernels never fail on valid input (like fast/, they have
//    no data-dependent errors), so nothing is reported back.
// A kernel's restructuring (32-bit or reordered accumulation, int8 tensor
// cores) is licensed by the Bounds labels its file header cites (proofs/).
#pragma once

#include <cuda_runtime.h>

#include <any>
#include <cstdint>
#include <memory>
#include <span>
#include <string_view>
#include <vector>

#include "cvm/epilogue.h"
#include "cvm/node_spec.h"
#include "cvm/op.h"

namespace cvm::cuda {

/// One node as the kernel factory sees it (host side; shared with the fast backend).
using cvm::NodeSpec;

/// A tensor in device memory: `data` holds shape_size(type.shape) int32s.
struct DeviceTensor {
  int32_t* data = nullptr;
  TensorType type;
};
using DeviceInputs = std::vector<DeviceTensor>;
using DeviceOutputs = std::vector<DeviceTensor>;

/// Throws RuntimeError("cuda", "<what>: <cuda error string>") unless ok.
void check_cuda(cudaError_t status, const char* what);

/// Device memory owned by a kernel or a program (RAII cudaMalloc/cudaFree).
class DeviceBuffer {
 public:
  DeviceBuffer() = default;
  explicit DeviceBuffer(size_t bytes);
  ~DeviceBuffer();
  DeviceBuffer(DeviceBuffer&& other) noexcept;
  DeviceBuffer& operator=(DeviceBuffer&& other) noexcept;
  DeviceBuffer(const DeviceBuffer&) = delete;
  DeviceBuffer& operator=(const DeviceBuffer&) = delete;

  void* get() const { return ptr_; }
  template <typename T>
  T* as() const { return static_cast<T*>(ptr_); }
  size_t bytes() const { return bytes_; }

 private:
  void* ptr_ = nullptr;
  size_t bytes_ = 0;
};

/// A device copy of host data (synchronous; for factories only).
DeviceBuffer upload(const void* host, size_t bytes);
template <typename T>
DeviceBuffer upload(std::span<const T> host) {
  return upload(host.data(), host.size_bytes());
}

class NodeKernel {
 public:
  virtual ~NodeKernel() = default;
  /// Enqueues the node's work on `stream`.
  virtual void launch(const DeviceInputs& inputs, const DeviceOutputs& outputs,
                      cudaStream_t stream) = 0;
};

/// A node kernel that can also apply an elementwise epilogue (cvm/epilogue.h)
/// to its one output before storing it: conv2d and dense (cuda/gemm_int8.cu).
/// The backend runs an epilogue chain (runtime/epilogue_chains.h) as its
/// first node's launch_with_epilogue, writing the chain's last output.
class EpilogueKernel : public NodeKernel {
 public:
  /// Enqueues the node's work with `epilogue` applied to each element;
  /// outputs[0] is the chain's last output (the node's shape).
  virtual void launch_with_epilogue(const DeviceInputs& inputs, const DeviceOutputs& outputs,
                                    cudaStream_t stream, const Epilogue& epilogue) = 0;
  void launch(const DeviceInputs& inputs, const DeviceOutputs& outputs, cudaStream_t stream) override {
    launch_with_epilogue(inputs, outputs, stream, Epilogue{});
  }
};

/// Whether the backend fuses epilogue chains into conv2d / dense launches
/// (runs without an observer only). Read when a program enqueues its
/// launches (a captured graph is captured again when it changes); the
/// default is false until the fused path has been verified on a GPU.
void fuse_epilogues(bool fuse);
bool epilogues_fused();

using KernelFactory = std::unique_ptr<NodeKernel> (*)(const NodeSpec&);

/// The factory for an op, or nullptr if the op is unknown.
KernelFactory find_kernel(std::string_view op);

/// A kernel that is a plain function of (attrs, inputs, outputs, stream):
/// most ops need no preparation. `Attrs` is the op's attribute struct.
template <typename Attrs>
class FunctionKernel final : public NodeKernel {
 public:
  using Fn = void (*)(const Attrs&, const DeviceInputs&, const DeviceOutputs&, cudaStream_t);
  FunctionKernel(const NodeSpec& spec, Fn fn)
      : attrs_(std::any_cast<const Attrs&>(spec.attrs)), fn_(fn) {}
  void launch(const DeviceInputs& in, const DeviceOutputs& out, cudaStream_t stream) override {
    fn_(attrs_, in, out, stream);
  }

 private:
  Attrs attrs_;
  Fn fn_;
};

template <typename Attrs>
std::unique_ptr<NodeKernel> function_kernel(
    const NodeSpec& spec,
    void (*fn)(const Attrs&, const DeviceInputs&, const DeviceOutputs&, cudaStream_t)) {
  return std::make_unique<FunctionKernel<Attrs>>(spec, fn);
}

/// Grid size for a grid-stride loop over n elements with `block` threads
/// (at least 1, at most 65535 * 8 blocks; the loop covers the rest).
inline unsigned grid_for(int64_t n, unsigned block = 256) {
  const int64_t blocks = (n + block - 1) / block;
  return static_cast<unsigned>(blocks < 1 ? 1 : (blocks > 524280 ? 524280 : blocks));
}

/// Checks the last launch's configuration error (not its completion).
void check_launch(const char* op);

/// Fills n int32s at device address p with `value` (enqueued on `stream`).
void fill_int32(int32_t* p, int64_t n, int32_t value, cudaStream_t stream);

/// Whether a usable CUDA device is present (cached after the first call).
/// Without one the backend is not offered and the CUDA tests skip.
bool device_present();

}  // namespace cvm::cuda
