#include "tools/quantize/lower.h"

#include <algorithm>
#include <cmath>
#include <map>

#include "cvm/errors.h"
#include "cvm/graph_builder.h"
#include "cvm/intmath.h"
#include "cvm/model.h"
#include "cvm/plan.h"  // the Model built for the analysis has no memory plan
#include "tools/quantize/check_graph.h"
#include "tools/quantize/float_exec.h"

namespace cvm::quant {
namespace {

// An integer tensor standing for a float one: x ~ q / scale.
struct Rep {
  EntryRef e;
  double scale = 1;
  int precision = 32;
  double range = 0;  // the float tensor's calibrated range
};

std::string tuple(const std::vector<int64_t>& v) {
  std::string s = "(";
  for (size_t i = 0; i < v.size(); ++i) s += (i ? ", " : "") + std::to_string(v[i]);
  return s + ")";
}

// CVM node names: letters, digits, '_' and '.', from the float node's name.
std::string sanitize(const std::string& name) {
  std::string s;
  for (char c : name) s += std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '.' ? c : '_';
  while (!s.empty() && s.front() == '_') s.erase(s.begin());
  return s.empty() ? "node" : s;
}

class Lowerer {
 public:
  Lowerer(const FloatGraph& g, const Ranges& r, const QuantOptions& o) : g_(g), ranges_(r), o_(o) {}

  QuantizedModel run() {
    const double in_range = range_of(g_.input);
    out_.input_precision = o_.activation_precision;
    out_.input_scale = scale_for_range(in_range, out_.input_precision);
    const EntryRef data = b_.variable("data", g_.input_shape, out_.input_precision);
    reps_[g_.input] = Rep{data, out_.input_scale, out_.input_precision, in_range};
    for (const FNode& n : g_.nodes) {
      row_ = LayerReport{};
      row_.node = n.name;
      row_.op = n.op;
      row_.output = n.output;
      row_.float_range = range_of(n.output);
      prefix_ = sanitize(n.name);
      Rep y = lower_node(n);
      // A single-output node holds it (every lowering ends in a new op).
      if (y.e.index == 0) row_.cvm_output = b_.graph().nodes.at(static_cast<size_t>(y.e.node)).name;
      y.range = range_of(n.output);
      y.precision = b_.type(y.e).precision;
      row_.scale = y.scale;
      row_.precision = y.precision;
      reps_[n.output] = y;
      out_.layers.push_back(row_);
      layer_entries_.push_back(y.e);
    }
    for (const std::string& name : g_.outputs) {
      const Rep& h = reps_.at(name);
      const EntryRef e = o_.nms.enabled ? lower_nms(h) : h.e;
      b_.head(e);
      out_.output_scales.push_back(h.scale);
      out_.output_precisions.push_back(b_.type(e).precision);
    }
    out_.nms_head = o_.nms.enabled;
    const Rep& y = reps_.at(g_.outputs.at(0));
    // The report's intervals: one analysis of the whole model.
    analyse();
    for (size_t i = 0; i < out_.layers.size(); ++i) out_.layers[i].interval = interval(layer_entries_[i]);
    out_.output_scale = y.scale;
    out_.output_precision = out_.output_precisions.at(0);
    out_.graph = b_.graph();
    return std::move(out_);
  }

 private:
  [[noreturn]] void fail(const FNode& n, const std::string& m) const {
    throw_logic("quantize", n.describe() + ": " + m);
  }

  double range_of(const std::string& name) const {
    const auto it = ranges_.range.find(name);
    if (it == ranges_.range.end()) throw_logic("quantize", "tensor '" + name + "' was not calibrated");
    return it->second;
  }

  const Rep& rep(const FNode& n, const std::string& name) const {
    const auto it = reps_.find(name);
    if (it == reps_.end()) fail(n, "reads '" + name + "', which is a constant or not computed (unsupported)");
    return it->second;
  }

  std::string name(const std::string& what) {
    std::string base = prefix_ + "." + what, s = base;
    for (int i = 1; used_.count(s); ++i) s = base + "_" + std::to_string(i);
    used_.insert(s);
    return s;
  }

  EntryRef op(const std::string& op, const std::string& what, const std::vector<EntryRef>& in, const AttrMap& attrs = {}) {
    const std::string n = name(what);
    row_.cvm_nodes.push_back(n);
    return b_.op1(op, n, in, attrs);
  }

  EntryRef param(const std::string& what, const Shape& shape, std::vector<int32_t> values) {
    const int p = precision_of_values(values);
    const std::string n = name(what);
    param_of_[n] = out_.params.size();
    out_.params.push_back(ParamArray{n, p <= 8 ? 8 : 32, shape, std::move(values)});
    return b_.variable(n, shape, p);
  }

  // The value interval of entry `e` of the model built so far: what
  // cvm::value_intervals (`cvm prove`) gives it, every value it can take on
  // any input within the input precision. The analysis is a forward pass, so
  // an entry's interval does not change as nodes are added after it: the
  // partial model is analysed again only for entries newer than the last
  // analysis (in practice once per requantized layer).
  ValueInterval interval(EntryRef e) {
    if (e.node >= static_cast<int64_t>(first_entry_.size())) analyse();
    return intervals_.at(static_cast<size_t>(first_entry_.at(static_cast<size_t>(e.node)) + e.index)).range;
  }

