// The ResNet-18-shaped benchmark model (resnet18.h) computes something: with
// its calibrated shifts no operator node's output is all zero on the bundled
// input, every shift after a conv2d, dense or sum reaches the top bit of its
// 8, the head takes over a hundred distinct values, and the generator is
// deterministic. Expected properties, not recorded outputs.
#include <gtest/gtest.h>

#include <algorithm>
#include <iostream>
#include <set>
#include <string>
#include <vector>

#include "cvm/backend.h"
#include "cvm/errors.h"
#include "cvm/model.h"
#include "cvm/npy.h"
#include "cvm/runtime.h"
#include "resnet18.h"

namespace cvm::examples {
namespace {

// The node that produces entry `entry` (its first output or a later one).
size_t producer(const ModelGraph& g, int64_t entry) {
  for (size_t i = g.nodes.size(); i-- > 0;)
    if (g.nodes[i].first_entry <= entry) return i;
  return 0;
}

TEST(ResNet18, EveryNodeComputesSomethingOnTheBundledInput) {
  const ResNetModel m = make_resnet18(1);
  const std::shared_ptr<const Model> model = Model::load(m.files.symbol, m.files.params);
  const NpyArray x = parse_npy(m.files.input_npy, "input");
  const Tensor input = make_input(*model, x.shape, x.data);
  const std::unique_ptr<Backend> backend = make_fast_backend(2);
  Runtime runtime(model, *backend);

  const ModelGraph& g = model->graph();
  std::vector<std::string> all_zero;
  std::vector<std::string> narrow;  // calibrated shifts whose outputs stay below 64
  size_t observed = 0;
  size_t calibrated = 0;
  const NodeObserver observer = [&](size_t node, std::span<const Tensor> outputs) {
    ++observed;
    int64_t top = 0;  // the largest magnitude of the node's outputs
    for (const Tensor& t : outputs) {
      int64_t t_top = 0;
      for (int32_t v : t.data) t_top = std::max<int64_t>(t_top, v < 0 ? -int64_t{v} : v);
      if (t_top == 0) all_zero.push_back(g.describe(node));
      top = std::max(top, t_top);
    }
    // The shift after a conv2d, dense or sum is bits(m) - 7 for the largest
    // magnitude m it sees (the worst-case bound p_in - 8 is far above), so
    // its output reaches 64 = 2^6: it uses all 8 bits.
    const ModelNode& n = g.nodes[node];
    if (n.op->name != "cvm_right_shift") return;
    const auto& from = g.nodes[producer(g, n.inputs[0])].op->name;
    if (from != "conv2d" && from != "dense" && from != "sum") return;
    ++calibrated;
    if (top < 64) narrow.push_back(str(g.describe(node), " reaches only ", top));
  };
  const std::vector<Tensor> heads = runtime.run(input, &observer);

  size_t operators = 0;
  for (const ModelNode& n : g.nodes) operators += n.is_variable() ? 0 : 1;
  EXPECT_EQ(observed, operators);
  EXPECT_TRUE(all_zero.empty()) << all_zero.size() << " all-zero outputs, the first "
                                << all_zero.front();
  EXPECT_EQ(calibrated, 20u + 1 + 1);  // 20 conv2d (1 + 16 + 3 projections), sum, dense
  EXPECT_TRUE(narrow.empty()) << narrow.size() << " shifts leave bits unused, the first "
                              << narrow.front();

  // The head: 1000 int8 scores, sums of 512 products, so about normally
  // distributed, their largest magnitude in [64, 127] by the calibration: at
  // most 255 distinct values, and for a normal sample of 1000 whose largest
  // magnitude is M about 1.1 M of them (M = 99 here: 136 distinct).
  ASSERT_EQ(heads.size(), 1u);
  ASSERT_EQ(heads[0].shape, (Shape{1, 1000}));
  const std::set<int32_t> distinct(heads[0].data.begin(), heads[0].data.end());
  std::cout << "head: " << distinct.size() << " distinct values in [" << *distinct.begin()
            << ", " << *distinct.rbegin() << "]\n";
  EXPECT_GE(distinct.size(), 100u);
}

TEST(ResNet18, SameSeedSameBytes) {
  const ResNetModel a = make_resnet18(2, 7);
  const ResNetModel b = make_resnet18(2, 7);
  EXPECT_EQ(a.files.symbol, b.files.symbol);
  EXPECT_EQ(a.files.params, b.files.params);
  EXPECT_EQ(a.files.input_npy, b.files.input_npy);
  EXPECT_EQ(a.macs, b.macs);
  // The calibration runs on the first image, which is the same at every
  // batch: the graph differs from batch 1's by the batch dimension only.
  EXPECT_EQ(make_resnet18(1, 7).files.params, a.files.params);
}

}  // namespace
}  // namespace cvm::examples
