// The ResNet-18-shaped benchmark model (resnet18.h).
//
//   conv1 7x7/2 3->64, shift, relu, max_pool 3x3/2 pad 1        -> 64x56x56
//   layer1..4: two basic blocks each (64, 128, 256, 512 channels; the first
//     block of layers 2-4 has stride 2 and a 1x1/2 projection shortcut):
//       conv 3x3, shift, relu, conv 3x3, shift, elemwise_add(shortcut),
//       relu, cvm_right_shift(shift_bit 1) back to precision 8
//   sum over H, W (keepdims) and a shift: the global average pool as integers
//   flatten, dense 512->1000 (bias), shift                        -> (N, 1000)
//
// Weights are uniform in [-127, 127] (precision 8), biases in [-1023, 1023]
// (precision 11), drawn from the seed's stream in graph order; the input
// (batch, 3, 224, 224) is uniform in [-127, 127] from a second stream of the
// same seed, image after image, so its first image is the same at every batch.
//
// Every shift is calibrated like the bundled examples' (calibration.h,
// make_examples.cc): the graph is run op by op as it grows, on the first
// image of the input with the fast kernels (the reference's bits, in a
// fraction of the time), and each cvm_right_shift to precision 8 gets
// shift_bit = max(1, min(p_in - 8, bits(m) - 7)), m the largest magnitude of
// the shifted entry on that image. So every conv2d, dense and sum output uses
// most of its 8 bits on the bundled input (its other images are draws of the
// same distribution; what they exceed, the shift's clip saturates), and no
// layer vanishes. The shifts after elemwise_add (precision 9) come out as 1,
// after the 7 x 7 sum at most 6 (the mean). The calibration depends on the
// drawn values only, so the same seed and batch give the same bytes.
#include "resnet18.h"

#include <algorithm>
#include <string>
#include <thread>
#include <vector>

#include "calibration.h"

#include "cvm/errors.h"
#include "cvm/graph_builder.h"
#include "cvm/npy.h"
#include "cvm/params.h"

namespace cvm::examples {
namespace {

// The threads of the calibration's fast kernels: results never depend on it.
int calibration_threads() {
  const unsigned hw = std::thread::hardware_concurrency();
  return static_cast<int>(std::clamp(hw, 1u, 16u));
}

class Maker {
 public:
  Maker(int64_t batch, uint64_t seed)
      : rng_(seed), input_rng_(seed ^ 0x7265736E65743138ULL),  // "resnet18"
        batch_(batch), values_(fast_runner(calibration_threads())) {}

  ResNetModel make() {
    constexpr int64_t kImage = 3 * 224 * 224;
    std::vector<int32_t> input(static_cast<size_t>(batch_ * kImage));
    for (int32_t& v : input) v = input_rng_.uniform(-127, 127);
    EntryRef x = b_.variable("data", {batch_, 3, 224, 224}, 8);
    // The calibration image: the first of the batch.
    values_.set(x, Tensor{{1, 3, 224, 224}, 8,
                          std::vector<int32_t>(input.begin(), input.begin() + kImage)});

    x = conv(x, 64, 7, 2, 3, true);
    x = op1("max_pool2d", name("pool"), {x},
            {{"pool_size", "(3, 3)"}, {"strides", "(2, 2)"}, {"padding", "(1, 1)"}});
    int64_t channels = 64;
    for (int64_t out : {64, 128, 256, 512}) {
      for (int block = 0; block < 2; ++block) {
        const int64_t stride = (block == 0 && out != 64) ? 2 : 1;
        EntryRef shortcut = x;
        if (stride != 1 || channels != out) shortcut = conv(x, out, 1, stride, 0, false);
        EntryRef y = conv(x, out, 3, stride, 1, true);
        y = conv(y, out, 3, 1, 1, false);
        y = op1("elemwise_add", name("add"), {y, shortcut});
        y = op1("relu", name("relu"), {y});
        x = shift(y);  // precision 9 -> 8: shift_bit 1
        channels = out;
      }
    }
    x = op1("sum", name("pool_sum"), {x}, {{"axis", "(2, 3)"}, {"keepdims", "true"}});
    x = shift(x);  // 7 x 7 = 49 terms: at most 6, the mean rounded
    x = op1("flatten", name("flatten"), {x});
    EntryRef w = param({1000, 512}, 8, 127);
    EntryRef bias = param({1000}, 11, 1023);
    x = op1("dense", name("fc"), {x, w, bias}, {{"units", "1000"}, {"use_bias", "true"}});
    macs_ += batch_ * 512 * 1000;
    x = shift(x);
    b_.head(x);

    ResNetModel m;
    m.files.name = "resnet18";
    m.files.symbol = write_graph_json(b_.graph());
    m.files.params = write_params(params_);
    m.files.input_npy = serialize_npy(NpyArray{Shape{batch_, 3, 224, 224}, NpyDtype::kInt8, input});
    m.macs = macs_;
    return m;
  }

