// The fast backend's plumbing: run_fast_op, the thread pool, and the
// difference report (which must name a difference when there is one).
#include <gtest/gtest.h>

#include <atomic>

#include "fast/run_op.h"
#include "fast/thread_pool.h"
#include "fast_support.h"
#include "support.h"

namespace cvm::oracle {

TEST(fast_pool, chunks_cover_the_range_once_for_any_thread_count) {
  for (int threads : {1, 2, 3, 7}) {
    fast::ThreadPool pool(threads);
    for (int64_t n : {1, 2, 5, 100, 1001}) {
      std::vector<std::atomic<int>> hits(static_cast<size_t>(n));
      pool.parallel_for(n, 3, [&](int64_t b, int64_t e) {
        for (int64_t i = b; i < e; ++i) hits[static_cast<size_t>(i)]++;
      });
      for (int64_t i = 0; i < n; ++i) EXPECT_EQ(hits[static_cast<size_t>(i)], 1) << threads << " " << n;
    }
  }
}

// Many more threads than cores and thousands of short jobs back to back:
// workers wake late, find jobs already finished or join them halfway, and
// every chunk still runs exactly once per job (chunks are claimed through
// one atomic ticket; fast/thread_pool.h).
TEST(fast_pool, oversubscribed_pools_run_every_chunk_once_per_job) {
  fast::ThreadPool pool(16);
  std::vector<std::atomic<int>> hits(300);
  for (int job = 0; job < 3000; ++job) {
    const int64_t n = 1 + job % 300;
    for (int64_t i = 0; i < n; ++i) hits[static_cast<size_t>(i)] = 0;
    pool.parallel_for(n, 1 + job % 7, [&](int64_t b, int64_t e) {
      for (int64_t i = b; i < e; ++i) hits[static_cast<size_t>(i)]++;
    });
    for (int64_t i = 0; i < n; ++i) ASSERT_EQ(hits[static_cast<size_t>(i)], 1) << "job " << job << " n " << n;
  }
}

TEST(fast_pool, thread_counts_are_clamped) {
  EXPECT_EQ(fast::ThreadPool(0).threads(), 1);
  EXPECT_EQ(fast::ThreadPool(-5).threads(), 1);
}

TEST(fast_pool, an_exception_in_a_chunk_reaches_the_caller) {
  fast::ThreadPool pool(3);
  EXPECT_THROW(pool.parallel_for(90, 1,
                                 [](int64_t b, int64_t) {
                                   if (b > 0) throw std::runtime_error("chunk failed");
                                 }),
               std::runtime_error);
  // The pool still works afterwards.
  std::atomic<int64_t> sum = 0;
  pool.parallel_for(10, 1, [&](int64_t b, int64_t e) {
    for (int64_t i = b; i < e; ++i) sum += i;
  });
  EXPECT_EQ(sum, 45);
}

TEST(fast_run_op, rejects_like_the_reference) {
  fast::ThreadPool pool(1);
  EXPECT_EQ(fast_vs_reference("clip", {{"a_min", "3"}, {"a_max", "1"}}, {T({2}, 8, {1, 2})}), "");
  EXPECT_THROW(fast::run_fast_op("clip", {{"a_min", "3"}, {"a_max", "1"}}, {T({2}, 8, {1, 2})}, pool),
               LogicError);
}

// tensor_c5 per op: a value outside its precision is rejected before any
// kernel runs, on every backend alike (spec/model/inference.rst, Backends).
TEST(fast_run_op, rejects_values_outside_their_precision_like_the_reference) {
  fast::ThreadPool pool(1);
  const std::vector<Tensor> bad{T({2}, 8, {1, 128})};
  EXPECT_EQ(fast_vs_reference("negative", {}, bad), "");
  try {
    fast::run_fast_op("negative", {}, bad, pool);
    ADD_FAILURE() << "a value outside precision 8 was accepted";
  } catch (const LogicError& e) {
    EXPECT_EQ(e.label(), "tensor_c5");
  }
}

TEST(fast_run_op, equal_outputs_give_an_empty_report) {
  EXPECT_EQ(fast_vs_reference("relu", {}, {T({3}, 8, {-5, 0, 7})}), "");
}

}  // namespace cvm::oracle