  // Runs cvm::value_intervals on the graph and params built so far.
  void analyse() {
    Graph g = b_.graph();
    g.heads = {EntryRef{static_cast<int64_t>(g.nodes.size()) - 1, 0}};
    ModelGraph mg = validate_graph(g);
    std::vector<Tensor> values(mg.nodes.size());
    first_entry_.assign(mg.nodes.size(), 0);
    for (size_t i = 0; i < mg.nodes.size(); ++i) {
      const ModelNode& node = mg.nodes[i];
      first_entry_[i] = node.first_entry;
      if (!node.is_variable() || static_cast<int64_t>(i) == mg.data_node) continue;
      const ParamArray& a = out_.params.at(param_of_.at(node.name));
      values[i] = Tensor{a.shape, static_cast<int>(mg.entries[static_cast<size_t>(node.first_entry)].precision), a.data};
    }
    const Model m(std::move(mg), std::move(values), nullptr);
    intervals_ = value_intervals(m);
  }

  // The largest magnitude entry `e` can take; R(its precision) when the
  // intervals are not used.
  int64_t magnitude_bound(EntryRef e) {
    if (!o_.use_intervals) return prec_max(b_.type(e).precision);
    const ValueInterval v = interval(e);
    return std::max(v.lo < 0 ? -v.lo : v.lo, v.hi < 0 ? -v.hi : v.hi);
  }

  // The precision x's values need: the least q holding its interval, never
  // more than its declared precision.
  int value_precision(const Rep& x) {
    return std::min(x.precision, std::max(1, precision_of(magnitude_bound(x.e))));
  }

  // The range to scale x from: its calibrated range, or the float range its
  // integer values can reach on any valid input (the interval's bound over
  // the scale) where that is smaller. `tight` tells which.
  double scaling_range(const Rep& x, bool& tight) {
    tight = false;
    if (!o_.use_intervals) return x.range;
    const int64_t m = magnitude_bound(x.e);
    const double r = static_cast<double>(m) / x.scale;
    if (m > 0 && r < x.range) {
      tight = true;
      return r;
    }
    return x.range;
  }

  // x, declared at precision q (>= the precision its values need): a
  // cvm_clip that no value reaches, so that the ops after it may be wider.
  Rep declare(const Rep& x, int q, const std::string& what) {
    if (q >= x.precision) return x;
    Rep y = x;
    y.e = op("cvm_clip", what + "_bound", {x.e}, {{"precision", std::to_string(q)}});
    y.precision = q;
    return y;
  }

  // q' ~ q * ratio (ratio <= 1) into precision p. The plan was made for x's
  // value precision (value_precision): when that is below its declared one
  // and the product would not fit 32 bits at the declared one, x is first
  // declared at the value precision (lossless: no value reaches it).
  Rep apply(const Rep& x_in, const Requant& plan, int p, const std::string& what) {
    Rep y = x_in;
    if (plan.multiplier == 1 && plan.shift == 0) return y;
    Rep x = x_in;
    if (plan.multiplier != 1 && plan.pre_shift == 0 &&
        x.precision + precision_of_values({static_cast<int32_t>(plan.multiplier)}) > 32)
      x = declare(x, value_precision(x), what);
    EntryRef e = x.e;
    if (plan.pre_shift > 0)
      e = op("cvm_right_shift", what + "_pre", {e},
             {{"shift_bit", std::to_string(plan.pre_shift)}, {"precision", std::to_string(32 - o_.multiplier_bits)}});
    if (plan.multiplier != 1) {
      const EntryRef m = param(what + "_multiplier", {1}, {static_cast<int32_t>(plan.multiplier)});
      e = op("broadcast_mul", what + "_mul", {e, m});
    }
    e = op("cvm_right_shift", what + "_shift", {e},
           {{"shift_bit", std::to_string(plan.shift)}, {"precision", std::to_string(p)}});
    y.e = e;
    y.scale = x.scale * plan.effective();
    y.precision = p;
    return y;
  }

  // The tensor at precision <= p, its scale chosen from its calibrated range
  // or, where tighter, its value interval (scaling_range).
  Rep narrow(const Rep& x, int p, const std::string& what) {
    if (x.precision <= p) return x;
    bool tight = false;
    const double target = scale_for_range(scaling_range(x, tight), p);
    const double ratio = target / x.scale;
    const std::string note = tight ? " (interval bound)" : "";
    if (ratio >= 1.0) {  // already fine-grained enough: saturate only
      Rep y = x;
      y.e = op("cvm_clip", what + "_clip", {x.e}, {{"precision", std::to_string(p)}});
      y.precision = p;
      row_.requant.push_back(what + ": clip to " + std::to_string(p) + " bits" + note);
      return y;
    }
    const Requant plan = plan_requant(ratio, value_precision(x), o_.min_shift_efficiency, o_.multiplier_bits);
    row_.requant.push_back(what + ": " + describe(x, plan) + note);
    return apply(x, plan, p, what);
  }

