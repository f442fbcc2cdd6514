// The CUDA backend against the reference: RapidCheck properties for every
// operator (oracle/gen cases, values concentrated at the precision extremes,
// runtime and packed-constant inputs) and for random whole models (epilogue
// chains fused and not, graphs captured and replayed), the C API
// with device_type 1, and -- also without a GPU -- how the backend is offered
// and that acceptance does not depend on a GPU being present.
#include <gtest/gtest.h>
#include <rapidcheck.h>

#include <algorithm>
#include <cstring>

#include "cuda/run_op.h"
#include "cuda_support.h"
#include "cvm/backend.h"
#include "cvm/c_api.h"
#include "cvm/errors.h"
#include "cvm/graph.h"
#include "cvm/model.h"
#include "cvm/op.h"
#include "cvm/runtime.h"
#include "gen/cuda_differential.h"
#include "gen/differential.h"
#include "gen/op_cases.h"
#include "gen/random_model.h"
#include "gen/rc_chooser.h"
#include "gen/values.h"
#include "op_property.h"
#include "support.h"

namespace cvm::oracle {
namespace {

// Runs everywhere: the backend is offered exactly when a device is present.
TEST(cuda_backend, is_offered_exactly_when_a_device_is_present) {
  const bool present = cuda_device_present();
  EXPECT_EQ(find_backend("cuda") != nullptr, present);
  const std::vector<std::string> names = backend_names();
  EXPECT_EQ(std::find(names.begin(), names.end(), "cuda") != names.end(), present);
  if (present) {
    EXPECT_EQ(find_backend("cuda")->name(), "cuda");
  }
}

// Runs everywhere: an invalid application is the same LogicError with or
// without a GPU (validation happens before any device work), and a valid one
// without a GPU is a RuntimeError, never a crash.
TEST(cuda_backend, acceptance_does_not_depend_on_the_device) {
  const Tensor x{{4}, 8, {1, -2, 3, -4}};
  const gen::Outcome bad = gen::capture([&] { return cuda::run_cuda_op("relu", {{"bogus", "1"}}, {x}); });
  const gen::Outcome want = gen::capture([&] { return run_reference("relu", {{"bogus", "1"}}, {x}).outputs; });
  EXPECT_EQ(bad.error, want.error);
  EXPECT_EQ(bad.error.rfind("logic ", 0), 0u) << bad.error;
  const Tensor out_of_precision{{2}, 4, {1, 100}};
  EXPECT_EQ(gen::capture([&] { return cuda::run_cuda_op("relu", {}, {out_of_precision}); }).error,
            gen::capture([&] { return run_reference("relu", {}, {out_of_precision}).outputs; }).error);
  const gen::Outcome ok = gen::capture([&] { return cuda::run_cuda_op("relu", {}, {x}); });
  if (cuda_device_present()) {
    ASSERT_EQ(ok.error, "");
    EXPECT_EQ(ok.outputs.at(0).data, (std::vector<int32_t>{1, 0, 3, 0}));
  } else {
    EXPECT_EQ(ok.error.rfind("runtime cuda", 0), 0u) << ok.error;
  }
}

class cuda_property_ops : public testing::TestWithParam<std::string> {};

TEST_P(cuda_property_ops, cuda_equals_reference) {
  CVM_REQUIRE_GPU();
  expect_backend_equals_reference_on_random_cases("cuda == reference: ", GetParam(), gen::cuda_vs_reference);
}

INSTANTIATE_TEST_SUITE_P(all, cuda_property_ops, testing::ValuesIn(registered_op_names()),
                         [](const testing::TestParamInfo<std::string>& p) { return p.param; });

TEST(cuda_property_models, cuda_equals_reference_on_random_models) {
  CVM_REQUIRE_GPU();
  const Backend& cuda = *find_backend("cuda");
  const bool ok = rc::check("cuda == reference on random models", [&] {
    const gen::RandomModel m = gen::rc_random_model();
    const auto model = Model::load(m.symbol, m.params);
    const std::vector<Tensor> want = Runtime(model, reference_backend()).run(m.input);
    Runtime runtime(model, cuda);
    const std::string plain = gen::compare_outcomes({want, ""}, {runtime.run(m.input), ""});
    if (!plain.empty()) RC_FAIL(str(plain, "\n  symbol: ", m.symbol));
    // With an observer every node's values come back to the host.
    std::vector<Tensor> seen;
    const NodeObserver observe = [&](size_t, std::span<const Tensor> outs) {
      for (const Tensor& t : outs) seen.push_back(t);
    };
    const std::string observed = gen::compare_outcomes({want, ""}, {runtime.run(m.input, &observe), ""});
    if (!observed.empty()) RC_FAIL(str("(observed) ", observed, "\n  symbol: ", m.symbol));
    RC_ASSERT(!seen.empty());
    // A later plain run replays the captured graph (runtime/cuda_backend.cu) on new
    // data: the negated input (precisions are symmetric, so it is valid too).
    Tensor negated = m.input;
    for (int32_t& v : negated.data) v = -v;
    const gen::Outcome want2 = gen::capture([&] { return Runtime(model, reference_backend()).run(negated); });
    const std::string replay = gen::compare_outcomes(want2, gen::capture([&] { return runtime.run(negated); }));
    if (!replay.empty()) RC_FAIL(str("(graph replay) ", replay, "\n  symbol: ", m.symbol));
    // With epilogue chains fused (a new capture), on both inputs.
    const FuseEpilogues fusion(true);
    const std::string fused = gen::compare_outcomes({want, ""}, gen::capture([&] { return runtime.run(m.input); }));
    if (!fused.empty()) RC_FAIL(str("(fused) ", fused, "\n  symbol: ", m.symbol));
    const std::string fused2 = gen::compare_outcomes(want2, gen::capture([&] { return runtime.run(negated); }));
    if (!fused2.empty()) RC_FAIL(str("(fused, replay) ", fused2, "\n  symbol: ", m.symbol));
  });
  EXPECT_TRUE(ok) << "see the RapidCheck report above for the smallest failing model";
}

// The C API's device_type 1 runs the CUDA backend and gives device_type 0's bytes.
TEST(cuda_c_api, gpu_and_cpu_give_the_same_output) {
  CVM_REQUIRE_GPU();
  gen::SeededChooser c(20261122);
  gen::RandomModelOptions o;
  const gen::RandomModel m = gen::random_model(c, o, &c);
  const auto model = Model::load(m.symbol, m.params);
  std::vector<std::string> outputs;
  for (int device : {0, 1}) {
    void* net = nullptr;
    ASSERT_EQ(CVMAPILoadModel(m.symbol.data(), static_cast<int>(m.symbol.size()), m.params.data(),
                              static_cast<int>(m.params.size()), &net, device, 0),
              0);
    unsigned long long out_len = 0, in_len = 0;
    ASSERT_EQ(CVMAPIGetOutputLength(net, &out_len), 0);
    ASSERT_EQ(CVMAPIGetInputLength(net, &in_len), 0);
    // The input in the model's input width: 1 byte per value or 4.
    std::string input_bytes;
    for (int32_t v : m.input.data) {
      if (in_len == m.input.data.size()) {
        input_bytes.push_back(static_cast<char>(static_cast<int8_t>(v)));
      } else {
        char b[4];
        std::memcpy(b, &v, 4);
        input_bytes.append(b, 4);
      }
    }
    std::string out(static_cast<size_t>(out_len), '\0');
    EXPECT_EQ(CVMAPIInference(net, input_bytes.data(), static_cast<int>(input_bytes.size()), out.data()), 0);
    outputs.push_back(out);
    CVMAPIFreeModel(net);
  }
  EXPECT_EQ(outputs[0], outputs[1]);
}

}  // namespace
}  // namespace cvm::oracle
