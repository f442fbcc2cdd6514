#include "tools/quantize/fold_shapes.h"

#include <algorithm>
#include <cmath>

#include "cvm/errors.h"
#include "tools/quantize/float_exec.h"
#include "tools/quantize/float_ops.h"
#include "tools/quantize/simplify_util.h"

namespace cvm::quant::detail {
namespace {

int64_t axis_of(const FNode& n, int64_t axis, size_t rank) {
  const auto r = static_cast<int64_t>(rank);
  if (axis < -r || axis >= r) fail(n, "axis " + std::to_string(axis) + " is out of range for rank " + std::to_string(r));
  return axis < 0 ? axis + r : axis;
}

std::vector<int64_t> ints_of(const FTensor& t) {
  std::vector<int64_t> v;
  for (float f : t.data) v.push_back(int_value(f));
  return v;
}

// An ints attribute (older opsets) or the constant input `input` (newer).
std::vector<int64_t> ints_param(const FloatGraph& g, const FNode& n, const char* key, size_t input, bool& given) {
  given = true;
  if (n.inputs.size() > input && !n.inputs[input].empty()) return ints_of(constant(g, n, input, key));
  given = n.has(key);
  return n.ints_attr(key, {});
}

// numpy broadcasting of two shapes (ranks aligned on the right).
Shape broadcast(const FNode& n, const Shape& a, const Shape& b) {
  Shape s(std::max(a.size(), b.size()), 1);
  for (size_t i = 0; i < s.size(); ++i) {
    const int64_t da = i < s.size() - a.size() ? 1 : a[i - (s.size() - a.size())];
    const int64_t db = i < s.size() - b.size() ? 1 : b[i - (s.size() - b.size())];
    if (da != db && da != 1 && db != 1) fail(n, "the input shapes do not broadcast");
    s[i] = std::max(da, db);
  }
  return s;
}

// The element of `t` that broadcasts to multi-index `idx` of shape `s`.
float at_broadcast(const FTensor& t, const Shape& s, const std::vector<int64_t>& idx) {
  int64_t flat = 0;
  const size_t off = s.size() - t.shape.size();
  for (size_t i = 0; i < t.shape.size(); ++i) flat = flat * t.shape[i] + (t.shape[i] == 1 ? 0 : idx[i + off]);
  return t.data[static_cast<size_t>(flat)];
}

FTensor arithmetic(const FNode& n, const FTensor& a, const FTensor& b, bool integer) {
  const Shape s = broadcast(n, a.shape, b.shape);
  FTensor y{s, std::vector<float>(static_cast<size_t>(element_count(s)))};
  std::vector<int64_t> idx(s.size(), 0);
  for (float& v : y.data) {
    const float x = at_broadcast(a, s, idx), z = at_broadcast(b, s, idx);
    if (n.op == "Add") v = x + z;
    else if (n.op == "Sub") v = x - z;
    else if (n.op == "Mul") v = x * z;
    else if (z == 0.0f) fail(n, "divides by zero");
    else v = integer ? std::trunc(x / z) : x / z;  // ONNX integer Div truncates
    for (size_t d = s.size(); d-- > 0;) {
      if (++idx[d] < s[d]) break;
      idx[d] = 0;
    }
  }
  return y;
}

FTensor gather(const FNode& n, const FTensor& data, const FTensor& indices) {
  if (data.shape.empty()) fail(n, "cannot gather from a scalar");
  const auto axis = static_cast<size_t>(axis_of(n, n.int_attr("axis", 0), data.shape.size()));
  int64_t outer = 1, inner = 1;
  for (size_t i = 0; i < axis; ++i) outer *= data.shape[i];
  for (size_t i = axis + 1; i < data.shape.size(); ++i) inner *= data.shape[i];
  const int64_t d = data.shape[axis];
  Shape s(data.shape.begin(), data.shape.begin() + static_cast<std::ptrdiff_t>(axis));
  s.insert(s.end(), indices.shape.begin(), indices.shape.end());
  s.insert(s.end(), data.shape.begin() + static_cast<std::ptrdiff_t>(axis) + 1, data.shape.end());
  FTensor y{s, {}};
  for (int64_t o = 0; o < outer; ++o)
    for (float f : indices.data) {
      int64_t k = int_value(f);
      if (k < -d || k >= d) fail(n, "index " + std::to_string(k) + " is out of range");
      if (k < 0) k += d;
      for (int64_t i = 0; i < inner; ++i) y.data.push_back(data.data[static_cast<size_t>((o * d + k) * inner + i)]);
    }
  return y;
}

FTensor concat(const FNode& n, const std::vector<const FTensor*>& xs) {
  const Shape& first = xs.at(0)->shape;
  const auto axis = static_cast<size_t>(axis_of(n, n.int_attr("axis", 0), first.size()));
  Shape s = first;
  s[axis] = 0;
  for (const FTensor* x : xs) {
    if (x->shape.size() != first.size()) fail(n, "inputs differ in rank");
    s[axis] += x->shape[axis];
  }
  int64_t outer = 1;
  for (size_t i = 0; i < axis; ++i) outer *= s[i];
  FTensor y{s, {}};
  for (int64_t o = 0; o < outer; ++o)
    for (const FTensor* x : xs) {
      const int64_t chunk = element_count(x->shape) / outer;
      y.data.insert(y.data.end(), x->data.begin() + o * chunk, x->data.begin() + (o + 1) * chunk);
    }
  return y;
}

// ONNX Slice's (starts, ends, axes, steps) on shape `x` as one begin / end /
// step per axis, clamped into the axis (positive steps only).
struct Range {
  std::vector<int64_t> begin, end, step;
};

// n becomes the canonical Slice of its first input over r.
void become_slice(FNode& n, const Range& r) {
  n.op = "Slice";
  n.inputs.resize(1);
  n.attrs.clear();
  n.attrs["starts"].ints = r.begin;
  n.attrs["ends"].ints = r.end;
  n.attrs["steps"].ints = r.step;
}

Range slice_range(const FloatGraph& g, const FNode& n, const Shape& x) {
  bool given = false;
  const std::vector<int64_t> starts = ints_param(g, n, "starts", 1, given);
  const std::vector<int64_t> ends = ints_param(g, n, "ends", 2, given);
  std::vector<int64_t> axes = ints_param(g, n, "axes", 3, given);
  std::vector<int64_t> steps = ints_param(g, n, "steps", 4, given);
  if (axes.empty())
    for (size_t i = 0; i < starts.size(); ++i) axes.push_back(static_cast<int64_t>(i));
  if (steps.empty()) steps.assign(starts.size(), 1);
  if (ends.size() != starts.size() || axes.size() != starts.size() || steps.size() != starts.size())
    fail(n, "starts, ends, axes and steps differ in length");
  Range r{std::vector<int64_t>(x.size(), 0), x, std::vector<int64_t>(x.size(), 1)};
  for (size_t i = 0; i < starts.size(); ++i) {
    const auto a = static_cast<size_t>(axis_of(n, axes[i], x.size()));
    const int64_t d = x[a];
    if (steps[i] < 1) fail(n, "only positive steps are supported");
    const auto clamp = [d](int64_t v) { return std::clamp(v < 0 ? v + d : v, int64_t{0}, d); };
    r.begin[a] = clamp(starts[i]);
    r.end[a] = clamp(ends[i]);
    r.step[a] = steps[i];
    if (r.begin[a] >= r.end[a]) fail(n, "the slice along axis " + std::to_string(a) + " is empty");
  }
  return r;
}

// Split output `output_index` as a range along its axis.
Range split_range(const FloatGraph& g, const FNode& n, const Shape& x) {
  const auto axis = static_cast<size_t>(axis_of(n, n.int_attr("axis", 0), x.size()));
  const int64_t parts = n.int_attr("outputs", 1), k = n.int_attr("output_index", 0);
  bool given = false;
  std::vector<int64_t> sizes = ints_param(g, n, "split", 1, given);
  if (sizes.empty()) {
    if (x[axis] % parts != 0) fail(n, "the axis does not split into equal parts");
    sizes.assign(static_cast<size_t>(parts), x[axis] / parts);
  }
  int64_t total = 0;
  for (int64_t s : sizes) total += s;
  if (static_cast<int64_t>(sizes.size()) != parts || total != x[axis])
    fail(n, "split sizes do not add up to the axis");
  Range r{std::vector<int64_t>(x.size(), 0), x, std::vector<int64_t>(x.size(), 1)};
  for (int64_t i = 0; i < k; ++i) r.begin[axis] += sizes[static_cast<size_t>(i)];
  r.end[axis] = r.begin[axis] + sizes[static_cast<size_t>(k)];
  if (r.begin[axis] >= r.end[axis]) fail(n, "a split part is empty");
  return r;
}

Shape range_shape(const Range& r) {
  Shape s(r.begin.size());
  for (size_t i = 0; i < s.size(); ++i) s[i] = (r.end[i] - r.begin[i] + r.step[i] - 1) / r.step[i];
  return s;
}

// The shape after Unsqueeze / Squeeze of `x`.
Shape squeezed(const FloatGraph& g, const FNode& n, const Shape& x) {
  bool given = false;
  const std::vector<int64_t> axes = ints_param(g, n, "axes", 1, given);
  if (n.op == "Unsqueeze") {
    const size_t r = x.size() + axes.size();
    std::vector<bool> unit(r, false);
    for (int64_t a : axes) {
      const auto i = static_cast<size_t>(axis_of(n, a, r));
      if (unit[i]) fail(n, "axis " + std::to_string(a) + " is listed twice");
      unit[i] = true;
    }
    Shape s;
    size_t next = 0;
    for (size_t i = 0; i < r; ++i) s.push_back(unit[i] ? 1 : x.at(next++));
    return s;
  }
  std::vector<bool> drop(x.size(), axes.empty());
  for (int64_t a : axes) {
    const auto i = static_cast<size_t>(axis_of(n, a, x.size()));
    if (x[i] != 1) fail(n, "squeezes axis " + std::to_string(i) + ", which is not 1");
    drop[i] = true;
  }
  Shape s;
  for (size_t i = 0; i < x.size(); ++i)
    if (!drop[i] || x[i] != 1) s.push_back(x[i]);
  return s;
}

bool float_type(int64_t onnx_type) { return onnx_type == 1 || onnx_type == 10 || onnx_type == 11 || onnx_type == 16; }

}  // namespace

ShapeFolder::ShapeFolder(FloatGraph& g) : g_(g) {
  shapes_[g.input] = g.input_shape;
}

const Shape& ShapeFolder::shape_of(const FNode& n, const std::string& name) const {
  const Shape* s = find(name);
  if (s == nullptr) fail(n, "the shape of '" + name + "' is not known here");
  return *s;
}

const Shape* ShapeFolder::find(const std::string& name) const {
  const auto c = g_.constants.find(name);  // constants added by the passes too
  if (c != g_.constants.end()) return &c->second.shape;
  const auto it = shapes_.find(name);
  return it == shapes_.end() ? nullptr : &it->second;
}

FTensor ShapeFolder::evaluate(const FNode& n) {
  std::vector<const FTensor*> in;
  for (const std::string& name : n.inputs)
    if (!name.empty()) in.push_back(&g_.constants.at(name));
  if (n.op == "Gather") return gather(n, *in.at(0), *in.at(1));
  if (n.op == "Concat") return concat(n, in);
  if (n.op == "Add" || n.op == "Sub" || n.op == "Mul" || n.op == "Div") {
    const bool integer = ints_.count(n.inputs.at(0)) != 0 || ints_.count(n.inputs.at(1)) != 0;
    return arithmetic(n, *in.at(0), *in.at(1), integer);
  }
  if (n.op == "Cast") {
    FTensor y = *in.at(0);
    if (!float_type(n.int_attr("to", 1)))
      for (float& v : y.data) v = std::trunc(v);
    return y;
  }
  if (n.op == "Unsqueeze" || n.op == "Squeeze") return FTensor{squeezed(g_, n, in.at(0)->shape), in.at(0)->data};
  const Range r = n.op == "Slice" ? slice_range(g_, n, in.at(0)->shape) : split_range(g_, n, in.at(0)->shape);
  return slice_tensor(*in.at(0), r.begin, r.step, range_shape(r));
}

void ShapeFolder::to_slice(FNode& n) {
  const Shape& x = shape_of(n, n.inputs.at(0));
  const Range r = n.op == "Slice" ? slice_range(g_, n, x) : split_range(g_, n, x);
  become_slice(n, r);
}

void ShapeFolder::to_reshape(FNode& n) {
  const Shape s = squeezed(g_, n, shape_of(n, n.inputs.at(0)));
  const std::vector<float> codes(s.begin(), s.end());
  n.inputs = {n.inputs.at(0), fresh_constant(g_, n.name + ".shape", FTensor{{static_cast<int64_t>(s.size())}, codes})};
  n.op = "Reshape";
  n.attrs.clear();
}

// Gather(x, k) along `axis` with a constant index k: the slice [k, k + 1],
// the axis dropped when k is a scalar (ints "squeeze").
void ShapeFolder::to_gather_slice(FNode& n) {
  const Shape& x = shape_of(n, n.inputs.at(0));
  if (n.inputs.size() < 2 || !g_.is_constant(n.inputs[1]))
    fail(n, "Gather of a computed tensor is supported only with constant indices");
  const FTensor& idx = g_.constants.at(n.inputs[1]);
  if (idx.data.size() != 1) fail(n, "Gather of a computed tensor is supported only with a single index");
  const auto axis = static_cast<size_t>(axis_of(n, n.int_attr("axis", 0), x.size()));
  int64_t k = int_value(idx.data[0]);
  if (k < -x[axis] || k >= x[axis]) fail(n, "index " + std::to_string(k) + " is out of range");
  if (k < 0) k += x[axis];
  const bool scalar = idx.shape.empty();
  Range r{std::vector<int64_t>(x.size(), 0), x, std::vector<int64_t>(x.size(), 1)};
  r.begin[axis] = k;
  r.end[axis] = k + 1;
  become_slice(n, r);
  if (scalar) n.attrs["squeeze"].ints = {static_cast<int64_t>(axis)};
}

// x op c with a constant c that is a scalar or one value per channel (axis 1
// of x, after ONNX's right-aligned broadcasting): y = x * a_c + b_c. Returns
// false (no rewrite) for any other constant.
bool ShapeFolder::to_affine(FNode& n) {
  if (n.inputs.size() != 2) return false;
  const bool c_first = g_.is_constant(n.inputs[0]);
  const std::string& xname = n.inputs[c_first ? 1 : 0];
  const FTensor& c = g_.constants.at(n.inputs[c_first ? 0 : 1]);
  const Shape& x = shape_of(n, xname);
  if (x.size() < 2 || c.shape.size() > x.size()) return false;
  const size_t off = x.size() - c.shape.size();
  bool per_channel = true, broadcasts = true;
  for (size_t i = 0; i < c.shape.size(); ++i) {
    if (c.shape[i] != 1 && !(i + off == 1 && c.shape[i] == x[1])) per_channel = false;
    if (c.shape[i] != 1 && c.shape[i] != x[i + off]) broadcasts = false;
  }
  if (!broadcasts) return false;  // the constant would enlarge x
  if (n.op == "Div" && c_first) fail(n, "divides a constant by a computed tensor (not supported)");
  // Per channel: ChannelAffine with (C) vectors. Otherwise (box decoding's
  // per-anchor constants, a grid offset): Affine, with a and b of the
  // constant's shape padded with leading 1s to x's rank.
  Shape ab_shape = {x[1]};
  if (!per_channel) {
    ab_shape.assign(off, 1);
    ab_shape.insert(ab_shape.end(), c.shape.begin(), c.shape.end());
  }
  const auto count = static_cast<size_t>(element_count(ab_shape));
  FTensor a{ab_shape, std::vector<float>(count, 1.0f)};
  FTensor b{ab_shape, std::vector<float>(count, 0.0f)};
  for (size_t ch = 0; ch < count; ++ch) {
    const float v = c.data[c.data.size() == 1 ? 0 : ch];
    if (n.op == "Mul") a.data[ch] = v;
    else if (n.op == "Div") {
      a.data[ch] = 1.0f / v;
      if (!std::isfinite(a.data[ch])) fail(n, "divides by zero or by a value too small for a float reciprocal");
    } else if (n.op == "Add") b.data[ch] = v;
    else if (c_first) {  // Sub: c - x
      a.data[ch] = -1.0f;
      b.data[ch] = v;
    } else {
      b.data[ch] = -v;
    }
  }
  n.inputs = {xname, fresh_constant(g_, n.name + ".a", std::move(a)), fresh_constant(g_, n.name + ".b", std::move(b))};
  n.op = per_channel ? "ChannelAffine" : "Affine";
  n.attrs.clear();
  return true;
}

// ReduceMean over axes 2.. (all spatial axes) is GlobalAveragePool; the
// canonical op keeps ReduceMean's keepdims.
void ShapeFolder::to_global_average(FNode& n) {
  const Shape& x = shape_of(n, n.inputs.at(0));
  std::vector<bool> reduced(x.size(), false);
  for (int64_t a : n.ints_attr("axes", {})) reduced.at(static_cast<size_t>(axis_of(n, a, x.size()))) = true;
  bool spatial = x.size() >= 3;
  for (size_t a = 0; a < x.size(); ++a) spatial = spatial && reduced[a] == (a >= 2);
  if (!spatial)
    fail(n, "only a ReduceMean over every spatial axis (2, 3, ... of an (N, C, ...) tensor) is supported");
  const int64_t keep = n.int_attr("keepdims", 1) != 0 ? 1 : 0;
  n.op = "GlobalAveragePool";
  n.inputs.resize(1);
  n.attrs.clear();
  n.attrs["keepdims"].i = keep;
}

bool ShapeFolder::fold(FNode& n) {
  if (n.op == "ReduceMean") {
    to_global_average(n);
    return false;
  }
  static const std::set<std::string> kShapeOps = {"Shape", "Gather", "Slice", "Split", "Unsqueeze", "Squeeze",
                                                  "Cast",  "Div",    "Sub",   "Mul",   "Add",       "Concat"};
  if (kShapeOps.count(n.op) == 0) return false;
  if (n.inputs.empty() || n.inputs[0].empty()) fail(n, "has no input");
  const bool binary = n.op == "Gather" || n.op == "Add" || n.op == "Sub" || n.op == "Mul" || n.op == "Div";
  if (binary && (n.inputs.size() != 2 || n.inputs[1].empty())) fail(n, "needs 2 inputs");
  if (n.op == "Shape") {
    const Shape& x = shape_of(n, n.inputs[0]);
    const auto r = static_cast<int64_t>(x.size());
    const auto clamp = [r](int64_t v) { return std::clamp(v < 0 ? v + r : v, int64_t{0}, r); };
    const int64_t start = clamp(n.int_attr("start", 0)), end = clamp(n.int_attr("end", r));
    FTensor t{{std::max<int64_t>(0, end - start)}, {}};
    for (int64_t i = start; i < end; ++i) t.data.push_back(static_cast<float>(x[static_cast<size_t>(i)]));
    shapes_[n.output] = t.shape;
    g_.constants[n.output] = std::move(t);
    ints_.insert(n.output);
    return true;
  }
  bool constant_inputs = true, integer = false;
  for (const std::string& name : n.inputs) {
    if (!name.empty() && !g_.is_constant(name)) constant_inputs = false;
    if (ints_.count(name) != 0) integer = true;
  }
  if (constant_inputs) {
    FTensor t = evaluate(n);
    shapes_[n.output] = t.shape;
    g_.constants[n.output] = std::move(t);
    if (integer || (n.op == "Cast" && !float_type(n.int_attr("to", 1)))) ints_.insert(n.output);
    return true;
  }
  // The data input is computed.
  if (n.op == "Slice" || n.op == "Split") {
    to_slice(n);
  } else if (n.op == "Unsqueeze" || n.op == "Squeeze") {
    to_reshape(n);
  } else if (n.op == "Gather") {
    to_gather_slice(n);
  } else if (n.op == "Cast") {
    if (!float_type(n.int_attr("to", 1))) fail(n, "casts a computed tensor to an integer type (not supported)");
    rename_uses(g_, n.output, n.inputs[0]);
    return true;
  } else if (n.op != "Concat") {  // Mul, Add, Sub, Div
    const bool by_constant =
        g_.is_constant(n.inputs.at(0)) || (n.inputs.size() > 1 && g_.is_constant(n.inputs[1]));
    const bool affine = by_constant && to_affine(n);
    if (!affine && n.op == "Div")
      fail(n, "Div of two computed tensors, or by a constant that does not broadcast to the other input's "
              "shape, is not supported");
    if (!affine && n.op == "Sub" && by_constant)
      fail(n, "Sub of a constant that does not broadcast to the other input's shape is not supported");
  }
  return false;  // Mul, Add, Sub of two computed tensors and Concat: canonical ops
}

void ShapeFolder::record(const FNode& n) {
  std::vector<Shape> in;
  for (const std::string& name : n.inputs) {
    if (name.empty()) continue;
    const Shape* s = find(name);
    if (s == nullptr) return;
    in.push_back(*s);
  }
  if (in.empty()) return;
  if (n.op == "BatchNormalization") {
    shapes_[n.output] = in[0];
    return;
  }
  // A shape the float executor rejects stays unknown: the node is reported
  // by check_lowerable() after simplify(), with the same message.
  try {
    shapes_[n.output] = float_output_shape(n, in);
  } catch (const LogicError&) {
  }
}

}  // namespace cvm::quant::detail