  // The plan, and the value precision it was made for where that is below
  // the declared one and a multiplier at the declared one would have needed
  // a pre-shift.
  std::string describe(const Rep& x, const Requant& plan) {
    std::string s = plan.describe();
    const int q = value_precision(x);
    if (plan.multiplier != 1 && q < x.precision && x.precision + o_.multiplier_bits > 32)
      s += " (values need " + std::to_string(q) + " of " + std::to_string(x.precision) + " bits)";
    return s;
  }

  // The tensor at exactly scale `target` (<= its scale), precision <= p.
  Rep rescale(const Rep& x, double target, int p, const std::string& what) {
    const double ratio = target / x.scale;
    if (ratio > 1.0 + 1e-12) throw_runtime("quantize", "internal: rescale to a finer scale");
    if (ratio >= 1.0 - 1e-12) return narrow(x, p, what);
    const Requant plan = plan_requant(ratio, value_precision(x), 1.0, o_.multiplier_bits);
    row_.requant.push_back(what + ": " + describe(x, plan));
    return apply(x, plan, p, what);
  }

  Rep lower_node(const FNode& n) {
    const Rep& x = rep(n, n.inputs.at(0));
    if (n.op == "Conv" || n.op == "Dense") return lower_gemm(n, x);
    if (n.op == "Relu") return with(x, op("relu", "relu", {x.e}));
    if (n.op == "Clip") return lower_clip(n, x);
    if (n.op == "MaxPool") {
      const std::vector<int64_t> k = n.ints_attr("kernel_shape", {}), s = n.ints_attr("strides", {1, 1}),
                                 p = n.ints_attr("pads", {0, 0});
      return with(x, op("max_pool2d", "max_pool", {x.e},
                        {{"pool_size", tuple(k)}, {"strides", tuple(s)}, {"padding", tuple(p)},
                         {"ceil_mode", n.int_attr("ceil_mode", 0) ? "true" : "false"}}));
    }
    if (n.op == "AveragePool") return lower_average_pool(n, x);
    if (n.op == "GlobalAveragePool") {
      const Shape& s = ranges_.shape.at(n.inputs[0]);
      const int64_t hw = element_count(s) / (s.at(0) * s.at(1));  // every axis after C
      std::vector<int64_t> axes;
      for (size_t a = 2; a < s.size(); ++a) axes.push_back(static_cast<int64_t>(a));
      // The sum needs bits(H*W) more bits than x: where the declared
      // precision leaves no room but the values' interval does, x is only
      // declared narrower (lossless); otherwise it is narrowed to 8 bits.
      const int sum_bits = bits(static_cast<uint64_t>(hw));
      Rep xs = x;
      if (x.precision + sum_bits > 32) {
        const int q = value_precision(x);
        if (q + sum_bits <= 32) {
          xs = declare(x, q, "x");
          row_.requant.push_back("x: declared " + std::to_string(q) + " bits (interval bound)");
        } else {
          xs = narrow(x, o_.activation_precision, "x");
        }
      }
      // The sum is H*W times the mean: the scale absorbs the division.
      Rep y = with(xs, op("sum", "sum", {xs.e},
                          {{"axis", tuple(axes)}, {"keepdims", n.int_attr("keepdims", 1) != 0 ? "true" : "false"}}));
      y.scale = xs.scale * static_cast<double>(hw);
      return y;
    }
    if (n.op == "Flatten" || n.op == "Reshape") {
      const Shape s = ranges_.shape.at(n.output);
      if (n.op == "Flatten" && n.int_attr("axis", 1) == 1) return with(x, op("flatten", "flatten", {x.e}));
      return with(x, op("reshape", "reshape", {x.e}, {{"shape", tuple(s)}}));
    }
    if (n.op == "Transpose") {
      std::vector<int64_t> perm = n.ints_attr("perm", {});
      return with(x, op("transpose", "transpose", {x.e}, perm.empty() ? AttrMap{} : AttrMap{{"axes", tuple(perm)}}));
    }
    if (n.op == "Add" || n.op == "Sub") return lower_add(n);
    if (n.op == "Mul") return lower_mul(n);
    if (n.op == "ChannelAffine" || n.op == "Affine") return lower_channel_affine(n, x);
    if (n.op == "HardSigmoid") return lower_hard_sigmoid(n, x);
    if (n.op == "LeakyRelu") return lower_leaky_relu(n, x);
    if (n.op == "Sigmoid" || n.op == "Exp") return lower_lut(n, x);
    if (n.op == "Softmax") return lower_softmax(n, x);
    if (n.op == "Upsample")  // nearest: every output is an input element, at the same scale
      return with(x, op("upsampling", "upsample", {x.e}, {{"scale", std::to_string(n.int_attr("scale", 1))}}));
    if (n.op == "Slice") {  // ShuffleNet's channel split: bounds already clamped (fold_shapes.cc)
      Rep y = with(x, op("strided_slice", "slice", {x.e},
                         {{"begin", tuple(n.ints_attr("starts", {}))}, {"end", tuple(n.ints_attr("ends", {}))},
                          {"stride", tuple(n.ints_attr("steps", {}))}}));
      if (!n.ints_attr("squeeze", {}).empty())  // a Gather by one index: drop the axis
        y.e = op("reshape", "squeeze", {y.e}, {{"shape", tuple(ranges_.shape.at(n.output))}});
      return y;
    }
    if (n.op == "Concat") return lower_concat(n);
    fail(n, "is not a canonical op (internal)");
  }

