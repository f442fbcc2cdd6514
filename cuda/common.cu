// Shared host-side helpers of the CUDA backend: error checks, device memory
// ownership, uploads, the poison fill used by run_cuda_op, and the
// epilogue-fusion switch.
#include <cuda_runtime.h>

#include <atomic>
#include <string>

#include "cuda/device_common.cuh"
#include "cvm/errors.h"

namespace cvm::cuda {

void check_cuda(cudaError_t status, const char* what) {
  if (status != cudaSuccess)
    throw_runtime("cuda", std::string(what) + ": " + cudaGetErrorString(status));
}

void check_launch(const char* op) {
  check_cuda(cudaGetLastError(), (std::string(op) + " kernel launch").c_str());
}

DeviceBuffer::DeviceBuffer(size_t bytes) : bytes_(bytes) {
  // cudaMalloc(0) may return nullptr; keep one element so that every buffer
  // has a valid address.
  check_cuda(cudaMalloc(&ptr_, bytes == 0 ? 4 : bytes), "cudaMalloc");
}

DeviceBuffer::~DeviceBuffer() {
  if (ptr_ != nullptr) cudaFree(ptr_);  // never throws from a destructor
}

DeviceBuffer::DeviceBuffer(DeviceBuffer&& other) noexcept : ptr_(other.ptr_), bytes_(other.bytes_) {
  other.ptr_ = nullptr;
  other.bytes_ = 0;
}

DeviceBuffer& DeviceBuffer::operator=(DeviceBuffer&& other) noexcept {
  if (this != &other) {
    if (ptr_ != nullptr) cudaFree(ptr_);
    ptr_ = other.ptr_;
    bytes_ = other.bytes_;
    other.ptr_ = nullptr;
    other.bytes_ = 0;
  }
  return *this;
}

DeviceBuffer upload(const void* host, size_t bytes) {
  DeviceBuffer b(bytes);
  if (bytes > 0) check_cuda(cudaMemcpy(b.get(), host, bytes, cudaMemcpyHostToDevice), "upload");
  // From pageable memory cudaMemcpy may return before the DMA lands, and the
  // kernels run on non-blocking streams that do not wait for the legacy
  // default stream: wait here (factories only, once per model).
  check_cuda(cudaDeviceSynchronize(), "upload");
  return b;
}

namespace {
__global__ void fill_kernel(int32_t* p, int64_t n, int32_t value) {
  for (int64_t i = grid_start(); i < n; i += grid_stride()) p[i] = value;
}
}  // namespace

void fill_int32(int32_t* p, int64_t n, int32_t value, cudaStream_t stream) {
  if (n <= 0) return;
  fill_kernel<<<grid_for(n), 256, 0, stream>>>(p, n, value);
  check_launch("fill");
}

namespace {
std::atomic<bool> g_fuse_epilogues{false};
}  // namespace

void fuse_epilogues(bool fuse) { g_fuse_epilogues.store(fuse); }
bool epilogues_fused() { return g_fuse_epilogues.load(); }

bool device_present() {
  static const bool present = [] {
    int count = 0;
    // No driver, no device, or a driver too old for this runtime: all mean
    // "no usable GPU" here.
    if (cudaGetDeviceCount(&count) != cudaSuccess) {
      cudaGetLastError();  // clear the sticky error
      return false;
    }
    return count > 0;
  }();
  return present;
}

}  // namespace cvm::cuda
