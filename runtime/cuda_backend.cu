// The CUDA backend: each node runs its cuda/<op>.cu kernel, in node order, on
// one stream owned by the program.
//
// Device memory is planned once, when the model is prepared: one arena holds
// the params (uploaded then), the input and every slot of the engine's memory
// plan (spec/model/load.rst, "Memory plan"), so each entry's device address
// is fixed for the program's life and a run is: copy the input in, enqueue
// every kernel, copy the heads out, synchronise once. No host round trip
// happens between operators unless an observer (cvm trace) asks for every
// node's values. Without an observer the kernel sequence is captured once
// into a CUDA graph and replayed: a graph launch costs one submission instead
// of one per node, which is most of a batch-1 run. The captured launches
// are exactly those of a direct run (same kernels, arguments and fixed
// device addresses); the graph is captured again when a host setting read at
// launch time changes (cuda::force_simple_gemm, cuda::use_deep_slices,
// cuda::fuse_epilogues), and a failed capture falls back to direct launches
// for good.
//
// Epilogue chains (conv2d|dense -> cvm_right_shift | relu | clip | cvm_clip
// ..., runtime/epilogue_chains.h) run, when cuda::epilogues_fused() and no
// observer is set, as one launch of the first node's kernel with the steps
// applied before each store (cuda::EpilogueKernel), writing the chain's last
// output at once; the other members are skipped. That output is written
// earlier than the memory plan assumes, so it keeps its slot only where no
// other entry of that slot is live in between
// (chain_outputs_keep_slots); otherwise it gets arena memory of its own,
// used by nothing else. Part of cvm_runtime (it needs Model); the kernels
// are in cvm_cuda.
#include <cuda_runtime.h>

#include <memory>
#include <vector>

#include "cuda/gemm_int8.h"
#include "cuda/kernel.h"
#include "cvm/backend.h"
#include "cvm/errors.h"
#include "cvm/plan.h"
#include "runtime/epilogue_chains.h"
#include "runtime/node_spec.h"

namespace cvm {
namespace {

using cuda::check_cuda;
using cuda::DeviceTensor;

class CudaProgram final : public Program {
 public:
  explicit CudaProgram(std::shared_ptr<const Model> model) : Program(*model), model_(std::move(model)) {
    if (!cuda::device_present()) throw_runtime("cuda", "no CUDA device is present");
    const ModelGraph& g = model_->graph();
    const MemoryPlan& plan = model_->plan();
    check_cuda(cudaStreamCreateWithFlags(&stream_, cudaStreamNonBlocking), "cudaStreamCreate");

    // The arena's layout: every variable (params and data) in node order,
    // then the slots. Offsets in int32 elements.
    std::vector<int64_t> variable_offset(g.nodes.size(), -1);
    int64_t total = 0;
    for (size_t i = 0; i < g.nodes.size(); ++i)
      if (g.nodes[i].is_variable()) {
        variable_offset[i] = total;
        total += shape_size(g.entries[static_cast<size_t>(g.nodes[i].first_entry)].shape);
      }
    std::vector<int64_t> slot_offset;
    for (int64_t n : plan.slot_elements) {
      slot_offset.push_back(total);
      total += n;
    }
    // Then the chain outputs that cannot keep their slots.
    chains_ = find_epilogue_chains(g);
    const std::vector<bool> keep = chain_outputs_keep_slots(g, plan, chains_);
    std::vector<int64_t> own_offset(g.entries.size(), -1);
    for (size_t k = 0; k < chains_.size(); ++k) {
      if (keep[k]) continue;
      const auto out = static_cast<size_t>(g.nodes[chains_[k].last].first_entry);
      own_offset[out] = total;
      total += shape_size(g.entries[out].shape);
    }
    arena_ = cuda::DeviceBuffer(static_cast<size_t>(total) * sizeof(int32_t));
    int32_t* base = arena_.as<int32_t>();

    entry_.resize(g.entries.size());
    for (size_t i = 0; i < g.nodes.size(); ++i)
      for (int k = 0; k < g.nodes[i].num_outputs; ++k) {
        const auto e = static_cast<size_t>(g.nodes[i].first_entry + k);
        const int64_t at = g.nodes[i].is_variable() ? variable_offset[i]
                           : own_offset[e] >= 0 ? own_offset[e]
                                                : slot_offset[static_cast<size_t>(plan.slot_of_entry[e])];
        entry_[e] = DeviceTensor{base + at, g.entries[e]};
      }
    // Params go up once, now.
    for (size_t i = 0; i < g.nodes.size(); ++i) {
      if (!g.nodes[i].is_variable() || static_cast<int64_t>(i) == g.data_node) continue;
      const Tensor& v = model_->variable_values()[i];
      check_cuda(cudaMemcpy(base + variable_offset[i], v.data.data(), v.data.size() * sizeof(int32_t),
                            cudaMemcpyHostToDevice),
                 "uploading params");
    }
    // The params' copies (legacy default stream) must land before the
    // program's non-blocking stream reads them.
    check_cuda(cudaDeviceSynchronize(), "uploading params");
    data_ = entry_[static_cast<size_t>(g.nodes[static_cast<size_t>(g.data_node)].first_entry)];

    kernels_ = make_node_kernels<cuda::NodeKernel>(*model_, entry_producers(g), "cuda", "CUDA kernel",
                                                   cuda::find_kernel);
    chain_at_.assign(g.nodes.size(), -1);
    chain_member_.assign(g.nodes.size(), false);
    for (size_t k = 0; k < chains_.size(); ++k) {
      // conv2d and dense kernels all take epilogues; any other would run unfused.
      if (dynamic_cast<cuda::EpilogueKernel*>(kernels_[chains_[k].first].get()) == nullptr) continue;
      chain_at_[chains_[k].first] = static_cast<int64_t>(k);
      for (size_t m : chains_[k].members) chain_member_[m] = true;
    }
    check_cuda(cudaDeviceSynchronize(), "preparing kernels");
  }