  static Rep with(const Rep& x, EntryRef e) {
    Rep y = x;
    y.e = e;
    return y;
  }

  Rep lower_gemm(const FNode& n, const Rep& x_in) {
    const Rep x = narrow(x_in, o_.activation_precision, "x");
    const FTensor& w = g_.constants.at(n.inputs.at(1));
    const int64_t channels = w.shape.at(0);
    const std::vector<double> ranges = channel_ranges(w.data, channels);
    double w_range = 0;
    for (double r : ranges) w_range = std::max(w_range, r);
    const double sw = scale_for_range(w_range, o_.weight_precision);
    const ChannelScales cs = plan_channel_scales(ranges, o_.weight_precision, o_.multiplier_bits);
    row_.weight_scale = sw;
    row_.weight_error_tensor = weight_error(w.data, {sw}, o_.weight_precision);
    row_.weight_error_channel = weight_error(w.data, cs.weight_scale, o_.weight_precision);
    const bool bias = n.inputs.size() > 2 && !n.inputs[2].empty();
    // The bias joins the accumulator: its scale is S_x * S_w (per channel:
    // S_x * S_w[o]), within 30 bits.
    const auto quantize_bias = [&](const std::vector<double>& scales, std::vector<int32_t>& qb) {
      const FTensor& b = g_.constants.at(n.inputs[2]);
      qb.resize(b.data.size());
      for (size_t o = 0; o < qb.size(); ++o)
        qb[o] = quantize_value(b.data[o], x.scale * scales[scales.size() == 1 ? 0 : o], 31);
      return precision_of_values(qb) < 31;
    };
    std::vector<int32_t> qb;
    bool per_channel = o_.per_channel == PerChannel::kOn ||
                       (o_.per_channel == PerChannel::kAuto && channels > 1 &&
                        row_.weight_error_channel < kPerChannelGain * row_.weight_error_tensor);
    if (per_channel && bias && !quantize_bias(cs.weight_scale, qb)) {
      if (o_.per_channel == PerChannel::kOn)
        fail(n, "the bias does not fit 30 bits at the per-channel accumulator scales");
      per_channel = false;
    }
    if (!per_channel && bias && !quantize_bias({sw}, qb))
      fail(n, "the bias does not fit 30 bits at the accumulator's scale");
    row_.per_channel = per_channel;
    std::vector<int32_t> qw = quantize_values(w.data, sw, o_.weight_precision);
    if (per_channel) {
      const size_t per = w.data.size() / static_cast<size_t>(channels);
      for (size_t i = 0; i < qw.size(); ++i)
        qw[i] = quantize_value(w.data[i], cs.weight_scale[i / per], o_.weight_precision);
    }
    std::vector<EntryRef> in = {x.e, param("weight", w.shape, std::move(qw))};
    if (bias) in.push_back(param("bias", g_.constants.at(n.inputs[2]).shape, std::move(qb)));
    Rep y = x;
    y.scale = x.scale * sw;
    if (n.op == "Dense") {
      y.e = op("dense", "dense", in, {{"units", std::to_string(w.shape[0])}, {"use_bias", bias ? "true" : "false"}});
    } else {
      const std::vector<int64_t> s = n.ints_attr("strides", {1, 1}), p = n.ints_attr("pads", {0, 0}),
                                 d = n.ints_attr("dilations", {1, 1});
      y.e = op("conv2d", "conv2d", in,
               {{"channels", std::to_string(w.shape[0])}, {"kernel_size", tuple({w.shape[2], w.shape[3]})},
                {"strides", tuple(s)}, {"padding", tuple(p)}, {"dilation", tuple(d)},
                {"groups", std::to_string(n.int_attr("group", 1))}, {"use_bias", bias ? "true" : "false"}});
    }
    if (!per_channel) return y;
    y.precision = b_.type(y.e).precision;
    return to_common_scale(y, cs, x.scale);
  }

  // A per-channel accumulator (channel o at scale S_x * S_w[o]) brought to
  // the common scale S_x * cs.common / 2^(pre + shift): a pre-shift only
  // where the values' precision plus the multipliers' would exceed 32 bits,
  // the per-channel multipliers (a (C, 1, ...) param broadcasting along axis
  // 1), and a shift by multiplier_bits - 1 that takes the multipliers' size
  // back out, so the output needs at most one bit more than the values did.
  Rep to_common_scale(const Rep& acc, const ChannelScales& cs, double x_scale) {
    const int m_bits = precision_of_values(cs.multiplier);
    const int q = value_precision(acc);
    const int pre = std::max(0, q + m_bits - 32);
    Rep a = acc;
    if (pre == 0 && acc.precision + m_bits > 32) a = declare(acc, q, "acc");
    EntryRef e = a.e;
    if (pre > 0)
      e = op("cvm_right_shift", "acc_pre", {e},
             {{"shift_bit", std::to_string(pre)}, {"precision", std::to_string(32 - m_bits)}});
    Shape ps = {static_cast<int64_t>(cs.multiplier.size())};
    ps.resize(b_.type(acc.e).shape.size() - 1, 1);
    e = op("broadcast_mul", "channel_mul", {e, param("channel_multiplier", ps, cs.multiplier)});
    const int shift = o_.multiplier_bits - 1;
    // |v| <= 2^(q - pre - 1) after the pre-shift, times M <= 2^(bits-1) - 1,
    // then >> (bits - 1): at most 2^(q - pre - 1), i.e. q - pre + 1 bits.
    const int p = std::min(32, q - pre + 1);
    e = op("cvm_right_shift", "channel_shift", {e},
           {{"shift_bit", std::to_string(shift)}, {"precision", std::to_string(p)}});
    row_.requant.push_back("acc: per-channel multipliers (" + std::to_string(m_bits) + " bits)" +
                           (pre > 0 ? ", >> " + std::to_string(pre) : std::string()) + ", >> " +
                           std::to_string(shift));
    Rep y = acc;
    y.e = e;
    y.scale = std::ldexp(x_scale * cs.common, -(pre + shift));
    y.precision = p;
    return y;
  }

