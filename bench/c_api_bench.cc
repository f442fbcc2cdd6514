// One inference through the C API itself (CVMAPIInference: input decoding,
// the backend's run, post-processing, output encoding), on the bundled
// example models and the ResNet-18-shaped model, in steady state: the
// handle is loaded and run twice before the timed loop.
//
//   build/bench/cvm_bench --benchmark_filter=c_api
//   CVM_THREADS=2 build/bench/cvm_bench --benchmark_filter=c_api/resnet18
//
// Counters, per inference (totals over the timed loop / iterations):
//   minflt       minor page faults of the process (getrusage ru_minflt)
//   heap_allocs  calls of the global operator new in the process
//   store_allocs buffers the runtime's EntryStore had to (re)allocate
//   store_MB     megabytes of those allocations
//   zeroed_MB    megabytes EntryStore::take filled with zeros
// Device 0 (the fast backend) needs none of the store's allocations or
// zero-filling in steady state; device 2 (the reference) zero-fills every
// output before its kernel runs, as the spec's memory plan describes.
#include <benchmark/benchmark.h>
#include <sys/resource.h>

#include <atomic>
#include <cstdlib>
#include <fstream>
#include <new>
#include <sstream>
#include <string>
#include <vector>

#include "cvm/c_api.h"
#include "resnet18.h"
#include "runtime/entry_store.h"

namespace {
std::atomic<uint64_t> g_heap_allocs{0};
}  // namespace

// Counts every allocation of the process (the bench binary's own replacement
// of the global allocation functions, which the library's containers use).
// GCC sees malloc in the replaced new and free in the replaced delete and
// takes them for a mismatched pair; they are the matching pair here.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"
#endif
void* operator new(std::size_t size) {
  g_heap_allocs.fetch_add(1, std::memory_order_relaxed);
  if (void* p = std::malloc(size == 0 ? 1 : size)) return p;
  throw std::bad_alloc();
}
void operator delete(void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic pop
#endif

namespace cvm::bench {
namespace {

struct ModelFiles {
  std::string symbol;
  std::string params;
};

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

ModelFiles example(const std::string& dir) {
  const std::string base = std::string(CVM_SOURCE_DIR) + "/examples/" + dir + "/";
  return {read_file(base + "symbol"), read_file(base + "params")};
}

ModelFiles resnet18_files() {
  const examples::ResNetModel m = examples::make_resnet18(1);
  return {m.files.symbol, m.files.params};
}

long minor_faults() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return u.ru_minflt;
}

std::string last_error() {
  std::vector<char> buf(1024);
  CVMAPIGetLastError(buf.data(), buf.size(), nullptr);
  return buf.data();
}

void BM_c_api(benchmark::State& state, ModelFiles (*files)(), int device) {
  const ModelFiles f = files();
  void* net = nullptr;
  if (CVMAPILoadModel(f.symbol.data(), static_cast<int>(f.symbol.size()), f.params.data(),
                      static_cast<int>(f.params.size()), &net, device, 0) != 0) {
    state.SkipWithError(("CVMAPILoadModel: " + last_error()).c_str());
    return;
  }
  unsigned long long in_len = 0, out_len = 0;
  CVMAPIGetInputLength(net, &in_len);
  CVMAPIGetOutputLength(net, &out_len);
  // A fixed input; the engine saturates it to the input precision.
  std::string input(in_len, '\0');
  for (size_t i = 0; i < input.size(); ++i) input[i] = static_cast<char>((i * 37 + 11) % 251);
  std::string output(out_len, '\0');
  auto infer = [&] {
    return CVMAPIInference(net, input.data(), static_cast<int>(input.size()), output.data());
  };
  // Steady state: the first run sizes the buffers, the second settles.
  for (int k = 0; k < 2; ++k)
    if (infer() != 0) {
      state.SkipWithError(("CVMAPIInference: " + last_error()).c_str());
      CVMAPIFreeModel(net);
      return;
    }
  const cvm::EntryStoreCounters s0 = cvm::entry_store_counters();
  const uint64_t heap0 = g_heap_allocs.load(std::memory_order_relaxed);
  const long flt0 = minor_faults();
  for (auto _ : state) {
    if (infer() != 0) {
      state.SkipWithError(("CVMAPIInference: " + last_error()).c_str());
      break;
    }
    benchmark::DoNotOptimize(output.data());
  }
  const long flt1 = minor_faults();
  const uint64_t heap1 = g_heap_allocs.load(std::memory_order_relaxed);
  const cvm::EntryStoreCounters s1 = cvm::entry_store_counters();
  CVMAPIFreeModel(net);
  const auto per_run = [&](double total) {
    return benchmark::Counter(total / static_cast<double>(state.iterations()));
  };
  state.counters["minflt"] = per_run(static_cast<double>(flt1 - flt0));
  state.counters["heap_allocs"] = per_run(static_cast<double>(heap1 - heap0));
  state.counters["store_allocs"] = per_run(static_cast<double>(s1.allocations - s0.allocations));
  state.counters["store_MB"] = per_run(static_cast<double>(s1.allocated_bytes - s0.allocated_bytes) / 1e6);
  state.counters["zeroed_MB"] = per_run(static_cast<double>(s1.zeroed_bytes - s0.zeroed_bytes) / 1e6);
}

ModelFiles mnist_cnn() { return example("mnist_cnn"); }
ModelFiles detection() { return example("detection"); }
ModelFiles fashion_cnn() { return example("fashion_mnist/cnn"); }
ModelFiles fashion_resnet() { return example("fashion_mnist/resnet"); }

// device 0: CPU (the fast backend), device 2: formal (the reference).
BENCHMARK_CAPTURE(BM_c_api, mnist_cnn/fast, mnist_cnn, 0)->Unit(benchmark::kMicrosecond)->UseRealTime();
BENCHMARK_CAPTURE(BM_c_api, detection/fast, detection, 0)->Unit(benchmark::kMicrosecond)->UseRealTime();
BENCHMARK_CAPTURE(BM_c_api, fashion_cnn/fast, fashion_cnn, 0)->Unit(benchmark::kMicrosecond)->UseRealTime();
BENCHMARK_CAPTURE(BM_c_api, fashion_resnet/fast, fashion_resnet, 0)
    ->Unit(benchmark::kMicrosecond)
    ->UseRealTime();
BENCHMARK_CAPTURE(BM_c_api, resnet18/fast, resnet18_files, 0)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK_CAPTURE(BM_c_api, mnist_cnn/reference, mnist_cnn, 2)->Unit(benchmark::kMicrosecond)->UseRealTime();
BENCHMARK_CAPTURE(BM_c_api, fashion_resnet/reference, fashion_resnet, 2)
    ->Unit(benchmark::kMicrosecond)
    ->UseRealTime();

}  // namespace
}  // namespace cvm::bench
