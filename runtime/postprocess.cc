// Output post-processing and encoding (spec/model/inference.rst, "Output").
#include "cvm/errors.h"
#include "cvm/runtime.h"

namespace cvm {
namespace {

// The low 8 bits of v as an int8 (upstream compares argmax candidates so).
int32_t wrap8(int32_t v) {
  return static_cast<int32_t>(static_cast<int8_t>(static_cast<uint8_t>(static_cast<uint32_t>(v) & 0xFF)));
}

int64_t rows_of(const Tensor& t) { return t.size() / t.shape.back(); }

OutputValues argmax(const std::vector<Tensor>& heads) {
  OutputValues out;
  for (const Tensor& h : heads) {
    const int64_t last = h.shape.back();
    for (int64_t r = 0; r < rows_of(h); ++r) {
      const int32_t* row = h.data.data() + r * last;
      int64_t best = 0;  // first maximum: later equal values do not replace it
      for (int64_t j = 1; j < last; ++j)
        if (wrap8(row[j]) > wrap8(row[best])) best = j;
      out.data.push_back(static_cast<int32_t>(best));
    }
  }
  out.shape = {static_cast<int64_t>(out.data.size())};
  return out;
}

// infer_c2 on the heads' shapes: whether interleave() can pair their rows.
void check_interleavable(const Model& model, const std::vector<Shape>& heads) {
  const bool detection = model.graph().postprocess == Postprocess::kDetection;
  CVM_REQUIRE(heads.size() >= 2, "infer_c2", "a detection model needs at least two outputs, this one has ",
              heads.size());
  const int64_t rows = shape_size(heads[0]) / heads[0].back();
  for (size_t k = 0; k < heads.size(); ++k) {
    const int64_t rows_k = shape_size(heads[k]) / heads[k].back();
    CVM_REQUIRE(rows_k == rows, "infer_c2", detection ? "detection" : "multi-output",
                " outputs cannot be interleaved: output ", k, " of shape ", shape_str(heads[k]),
                " has ", rows_k, " rows, output 0 has ", rows);
  }
}

bool interleaves(const Model& model, size_t head_count) {
  return model.graph().postprocess == Postprocess::kDetection ||
         (model.graph().postprocess != Postprocess::kArgmax && head_count > 1);
}

OutputValues interleave(const Model& model, const std::vector<Tensor>& heads) {
  std::vector<Shape> shapes;
  for (const Tensor& h : heads) shapes.push_back(h.shape);
  check_interleavable(model, shapes);
  const int64_t rows = rows_of(heads[0]);
  int64_t width = 0;
  for (const Tensor& h : heads) width += h.shape.back();
  OutputValues out;
  out.shape = {rows, width};
  out.data.reserve(static_cast<size_t>(rows * width));
  for (int64_t r = 0; r < rows; ++r)
    for (const Tensor& h : heads) {
      const int64_t last = h.shape.back();
      out.data.insert(out.data.end(), h.data.begin() + r * last, h.data.begin() + (r + 1) * last);
    }
  return out;
}

}  // namespace

void check_postprocess(const Model& model) {
  const ModelGraph& g = model.graph();
  if (!interleaves(model, g.heads.size())) return;
  std::vector<Shape> shapes;
  for (int64_t e : g.heads) shapes.push_back(g.entries[static_cast<size_t>(e)].shape);
  check_interleavable(model, shapes);
}

OutputValues postprocess(const Model& model, const std::vector<Tensor>& heads) {
  if (model.graph().postprocess == Postprocess::kArgmax) return argmax(heads);
  if (interleaves(model, heads.size())) return interleave(model, heads);
  return OutputValues{heads[0].shape, heads[0].data};
}

std::string encode_output(const Model& model, const OutputValues& values) {
  const int width = model.output_width();
  std::string out;
  out.reserve(values.data.size() * static_cast<size_t>(width));
  for (int32_t v : values.data) {
    const auto u = static_cast<uint32_t>(v);
    for (int b = 0; b < width; ++b) out.push_back(static_cast<char>((u >> (8 * b)) & 0xFF));
  }
  return out;
}

}  // namespace cvm
