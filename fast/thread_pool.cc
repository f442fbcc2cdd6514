#include "fast/thread_pool.h"

#include <algorithm>

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#endif

namespace cvm::fast {
namespace {

// About 50-100 microseconds of spinning before a thread sleeps.
constexpr int kSpins = 20000;
// With more threads than cores a waiting thread yields instead, a few times
// before it sleeps: a spinning one would hold a core that a thread with a
// chunk to run is waiting for, and sleeping at once makes every job pay
// futex wake-ups (8 threads on 2 cores ran ResNet-18 in ~21 ms spinning,
// ~12 ms sleeping at once, ~7 ms yielding; 2 threads: ~5.6 ms).
constexpr int kYields = 64;

void relax() {
#if defined(__x86_64__) || defined(__i386__)
  _mm_pause();
#else
  std::this_thread::yield();
#endif
}

}  // namespace

ThreadPool::ThreadPool(int threads) : threads_(std::clamp(threads, 1, kMaxThreads)) {
  static_assert(kMaxThreads < (1 << 16), "chunk indices fit the ticket's 16-bit fields");
  errors_.resize(static_cast<size_t>(threads_));
  // Spinning pays only while every thread has a core of its own (kYields).
  // (0: the core count is unknown.)
  const unsigned cores = std::thread::hardware_concurrency();
  oversubscribed_ = cores != 0 && threads_ > static_cast<int>(cores);
  spins_ = oversubscribed_ ? kYields : kSpins;
  for (int i = 1; i < threads_; ++i) workers_.emplace_back([this] { worker(); });
}

ThreadPool::~ThreadPool() {
  {
    std::lock_guard lock(mutex_);
    stop_.store(true, std::memory_order_release);
  }
  wake_.notify_all();
  for (std::thread& t : workers_) t.join();
}

void ThreadPool::wait_a_moment() const {
  if (oversubscribed_)
    std::this_thread::yield();
  else
    relax();
}

void ThreadPool::run_chunk(int64_t index) {
  std::exception_ptr err;
  try {
    (*job_)(n_ * index / parts_, n_ * (index + 1) / parts_);
  } catch (...) {
    err = std::current_exception();
  }
  errors_[static_cast<size_t>(index)] = err;
}

void ThreadPool::run_chunks(uint64_t generation) {
  for (;;) {
    uint64_t t = ticket_.load(std::memory_order_acquire);
    if ((t >> 32) != (generation & 0xffffffffu)) return;  // a later job was published
    const auto parts = static_cast<int64_t>((t >> 16) & 0xffffu);
    const auto index = static_cast<int64_t>(t & 0xffffu);
    if (index >= parts) return;  // every chunk is claimed
    if (!ticket_.compare_exchange_weak(t, t + 1, std::memory_order_acq_rel)) continue;
    // Claimed: the job cannot finish before this chunk, so job_, n_ and
    // parts_ are still this job's.
    run_chunk(index);
    if (finished_.fetch_add(1, std::memory_order_acq_rel) + 1 == parts) {
      std::lock_guard lock(mutex_);
      done_.notify_all();
    }
  }
}

void ThreadPool::worker() {
  uint64_t seen = 0;
  for (;;) {
    int spins = 0;
    while (generation_.load(std::memory_order_acquire) == seen &&
           !stop_.load(std::memory_order_acquire)) {
      if (++spins < spins_) {
        wait_a_moment();
        continue;
      }
      std::unique_lock lock(mutex_);
      wake_.wait(lock, [&] {
        return stop_.load(std::memory_order_acquire) ||
               generation_.load(std::memory_order_acquire) != seen;
      });
    }
    if (stop_.load(std::memory_order_acquire)) return;
    seen = generation_.load(std::memory_order_acquire);
    run_chunks(seen);
  }
}

void ThreadPool::parallel_for(int64_t n, int64_t grain,
                              const std::function<void(int64_t, int64_t)>& fn) {
  if (n <= 0) return;
  grain = std::max<int64_t>(1, grain);
  const int64_t parts = std::min<int64_t>(threads_, std::max<int64_t>(1, n / grain));
  if (parts == 1) {
    fn(0, n);
    return;
  }
  job_ = &fn;
  n_ = n;
  parts_ = parts;
  finished_.store(0, std::memory_order_relaxed);
  const uint64_t generation = ++jobs_;
  // Release: a thread that reads this ticket sees the job written above.
  ticket_.store(((generation & 0xffffffffu) << 32) | (static_cast<uint64_t>(parts) << 16),
                std::memory_order_release);
  {
    // Under the mutex, so a worker about to sleep cannot miss the change.
    std::lock_guard lock(mutex_);
    generation_.store(generation, std::memory_order_release);
  }
  wake_.notify_all();
  run_chunks(generation);  // the caller works too, and alone if no worker wakes
  int spins = 0;
  while (finished_.load(std::memory_order_acquire) != parts) {
    if (++spins < spins_) {
      wait_a_moment();
      continue;
    }
    std::unique_lock lock(mutex_);
    done_.wait(lock, [&] { return finished_.load(std::memory_order_acquire) == parts; });
  }
  for (int64_t i = 0; i < parts; ++i)
    if (errors_[static_cast<size_t>(i)]) std::rethrow_exception(errors_[static_cast<size_t>(i)]);
}

}  // namespace cvm::fast
