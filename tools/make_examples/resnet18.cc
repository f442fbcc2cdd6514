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
// (precision 11). Every conv2d/dense output is brought back to precision 8
// by cvm_right_shift with shift_bit = max(1, p - 14), p its inferred
// precision: the precision rule's worst case is about 2^6 above what random
// data reaches, so this keeps activations from all saturating or vanishing.
#include "resnet18.h"

#include <algorithm>
#include <string>
#include <vector>

#include "cvm/errors.h"
#include "cvm/graph_builder.h"
#include "cvm/npy.h"
#include "cvm/params.h"

namespace cvm::examples {
namespace {

class Maker {
 public:
  Maker(int64_t batch, uint64_t seed) : rng_(seed), batch_(batch) {}

  ResNetModel make() {
    EntryRef x = b_.variable("data", {batch_, 3, 224, 224}, 8);
    x = conv(x, 64, 7, 2, 3, true);
    x = b_.op1("max_pool2d", name("pool"), {x},
               {{"pool_size", "(3, 3)"}, {"strides", "(2, 2)"}, {"padding", "(1, 1)"}});
    int64_t channels = 64;
    for (int64_t out : {64, 128, 256, 512}) {
      for (int block = 0; block < 2; ++block) {
        const int64_t stride = (block == 0 && out != 64) ? 2 : 1;
        EntryRef shortcut = x;
        if (stride != 1 || channels != out) shortcut = conv(x, out, 1, stride, 0, false);
        EntryRef y = conv(x, out, 3, stride, 1, true);
        y = conv(y, out, 3, 1, 1, false);
        y = b_.op1("elemwise_add", name("add"), {y, shortcut});
        y = b_.op1("relu", name("relu"), {y});
        x = shift(y, 1);
        channels = out;
      }
    }
    x = b_.op1("sum", name("pool_sum"), {x}, {{"axis", "(2, 3)"}, {"keepdims", "true"}});
    x = shift(x, 6);  // 7 x 7 = 49 terms: divide by 64, rounded
    x = b_.op1("flatten", name("flatten"), {x});
    EntryRef w = param({1000, 512}, 8, 127);
    EntryRef bias = param({1000}, 11, 1023);
    x = b_.op1("dense", name("fc"), {x, w, bias}, {{"units", "1000"}, {"use_bias", "true"}});
    macs_ += batch_ * 512 * 1000;
    x = shift(x, auto_shift(x));
    b_.head(x);

    ResNetModel m;
    m.files.name = "resnet18";
    m.files.symbol = write_graph_json(b_.graph());
    m.files.params = write_params(params_);
    std::vector<int32_t> input(static_cast<size_t>(batch_ * 3 * 224 * 224));
    for (int32_t& v : input) v = rng_.uniform(-127, 127);
    m.files.input_npy = serialize_npy(NpyArray{Shape{batch_, 3, 224, 224}, NpyDtype::kInt8, input});
    m.macs = macs_;
    return m;
  }

 private:
  std::string name(const char* what) { return str(what, "_", ++nodes_); }

  EntryRef param(const Shape& shape, int precision, int32_t magnitude) {
    ParamArray a{str("p", params_.size()), precision <= 8 ? 8 : 32, shape, {}};
    a.data.resize(static_cast<size_t>(shape_size(shape)));
    for (int32_t& v : a.data) v = rng_.uniform(-magnitude, magnitude);
    params_.push_back(a);
    return b_.variable(a.name, shape, precision);
  }

  int auto_shift(EntryRef x) const { return std::max(1, b_.type(x).precision - 14); }

  EntryRef shift(EntryRef x, int shift_bit) {
    return b_.op1("cvm_right_shift", name("shift"), {x},
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
    EntryRef y = b_.op1("conv2d", name("conv"), {x, w, bias},
                        {{"channels", std::to_string(out)}, {"kernel_size", ks}, {"strides", ss},
                         {"padding", ps}, {"use_bias", "true"}});
    const Shape& ys = b_.type(y).shape;
    macs_ += ys[0] * ys[1] * ys[2] * ys[3] * t.shape[1] * k * k;
    y = shift(y, auto_shift(y));
    if (relu) y = b_.op1("relu", name("relu"), {y});
    return y;
  }

  SplitMix64 rng_;
  int64_t batch_;
  GraphBuilder b_;
  std::vector<ParamArray> params_;
  int64_t macs_ = 0;
  int nodes_ = 0;
};

}  // namespace

ResNetModel make_resnet18(int64_t batch, uint64_t seed) { return Maker(batch, seed).make(); }

}  // namespace cvm::examples