  Rep lower_clip(const FNode& n, const Rep& x) {
    const double r = static_cast<double>(prec_max(x.precision));
    const auto bound = [&](float v) { return static_cast<int64_t>(std::clamp(std::round(v * x.scale), -r, r)); };
    const int64_t lo = bound(n.float_attr("min", 0)), hi = bound(n.float_attr("max", 0));
    if (lo >= hi) fail(n, "min and max round to the same integer at this scale");
    return with(x, op("clip", "clip", {x.e}, {{"a_min", std::to_string(lo)}, {"a_max", std::to_string(hi)}}));
  }

  // A k x k average pool: a depthwise conv2d with all-one weights is the
  // window sum, exactly; the scale absorbs the 1 / (k*k). Padding adds zero
  // cells to the sum and the divisor stays k*k (count_include_pad 1; simplify
  // rejects 0). ceil_mode is accepted by float_output_shape only where it
  // adds no window, so the conv2d's floor-mode shape is the same.
  Rep lower_average_pool(const FNode& n, const Rep& x_in) {
    const Rep x = narrow(x_in, o_.activation_precision, "x");
    const std::vector<int64_t> k = n.ints_attr("kernel_shape", {}), s = n.ints_attr("strides", {1, 1}),
                               p = n.ints_attr("pads", {0, 0});
    const int64_t c = ranges_.shape.at(n.inputs[0]).at(1);
    const EntryRef ones = param("ones", {c, 1, k[0], k[1]}, std::vector<int32_t>(static_cast<size_t>(c * k[0] * k[1]), 1));
    Rep y = with(x, op("conv2d", "window_sum", {x.e, ones},
                       {{"channels", std::to_string(c)}, {"kernel_size", tuple(k)}, {"strides", tuple(s)},
                        {"padding", tuple(p)}, {"groups", std::to_string(c)}, {"use_bias", "false"}}));
    y.scale = x.scale * static_cast<double>(k[0] * k[1]);
    return y;
  }

  // Integers m_i = round(v_i * 2^e) for the largest e with every |m_i| <= R(bits):
  // a common power-of-two scale for constant factors. Returns e.
  static int factor_exponent(const std::vector<double>& v, int bits) {
    double vmax = 0;
    for (double x : v) vmax = std::max(vmax, std::fabs(x));
    if (!(vmax > 0)) return 0;
    const auto r = static_cast<double>(prec_max(bits));
    int e = static_cast<int>(std::floor(std::log2(r / vmax)));
    while (std::llround(std::ldexp(vmax, e)) > prec_max(bits)) --e;
    return e;
  }

  // The product of two computed tensors (squeeze-excitation's gate, HardSwish):
  // both narrowed to 8 bits so the product fits 16; its scale is the product
  // of the scales.
  Rep lower_mul(const FNode& n) {
    const Rep a = narrow(rep(n, n.inputs.at(0)), o_.activation_precision, "a");
    const Rep b = narrow(rep(n, n.inputs.at(1)), o_.activation_precision, "b");
    Rep y = a;
    y.e = op("broadcast_mul", "mul", {a.e, b.e});
    y.scale = a.scale * b.scale;
    return y;
  }