  ~CudaProgram() override {
    if (graph_ != nullptr) cudaGraphExecDestroy(graph_);
    if (stream_ != nullptr) cudaStreamDestroy(stream_);
  }
  CudaProgram(const CudaProgram&) = delete;
  CudaProgram& operator=(const CudaProgram&) = delete;

 private:
  std::vector<Tensor> run_checked(const Tensor& data, const NodeObserver* observer) override {
    const ModelGraph& g = model_->graph();
    check_cuda(cudaMemcpyAsync(data_.data, data.data.data(), data.data.size() * sizeof(int32_t),
                               cudaMemcpyHostToDevice, stream_),
               "uploading the input");
    if (observer == nullptr && use_graph()) {
      check_cuda(cudaGraphLaunch(graph_, stream_), "launching the model's graph");
    } else {
      launch_nodes(observer);
    }
    std::vector<Tensor> heads;
    for (int64_t e : g.heads) heads.push_back(download(entry_[static_cast<size_t>(e)]));
    check_cuda(cudaStreamSynchronize(stream_), "running the model");
    return heads;
  }

  // Enqueues every node's kernel in node order (with an observer, each
  // node's outputs are downloaded and passed to it after the node ran;
  // without one, epilogue chains run fused when fusion is on).
  void launch_nodes(const NodeObserver* observer) {
    const ModelGraph& g = model_->graph();
    const bool fuse = observer == nullptr && cuda::epilogues_fused();
    for (size_t i = 0; i < g.nodes.size(); ++i) {
      const ModelNode& n = g.nodes[i];
      if (n.is_variable() || (fuse && chain_member_[i])) continue;
      cuda::DeviceInputs in;
      for (int64_t e : n.inputs) in.push_back(entry_[static_cast<size_t>(e)]);
      cuda::DeviceOutputs out;
      for (int k = 0; k < n.num_outputs; ++k) out.push_back(entry_[static_cast<size_t>(n.first_entry + k)]);
      try {
        if (fuse && chain_at_[i] >= 0) {
          const EpilogueChain& c = chains_[static_cast<size_t>(chain_at_[i])];
          const cuda::DeviceOutputs last{entry_[static_cast<size_t>(g.nodes[c.last].first_entry)]};
          static_cast<cuda::EpilogueKernel*>(kernels_[i].get())->launch_with_epilogue(in, last, stream_, c.epilogue);
          continue;
        }
        kernels_[i]->launch(in, out, stream_);
        if (observer != nullptr) {
          std::vector<Tensor> values;
          for (const DeviceTensor& t : out) values.push_back(download(t));
          check_cuda(cudaStreamSynchronize(stream_), "running the node");
          (*observer)(i, values);
        }
      } catch (const RuntimeError& err) {
        throw in_context(err, g.describe(i));
      }
    }
  }