 private:
  std::string name(const char* what) { return str(what, "_", ++nodes_); }

  // An operator node, run on the calibration image as it is added.
  EntryRef op1(const std::string& func, const std::string& node_name,
               const std::vector<EntryRef>& inputs, const AttrMap& attrs = {}) {
    const EntryRef e = b_.op1(func, node_name, inputs, attrs);
    values_.run(func, attrs, inputs, {e});
    return e;
  }

  EntryRef param(const Shape& shape, int precision, int32_t magnitude) {
    ParamArray a{str("p", params_.size()), precision <= 8 ? 8 : 32, shape, {}};
    a.data.resize(static_cast<size_t>(shape_size(shape)));
    for (int32_t& v : a.data) v = rng_.uniform(-magnitude, magnitude);
    const EntryRef e = b_.variable(a.name, shape, precision);
    values_.set(e, Tensor{shape, precision, a.data});
    params_.push_back(std::move(a));
    return e;
  }

  // cvm_right_shift to precision 8 with the calibrated shift (calibration.h).
  EntryRef shift(EntryRef x) {
    const int shift_bit = values_.shift(x, b_.type(x).precision);
    return op1("cvm_right_shift", name("shift"), {x},
               {{"precision", "8"}, {"shift_bit", std::to_string(shift_bit)}});
  }

  // conv2d (+bias), cvm_right_shift to precision 8, then relu when `relu`.
  EntryRef conv(EntryRef x, int64_t out, int64_t k, int64_t stride, int64_t pad, bool relu) {
    const TensorType t = b_.type(x);
    EntryRef w = param({out, t.shape[1], k, k}, 8, 127);
    EntryRef bias = param({out}, 11, 1023);
    const std::string ks = str("(", k, ", ", k, ")");
    const std::string ss = str("(", stride, ", ", stride, ")");
    const std::string ps = str("(", pad, ", ", pad, ")");
    EntryRef y = op1("conv2d", name("conv"), {x, w, bias},
                     {{"channels", std::to_string(out)}, {"kernel_size", ks}, {"strides", ss},
                      {"padding", ps}, {"use_bias", "true"}});
    values_.forget(w);  // each parameter feeds one node
    values_.forget(bias);
    const Shape& ys = b_.type(y).shape;
    macs_ += ys[0] * ys[1] * ys[2] * ys[3] * t.shape[1] * k * k;
    y = shift(y);
    if (relu) y = op1("relu", name("relu"), {y});
    return y;
  }

  SplitMix64 rng_;        // the parameters, in graph order
  SplitMix64 input_rng_;  // the input
  int64_t batch_;
  GraphBuilder b_;
  EntryValues values_;
  std::vector<ParamArray> params_;
  int64_t macs_ = 0;
  int nodes_ = 0;
};

}  // namespace

ResNetModel make_resnet18(int64_t batch, uint64_t seed) { return Maker(batch, seed).make(); }

}  // namespace cvm::examples
