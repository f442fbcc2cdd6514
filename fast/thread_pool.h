// A fixed pool of worker threads for the fast backend.
//
// parallel_for splits [0, n) into contiguous chunks, one per thread, in a
// fixed way that depends only on n, the grain and the thread count. Kernels
// give every output element to exactly one chunk (or, for reductions, combine
// exact integer partial results), so a result never depends on the thread
// count or on scheduling.
//
// A model run issues hundreds of short parallel_for calls, so idle workers
// spin briefly before sleeping on a condition variable: waking a sleeping
// thread costs tens of microseconds, more than many whole kernels.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <exception>
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
  /// rethrown here (the first one, by chunk order). Not re-entrant: fn must
  /// not call parallel_for.
  void parallel_for(int64_t n, int64_t grain, const std::function<void(int64_t, int64_t)>& fn);

 private:
  void worker(int index);
  void run_chunk(int index);

  int threads_;
  std::vector<std::thread> workers_;
  std::mutex mutex_;
  std::condition_variable wake_, done_;
  // The current job. Written by the caller before it publishes a new
  // generation; every worker takes part in every job (possibly with an
  // empty chunk), so none can still be reading these when the next job
  // overwrites them.
  const std::function<void(int64_t, int64_t)>* job_ = nullptr;
  int64_t n_ = 0;
  int64_t parts_ = 0;
  std::vector<std::exception_ptr> errors_;
  std::atomic<uint64_t> generation_{0};
  std::atomic<int> pending_{0};
  std::atomic<bool> stop_{false};
};

}  // namespace cvm::fast