  // Whether graph_ holds the model's launches for the current settings,
  // capturing them if needed; false (direct launches) if capture failed.
  bool use_graph() {
    if (graph_failed_) return false;
    const GraphSettings now{cuda::simple_gemm_forced(), cuda::deep_slices_used(), cuda::epilogues_fused()};
    if (graph_ != nullptr && graph_settings_ == now) return true;
    if (graph_ != nullptr) {
      cudaGraphExecDestroy(graph_);
      graph_ = nullptr;
    }
    if (cudaStreamBeginCapture(stream_, cudaStreamCaptureModeThreadLocal) != cudaSuccess) {
      (void)cudaGetLastError();
      graph_failed_ = true;
      return false;
    }
    cudaGraph_t graph = nullptr;
    try {
      launch_nodes(nullptr);
    } catch (...) {
      // End the capture so the stream is usable again, then report as a
      // direct run would.
      if (cudaStreamEndCapture(stream_, &graph) == cudaSuccess && graph != nullptr) cudaGraphDestroy(graph);
      (void)cudaGetLastError();
      throw;
    }
    const bool captured = cudaStreamEndCapture(stream_, &graph) == cudaSuccess && graph != nullptr;
    const bool made = captured && cudaGraphInstantiate(&graph_, graph, 0) == cudaSuccess;
    if (graph != nullptr) cudaGraphDestroy(graph);
    if (!made) {
      graph_ = nullptr;
      (void)cudaGetLastError();
      graph_failed_ = true;
      return false;
    }
    graph_settings_ = now;
    return true;
  }

  // Enqueues a copy of t into a host tensor; valid after the next synchronise.
  Tensor download(const DeviceTensor& t) {
    Tensor h{t.type.shape, t.type.precision, std::vector<int32_t>(static_cast<size_t>(shape_size(t.type.shape)))};
    check_cuda(cudaMemcpyAsync(h.data.data(), t.data, h.data.size() * sizeof(int32_t), cudaMemcpyDeviceToHost,
                               stream_),
               "downloading");
    return h;
  }

  std::shared_ptr<const Model> model_;
  cudaStream_t stream_ = nullptr;
  cuda::DeviceBuffer arena_;
  std::vector<DeviceTensor> entry_;
  DeviceTensor data_;
  std::vector<std::unique_ptr<cuda::NodeKernel>> kernels_;
  std::vector<EpilogueChain> chains_;
  std::vector<int64_t> chain_at_;     // per node: the chain it starts (index into chains_), or -1
  std::vector<bool> chain_member_;    // per node: a later node of a fused chain
  // The host settings read at launch time that graph_ was captured with.
  struct GraphSettings {
    bool simple_gemm = false, deep_slices = false, fused = false;
    bool operator==(const GraphSettings&) const = default;
  };
  cudaGraphExec_t graph_ = nullptr;
  GraphSettings graph_settings_;
  bool graph_failed_ = false;
};

class CudaBackend final : public Backend {
 public:
  std::string_view name() const override { return "cuda"; }
  std::unique_ptr<Program> prepare(std::shared_ptr<const Model> model) const override {
    return std::make_unique<CudaProgram>(std::move(model));
  }
};

}  // namespace

const Backend* cuda_backend() {
  static const CudaBackend backend;
  return cuda::device_present() ? &backend : nullptr;
}

}  // namespace cvm