  // y = x * a_c + b_c per channel (an unfolded BatchNormalization; Affine:
  // a and b broadcasting along any axes, box decoding's constants): x at 8
  // bits times integer multipliers m_c = round(a_c * 2^e) (at most
  // multiplier_bits), plus b_c at the product's scale S_x * 2^e; the sum
  // stays wide (<= 8 + multiplier_bits + 1 bits) until a reader narrows it.
  Rep lower_channel_affine(const FNode& n, const Rep& x_in) {
    const Rep x = narrow(x_in, o_.activation_precision, "x");
    const FTensor& a = g_.constants.at(n.inputs.at(1));
    const FTensor& b = g_.constants.at(n.inputs.at(2));
    for (const FTensor* t : {&a, &b})
      for (float v : t->data)
        if (!std::isfinite(v)) fail(n, "a per-channel scale or shift is not finite");
    const Shape& shape = ranges_.shape.at(n.inputs[0]);
    std::vector<double> av(a.data.begin(), a.data.end());
    int e = factor_exponent(av, o_.multiplier_bits);
    // The shift must fit 30 bits at the product's scale: a smaller e if not.
    double bmax = 0;
    for (float v : b.data) bmax = std::max(bmax, static_cast<double>(std::fabs(v)));
    while (std::round(bmax * std::ldexp(x.scale, e)) > static_cast<double>(prec_max(30))) --e;
    std::vector<int32_t> m(av.size()), bq(av.size());
    for (size_t c = 0; c < av.size(); ++c) m[c] = static_cast<int32_t>(std::llround(std::ldexp(av[c], e)));
    Shape ps = {shape.at(1)};
    ps.resize(shape.size() - 1, 1);  // (C, 1, 1): broadcasts along axis 1
    if (n.op == "Affine") ps = a.shape;  // x's rank, broadcasting to it
    const EntryRef me = param("multiplier", ps, m);
    Rep y = with(x, op("broadcast_mul", "mul", {x.e, me}));
    y.scale = std::ldexp(x.scale, e);
    const std::vector<int32_t> qb = quantize_values(b.data, y.scale, 31);
    if (std::any_of(qb.begin(), qb.end(), [](int32_t v) { return v != 0; }))
      y.e = op("broadcast_add", "add", {y.e, param("shift", ps, qb)});
    row_.requant.push_back("x: x per-channel multiplier (" + std::to_string(o_.multiplier_bits) + " bits), scale x 2^" +
                           std::to_string(e));
    return y;
  }

  // clip(alpha * x + beta, 0, 1): x at 8 bits times m = round(alpha * 2^e),
  // which fixes the output scale S_y = S_x * m / alpha exactly; beta and the
  // bound 1 are rounded at S_y (errors <= 0.5 / S_y).
  Rep lower_hard_sigmoid(const FNode& n, const Rep& x_in) {
    const Rep x = narrow(x_in, o_.activation_precision, "x");
    const double alpha = n.float_attr("alpha", 0.2f), beta = n.float_attr("beta", 0.5f);
    const int e = factor_exponent({alpha}, o_.multiplier_bits);
    const auto m = static_cast<int32_t>(std::llround(std::ldexp(alpha, e)));
    const double sy = x.scale * m / alpha;
    const double top = std::round(sy);
    const double shift = std::round(beta * sy);
    if (top > static_cast<double>(prec_max(30)) || std::fabs(shift) > static_cast<double>(prec_max(30)))
      fail(n, "beta or the bound 1 does not fit 30 bits at the output scale");
    EntryRef t = op("broadcast_mul", "mul", {x.e, param("multiplier", {1}, {m})});
    if (shift != 0) t = op("broadcast_add", "add", {t, param("beta", {1}, {static_cast<int32_t>(shift)})});
    Rep y = with(x, op("clip", "clip", {t}, {{"a_min", "0"}, {"a_max", std::to_string(static_cast<int64_t>(top))}}));
    y.scale = sy;
    return y;
  }

  // get_valid_counts and non_max_suppression on the (B, N, 6) head, all at
  // its scale S: ids stay distinct (and negative ones negative) when scaled,
  // scores keep their order, and the IoU is a ratio of areas, so only the
  // rounding of the coordinates (and of the score threshold, to
  // round(t * S)) differs from the float boxes.
  EntryRef lower_nms(const Rep& y) {
    prefix_ = "nms";
    const double t = std::round(o_.nms.score_threshold * y.scale);
    if (!(std::fabs(t) <= static_cast<double>(INT32_MAX)))
      throw_logic("quantize", "the NMS score threshold does not fit int32 at the head's scale");
    const std::vector<EntryRef> valid =
        b_.op("get_valid_counts", name("valid_counts"), {y.e}, {{"score_threshold", std::to_string(static_cast<int64_t>(t))}});
    return b_.op1("non_max_suppression", name("suppress"), {valid.at(1), valid.at(0)},
                  {{"iou_threshold", std::to_string(o_.nms.iou_percent)},
                   {"force_suppress", o_.nms.force_suppress ? "true" : "false"},
                   {"top_k", std::to_string(o_.nms.top_k)},
                   {"max_output_size", std::to_string(o_.nms.max_output_size)}});
  }

  // LeakyRelu in an exact integer form: x at 8 bits, P = 2^e and
  // M = round(alpha * 2^e) the largest such pair within multiplier_bits, and
  //   y = M * x + (P - M) * relu(x)
  // which is P * x for x >= 0 and M * x below, at scale S_x * P. Nothing is
  // rounded but alpha itself: M / P differs from alpha by at most 2^-(e+1),
  // so a negative output is off by at most |x| * 2^-(e+1) (for |alpha| <= 1
  // and 12-bit multipliers, e = 10: under 0.07 of an input step at 8 bits).
  // The sum stays wide (<= 8 + multiplier_bits + 1 bits) until a reader
  // narrows it.
  Rep lower_leaky_relu(const FNode& n, const Rep& x_in) {
    const Rep x = narrow(x_in, o_.activation_precision, "x");
    const double alpha = n.float_attr("alpha", 0.01f);
    const int e = factor_exponent({1.0, alpha}, o_.multiplier_bits);
    if (e < 0) fail(n, "alpha is too large for " + std::to_string(o_.multiplier_bits) + "-bit multipliers");
    const auto p = static_cast<int32_t>(int64_t{1} << e);
    const auto m = static_cast<int32_t>(std::llround(std::ldexp(alpha, e)));
    const EntryRef mx = op("broadcast_mul", "negative_slope", {x.e, param("slope", {1}, {m})});
    const EntryRef pos = op("relu", "relu", {x.e});
    Rep y = x;
    y.e = mx;
    if (p != m) {
      const EntryRef rest = op("broadcast_mul", "positive_rest", {pos, param("rest", {1}, {p - m})});
      y.e = op("elemwise_add", "add", {mx, rest});
    }
    y.scale = x.scale * p;
    row_.requant.push_back("x: leaky slope " + std::to_string(m) + " / 2^" + std::to_string(e));
    return y;
  }

