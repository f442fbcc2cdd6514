#include "cuda/run_op.h"

#include "cuda/kernel.h"
#include "cvm/validate.h"

namespace cvm::cuda {
namespace {

// A stream that is destroyed with the call, even when a launch throws.
class Stream {
 public:
  Stream() { check_cuda(cudaStreamCreateWithFlags(&s_, cudaStreamNonBlocking), "cudaStreamCreate"); }
  ~Stream() { cudaStreamDestroy(s_); }
  Stream(const Stream&) = delete;
  Stream& operator=(const Stream&) = delete;
  cudaStream_t get() const { return s_; }

 private:
  cudaStream_t s_ = nullptr;
};

}  // namespace

std::vector<Tensor> run_cuda_op(std::string_view op, const AttrMap& attrs, const std::vector<Tensor>& inputs,
                                const std::vector<bool>& constant) {
  Types types;
  for (const Tensor& t : inputs) types.push_back(t.type());
  // Acceptance first, exactly as every backend: a LogicError never depends
  // on whether a GPU is present.
  ValidatedOp v = validate_op(op, attrs, types);
  check_input_values(op, inputs);
  if (!device_present()) throw_runtime("cuda", "no CUDA device is present");
  NodeSpec spec{.op = v.op, .attrs = v.attrs, .inputs = types, .outputs = v.outputs, .constants = {}};
  for (size_t i = 0; i < inputs.size(); ++i)
    spec.constants.push_back(i < constant.size() && constant[i] ? &inputs[i] : nullptr);
  const KernelFactory make = find_kernel(op);
  if (make == nullptr) throw_runtime("cuda", str("no CUDA kernel for op '", op, "'"));
  std::unique_ptr<NodeKernel> kernel = make(spec);

  Stream stream;
  std::vector<DeviceBuffer> in_buffers, out_buffers;
  DeviceInputs in;
  for (const Tensor& t : inputs) {
    in_buffers.push_back(upload(t.data.data(), t.data.size() * sizeof(int32_t)));
    in.push_back(DeviceTensor{in_buffers.back().as<int32_t>(), t.type()});
  }
  DeviceOutputs out;
  for (const TensorType& t : v.outputs) {
    const int64_t n = shape_size(t.shape);
    out_buffers.emplace_back(static_cast<size_t>(n) * sizeof(int32_t));
    out.push_back(DeviceTensor{out_buffers.back().as<int32_t>(), t});
    fill_int32(out.back().data, n, kPoison, stream.get());
  }
  kernel->launch(in, out, stream.get());
  std::vector<Tensor> outputs;
  for (size_t k = 0; k < v.outputs.size(); ++k) {
    const TensorType& t = v.outputs[k];
    outputs.push_back(Tensor{t.shape, t.precision, std::vector<int32_t>(static_cast<size_t>(shape_size(t.shape)))});
    check_cuda(cudaMemcpyAsync(outputs.back().data.data(), out[k].data, outputs.back().data.size() * sizeof(int32_t),
                               cudaMemcpyDeviceToHost, stream.get()),
               "download");
  }
  check_cuda(cudaStreamSynchronize(stream.get()), str(op, " on the GPU").c_str());
  return outputs;
}

}  // namespace cvm::cuda
