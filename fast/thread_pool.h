// A fixed pool of worker threads for the fast backend.
//
// parallel_for splits [0, n) into contiguous chunks, one per thread, in a
// fixed way that depends only on n, the grain and the thread count. Kernels
// give every output element to exactly one chunk (or, for reductions, combine
// exact integer partial results), so a result never depends on the thread
// count or on scheduling.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace cvm::fast {

class ThreadPool {
 public:
  /// `threads` >= 1 threads in all: the caller plus threads - 1 workers.
  explicit ThreadPool(int threads);
  ~ThreadPool();
  ThreadPool(const ThreadPool&) = delete;
  ThreadPool& operator=(const ThreadPool&) = delete;

  int threads() const { return threads_; }

  /// Calls fn(begin, end) on disjoint chunks covering [0, n), each chunk
  /// at least `grain` long (except when n < grain), on up to threads()
  /// threads; returns when all are done. An exception thrown by fn is
  /// rethrown here (the first one, by chunk order).
  void parallel_for(int64_t n, int64_t grain, const std::function<void(int64_t, int64_t)>& fn);

 private:
  void worker(int index);

  int threads_;
  std::vector<std::thread> workers_;
  std::mutex mutex_;
  std::condition_variable wake_, done_;
  // The job being run: generation counts jobs so a worker runs each once.
  const std::function<void(int64_t, int64_t)>* job_ = nullptr;
  std::vector<std::pair<int64_t, int64_t>> chunks_;
  std::vector<std::exception_ptr> errors_;
  uint64_t generation_ = 0;
  int pending_ = 0;
  bool stop_ = false;
};

}  // namespace cvm::fast