  // Sigmoid and Exp by a lookup table (cvm_lut): x at 8 bits holds integers
  // q in [-R, R] (R = R(p_x)); q + R indexes a table of 2R + 1 entries
  //   t[i] = round(f((i - R) / S_x) * S_y)
  // with S_y the 8-bit scale of the largest |f| in the table, so no value
  // saturates. The output is f at the quantized input, rounded: at most
  // 0.5 / S_y from it (docs/quantizer.rst, "Detection heads").
  Rep lower_lut(const FNode& n, const Rep& x_in) {
    const Rep x = narrow(x_in, o_.activation_precision, "x");
    const int64_t r = prec_max(x.precision);
    const auto f = [&](int64_t q) {
      const double v = static_cast<double>(q) / x.scale;
      return n.op == "Sigmoid" ? 1.0 / (1.0 + std::exp(-v)) : std::exp(v);
    };
    double top = 0;
    for (int64_t q = -r; q <= r; ++q) top = std::max(top, std::fabs(f(q)));
    if (!std::isfinite(top) || top > 1e30) fail(n, "the function overflows on the input's range");
    const double sy = scale_for_range(top, o_.activation_precision);
    std::vector<int32_t> table;
    for (int64_t q = -r; q <= r; ++q) table.push_back(quantize_value(static_cast<float>(f(q)), sy, o_.activation_precision));
    const auto size = static_cast<int64_t>(table.size());
    const EntryRef index = op("broadcast_add", "index", {x.e, param("offset", {1}, {static_cast<int32_t>(r)})});
    Rep y = with(x, op("cvm_lut", "lut", {index, param("table", {size}, std::move(table))},
                       {{"in_dim", std::to_string(size)}}));
    y.scale = sy;
    row_.requant.push_back("x: table of " + std::to_string(size) + " entries");
    return y;
  }

  // Softmax over the last axis (L values), all in integers: x at 8 bits
  // (q in [-R, R]); d = q - max(q) in [-2R, 0] indexes a table of 2R + 1
  // entries e = round(T e^(d / S_x)) with T = R(t) (t bits: as many, up to 16,
  // as keep every step within 32 bits); s = sum(e) over the axis (>= T: the
  // maximum's entry is exactly T); then
  //   y = (2 Y e + s) quot (2 s) = round_half_up(Y e / s)   (Y = R(8) = 127)
  // at scale Y, at most Y since e <= s (a cvm_clip declares the 8 bits,
  // reached by no value). Error: e's rounding (<= 0.5 each) moves e / s by
  // at most (0.5 + 0.5 L e / s) / T <= 0.5 (L + 1) / T, the division's by
  // 0.5 / Y.
  Rep lower_softmax(const FNode& n, const Rep& x_in) {
    const Rep x = narrow(x_in, o_.activation_precision, "x");
    const Shape& shape = ranges_.shape.at(n.inputs.at(0));
    const int64_t last = shape.back(), r = prec_max(x.precision), y_max = prec_max(o_.activation_precision);
    int length_bits = 0;
    while ((int64_t{1} << length_bits) <= last) ++length_bits;
    const int y_bits = precision_of_values({static_cast<int32_t>(2 * y_max)});
    const int t = std::min(16, 31 - std::max(y_bits, length_bits));
    if (t < 8) fail(n, "the last axis (" + std::to_string(last) + " values) is too long for a 32-bit softmax");
    const auto top = static_cast<double>(prec_max(t));
    std::vector<int32_t> table;
    for (int64_t d = -2 * r; d <= 0; ++d)
      table.push_back(static_cast<int32_t>(std::llround(top * std::exp(static_cast<double>(d) / x.scale))));
    const auto size = static_cast<int64_t>(table.size());
    const std::string axis = "(" + std::to_string(shape.size() - 1) + ")";
    const AttrMap reduce = {{"axis", axis}, {"keepdims", "true"}};
    const EntryRef m = op("max", "max", {x.e}, reduce);
    const EntryRef d = op("broadcast_sub", "centred", {x.e, m});
    const EntryRef index = op("broadcast_add", "index", {d, param("offset", {1}, {static_cast<int32_t>(2 * r)})});
    const EntryRef e = op("cvm_lut", "exp", {index, param("table", {size}, std::move(table))},
                          {{"in_dim", std::to_string(size)}});
    const EntryRef s = op("sum", "sum", {e}, reduce);
    const EntryRef num = op("broadcast_add", "numerator",
                            {op("broadcast_mul", "times", {e, param("twice_y", {1}, {static_cast<int32_t>(2 * y_max)})}), s});
    const EntryRef den = op("elemwise_add", "denominator", {s, s});
    const EntryRef q = op("broadcast_div", "divide", {num, den});
    Rep y = with(x, op("cvm_clip", "bound", {q}, {{"precision", std::to_string(o_.activation_precision)}}));
    y.scale = static_cast<double>(y_max);
    row_.requant.push_back("x: exp table of " + std::to_string(size) + " entries (" + std::to_string(t) +
                           " bits), sum, rounded division");
    return y;
  }

