// The fast backend's instruction-set level is an option of each program
// (make_fast_backend), not process state: programs at different levels run
// side by side, and a level above the CPU's is lowered to the CPU's.
#include <gtest/gtest.h>

#include <algorithm>
#include <thread>

#include "cvm/npy.h"
#include "cvm/runtime.h"
#include "cvm/version.h"
#include "fast/kernel.h"
#include "support.h"

namespace cvm::oracle {
namespace {

// examples/mnist_cnn: conv2d and dense, each with a fused epilogue chain,
// so the levels run different GEMM paths and weight packs.
struct Mnist {
  std::shared_ptr<const Model> model;
  Tensor input;
};

Mnist load_mnist() {
  const std::string dir = source_dir() + "/examples/mnist_cnn/";
  Mnist m;
  m.model = Model::load_files(dir + "symbol", dir + "params");
  const NpyArray x = read_npy(dir + "input.npy");
  m.input = make_input(*m.model, x.shape, x.data);
  return m;
}

TEST(model_isa, programs_at_different_levels_coexist) {
  const Mnist m = load_mnist();
  const std::vector<Tensor> want = Runtime(m.model, reference_backend()).run(m.input);
  const std::unique_ptr<Backend> low = make_fast_backend(2, fast::Isa::kPortable);
  const std::unique_ptr<Backend> high = make_fast_backend(2, fast::cpu_isa());
  EXPECT_EQ(low->isa_level(), "portable");
  EXPECT_EQ(high->isa_level(), fast::isa_name(fast::cpu_isa()));
  Runtime a(m.model, *low);
  Runtime b(m.model, *high);
  // Interleaved on one thread: each program keeps its level between runs.
  for (int k = 0; k < 2; ++k) {
    EXPECT_EQ(a.run(m.input), want) << "portable, run " << k;
    EXPECT_EQ(b.run(m.input), want) << fast::isa_name(fast::cpu_isa()) << ", run " << k;
  }
  // At the same time on two threads (a Runtime is used by one thread at a
  // time; two Runtimes need nothing shared).
  bool a_ok = true, b_ok = true;
  std::thread ta([&] {
    for (int k = 0; k < 3; ++k) a_ok = a_ok && a.run(m.input) == want;
  });
  std::thread tb([&] {
    for (int k = 0; k < 3; ++k) b_ok = b_ok && b.run(m.input) == want;
  });
  ta.join();
  tb.join();
  EXPECT_TRUE(a_ok);
  EXPECT_TRUE(b_ok);
}

// A level the CPU lacks is lowered to the CPU's own (not rejected: every
// level gives the same bits, so only speed is lost). Where the CPU lacks
// AVX-512 VNNI, running that level's GEMM would fault (SIGILL) instead.
TEST(model_isa, a_level_above_the_cpu_is_lowered_to_it) {
  const Mnist m = load_mnist();
  const std::unique_ptr<Backend> top = make_fast_backend(1, fast::Isa::kAvx512Vnni);
  EXPECT_EQ(top->isa_level(), fast::isa_name(std::min(fast::Isa::kAvx512Vnni, fast::cpu_isa())));
  EXPECT_EQ(Runtime(m.model, *top).run(m.input), Runtime(m.model, reference_backend()).run(m.input));
  // The default fast backend runs at the CPU's level, and the other
  // backends report the CPU's.
  EXPECT_EQ(fast_backend().isa_level(), fast::isa_name(fast::cpu_isa()));
  EXPECT_EQ(reference_backend().isa_level(), isa_level());
}

}  // namespace
}  // namespace cvm::oracle
