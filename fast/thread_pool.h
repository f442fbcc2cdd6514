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
// thread costs tens of microseconds, more than many whole kernels. With
// more threads than cores they yield the core a few times instead: a
// spinning thread would hold a core that a thread with a chunk to run is
// waiting for.
//
// Chunks are claimed, not assigned: the caller and whichever workers are
// awake take the next unclaimed chunk from one atomic ticket until none is
// left, and the caller waits only for chunks that were claimed. A worker the
// OS has not scheduled (more threads than free cores, a busy machine) never
// holds a job up; it finds the job finished when it wakes. Which thread runs
// a chunk never changes a result (chunk boundaries depend only on n, grain
// and threads()).
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
  /// `threads` threads in all (clamped to [1, kMaxThreads]): the caller
  /// plus threads - 1 workers.
  explicit ThreadPool(int threads);
  static constexpr int kMaxThreads = 1024;
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
  void worker();
  // Claims and runs chunks of job `generation` until none is unclaimed.
  void run_chunks(uint64_t generation);
  void run_chunk(int64_t index);
  // One step of a wait before sleeping: a pause, or a yield when oversubscribed_.
  void wait_a_moment() const;

  int threads_;
  bool oversubscribed_;  // more threads than cores
  int spins_;            // wait_a_moment steps before a wait sleeps
  std::vector<std::thread> workers_;
  std::mutex mutex_;
  std::condition_variable wake_, done_;
  // The current job. Written by the caller before it publishes the job's
  // ticket and kept until every chunk is done: a thread that claimed a chunk
  // of the job reads them while the job cannot be finished yet.
  const std::function<void(int64_t, int64_t)>* job_ = nullptr;
  int64_t n_ = 0;
  int64_t parts_ = 0;
  std::vector<std::exception_ptr> errors_;  // per chunk
  uint64_t jobs_ = 0;                        // caller only: jobs published so far
  // generation (bits 32-63), chunk count (16-31), next unclaimed chunk (0-15).
  std::atomic<uint64_t> ticket_{0};
  std::atomic<int64_t> finished_{0};     // chunks of the current job done
  std::atomic<uint64_t> generation_{0};  // the latest job, for sleeping workers
  std::atomic<bool> stop_{false};
};

}  // namespace cvm::fast