  // The common scale of inputs that are added or concatenated: as fine as
  // the largest range allows at `p` bits, and never finer than any input
  // (scales only go down, by shifts and multipliers <= 1). Among inputs,
  // prefer one that reaches it by a pure shift.
  double common_scale(const std::vector<Rep>& xs, int p) {
    double range = 0, limit = xs[0].scale;
    for (const Rep& x : xs) {
      bool tight = false;
      range = std::max(range, scaling_range(x, tight));
      limit = std::min(limit, x.scale);
    }
    if (range > 0) limit = std::min(limit, scale_for_range(range, p));
    double best = 0;
    for (const Rep& x : xs) {
      double s = x.scale;
      while (s > limit * (1 + 1e-12)) s /= 2;
      best = std::max(best, s);
    }
    return best;
  }

  Rep lower_add(const FNode& n) {
    std::vector<Rep> xs = {rep(n, n.inputs.at(0)), rep(n, n.inputs.at(1))};
    const double s = common_scale(xs, o_.activation_precision);
    const Rep a = rescale(xs[0], s, o_.activation_precision, "a");
    const Rep b = rescale(xs[1], s, o_.activation_precision, "b");
    Rep y = a;
    y.e = n.op == "Add" ? op("elemwise_add", "add", {a.e, b.e}) : op("elemwise_sub", "sub", {a.e, b.e});
    y.scale = s;
    return y;
  }

  Rep lower_concat(const FNode& n) {
    std::vector<Rep> xs;
    for (const std::string& in : n.inputs) xs.push_back(rep(n, in));
    int p = 0;
    for (const Rep& x : xs) p = std::max(p, x.precision);
    const double s = common_scale(xs, p);
    std::vector<EntryRef> es;
    for (size_t i = 0; i < xs.size(); ++i)
      es.push_back(rescale(xs[i], s, xs[i].precision, "in" + std::to_string(i)).e);
    Rep y = xs[0];
    int64_t axis = n.int_attr("axis", 0);
    if (axis < 0) axis += static_cast<int64_t>(ranges_.shape.at(n.output).size());
    y.e = op("concatenate", "concat", es, {{"axis", std::to_string(axis)}});
    y.scale = s;
    return y;
  }

  const FloatGraph& g_;
  const Ranges& ranges_;
  const QuantOptions& o_;
  GraphBuilder b_;
  std::map<std::string, Rep> reps_;
  std::set<std::string> used_;
  QuantizedModel out_;
  LayerReport row_;
  std::string prefix_;
  std::map<std::string, size_t> param_of_;  // param name -> index in out_.params
  std::vector<int64_t> first_entry_;        // per analysed node: its first flat entry id
  std::vector<EntryInterval> intervals_;    // per analysed entry
  std::vector<EntryRef> layer_entries_;     // per report row: its output entry
};

}  // namespace

void check_nms(const FloatGraph& g, const std::map<std::string, Shape>& shapes, const NmsOptions& nms) {
  if (!nms.enabled) return;
  if (g.outputs.size() != 1)
    throw_logic("quantize", "NMS needs a model with one output, the (B, N, 6) detections; this one has " +
                                std::to_string(g.outputs.size()));
  const Shape& s = shapes.at(g.outputs[0]);
  if (s.size() != 3 || s[2] != 6)
    throw_logic("quantize", "NMS needs the output '" + g.outputs[0] + "' of shape (B, N, 6), rows (class id, "
                            "score, x1, y1, x2, y2); it has " + tuple(s));
  if (nms.iou_percent < 1 || nms.iou_percent > 100)
    throw_logic("quantize", "the NMS IoU threshold must be a percent in [1, 100]");
  if (!std::isfinite(nms.score_threshold)) throw_logic("quantize", "the NMS score threshold must be finite");
}

QuantizedModel lower(const FloatGraph& g, const Ranges& ranges, const QuantOptions& options) {
  // Names the node for what the CVM validator would reject.
  check_nms(g, check_lowerable(g), options.nms);
  if (options.activation_precision < 2 || options.activation_precision > 8 || options.weight_precision < 2 ||
      options.weight_precision > 8)
    throw_logic("quantize", "activation and weight precisions must be in [2, 8]");
  if (options.multiplier_bits < 2 || options.multiplier_bits > 24)
    throw_logic("quantize", "multiplier bits must be in [2, 24]");
  return Lowerer(g, ranges, options).run();
}

std::vector<int32_t> quantize_input(const FTensor& x, double scale, int precision) {
  return quantize_values(x.data, scale, precision);
}

}  // namespace cvm::quant
