#include "fast/thread_pool.h"

#include <algorithm>
#include <exception>

namespace cvm::fast {

ThreadPool::ThreadPool(int threads) : threads_(std::max(1, threads)) {
  for (int i = 1; i < threads_; ++i) workers_.emplace_back([this, i] { worker(i); });
}

ThreadPool::~ThreadPool() {
  {
    std::lock_guard lock(mutex_);
    stop_ = true;
  }
  wake_.notify_all();
  for (std::thread& t : workers_) t.join();
}

void ThreadPool::worker(int index) {
  uint64_t seen = 0;
  for (;;) {
    std::unique_lock lock(mutex_);
    wake_.wait(lock, [&] { return stop_ || generation_ != seen; });
    if (stop_) return;
    seen = generation_;
    const size_t c = static_cast<size_t>(index);
    if (c >= chunks_.size()) continue;  // fewer chunks than threads this time
    const auto [b, e] = chunks_[c];
    const auto* job = job_;
    lock.unlock();
    std::exception_ptr err;
    try {
      (*job)(b, e);
    } catch (...) {
      err = std::current_exception();
    }
    lock.lock();
    errors_[c] = err;
    if (--pending_ == 0) done_.notify_all();
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
  {
    std::lock_guard lock(mutex_);
    chunks_.clear();
    for (int64_t i = 0; i < parts; ++i) chunks_.emplace_back(n * i / parts, n * (i + 1) / parts);
    errors_.assign(chunks_.size(), nullptr);
    job_ = &fn;
    pending_ = static_cast<int>(parts) - 1;  // chunk 0 runs on this thread
    ++generation_;
  }
  wake_.notify_all();
  std::exception_ptr first;
  try {
    fn(chunks_[0].first, chunks_[0].second);
  } catch (...) {
    first = std::current_exception();
  }
  std::unique_lock lock(mutex_);
  done_.wait(lock, [&] { return pending_ == 0; });
  job_ = nullptr;
  if (!first)
    for (const auto& e : errors_)
      if (e) {
        first = e;
        break;
      }
  lock.unlock();
  if (first) std::rethrow_exception(first);
}

}  // namespace cvm::fast
