// The inference engine (spec/model/inference.rst): input decoding and
// saturation, one backend program per runtime, output encoding.
#include "cvm/errors.h"
#include "cvm/intmath.h"
#include "cvm/runtime.h"
#include "cvm/validate.h"

namespace cvm {

namespace {
// Saturation of the data input: clip to +-R(p) (spec/model/inference.rst).
void saturate(std::vector<int32_t>& values, int precision) {
  const int64_t r = prec_max(precision);
  for (int32_t& v : values) v = static_cast<int32_t>(clip(int64_t{v}, -r, r));
}
}  // namespace

Tensor make_input(const Model& model, const Shape& shape, std::vector<int32_t> values) {
  const TensorType& t = model.input_type();
  CVM_REQUIRE(shape == t.shape, "infer_c1", "the input has shape ", shape_str(shape),
              "; the model's data input has shape ", shape_str(t.shape));
  CVM_REQUIRE(static_cast<int64_t>(values.size()) == shape_size(shape), "infer_c1", "the input has ",
              values.size(), " values for shape ", shape_str(shape));
  saturate(values, t.precision);
  return Tensor{t.shape, t.precision, std::move(values)};
}

namespace {
// decode_input into `data`, whose buffer is reused when it has the room.
void decode_input_into(const Model& model, std::string_view bytes, Tensor& data) {
  CVM_REQUIRE(bytes.size() == model.input_length(), "infer_c1", "the input has ", bytes.size(),
              " bytes; the model takes ", model.input_length());
  const TensorType& t = model.input_type();
  const int width = model.input_width();
  if (data.shape != t.shape) data.shape = t.shape;
  data.precision = t.precision;
  std::vector<int32_t>& values = data.data;
  values.resize(bytes.size() / static_cast<size_t>(width));
  for (size_t k = 0; k < values.size(); ++k) {
    if (width == 1) {
      values[k] = static_cast<int8_t>(bytes[k]);
    } else {
      uint32_t u = 0;
      for (size_t b = 0; b < 4; ++b)
        u |= static_cast<uint32_t>(static_cast<unsigned char>(bytes[4 * k + b])) << (8 * b);
      values[k] = static_cast<int32_t>(u);
    }
  }
  saturate(values, t.precision);
}
}  // namespace

Tensor decode_input(const Model& model, std::string_view bytes) {
  Tensor data;
  decode_input_into(model, bytes, data);
  return data;
}

Runtime::Runtime(std::shared_ptr<const Model> model, const Backend& backend)
    : model_(std::move(model)), program_(backend.prepare(model_)) {}

namespace {
// Whether `data` is already what make_input would make of it: the model's
// input type and every value within its precision (so saturation changes
// nothing).
bool is_model_input(const TensorType& t, const Tensor& data) {
  if (data.shape != t.shape || data.precision != t.precision ||
      static_cast<int64_t>(data.data.size()) != shape_size(t.shape))
    return false;
  bool inside = true;
  for (int32_t v : data.data) inside &= in_precision(v, t.precision);  // no early exit: vectorises
  return inside;
}
}  // namespace

std::vector<Tensor> Program::run(const Tensor& data, const NodeObserver* observer) {
  // The precondition of every kernel (inference.rst, "Backends"): one
  // vectorised pass when it holds; the error names the first violation.
  if (!is_model_input(input_, data)) {
    CVM_REQUIRE(data.shape == input_.shape, "infer_c1", "the input has shape ", shape_str(data.shape),
                "; the model's data input has shape ", shape_str(input_.shape));
    CVM_REQUIRE(data.precision == input_.precision, "infer_c1", "the input has precision ",
                data.precision, "; the model's data input has precision ", input_.precision);
    CVM_REQUIRE(static_cast<int64_t>(data.data.size()) == shape_size(data.shape), "infer_c1",
                "the input has ", data.data.size(), " values for shape ", shape_str(data.shape));
    check_input_values("model", {data});  // tensor_c5: the first value outside the precision
  }
  return run_checked(data, observer);
}

std::vector<Tensor> Runtime::run(const Tensor& data, const NodeObserver* observer) {
  // An input that saturation would not change runs as it is: a read-only
  // pass instead of a copy (a batch-64 ResNet input is 38.5 MB). Both paths
  // meet Program::run's precondition, so they skip its check.
  if (is_model_input(model_->input_type(), data)) {
    std::lock_guard<std::mutex> lock(mutex_);
    return program_->run_checked(data, observer);
  }
  const Tensor input = make_input(*model_, data.shape, data.data);
  std::lock_guard<std::mutex> lock(mutex_);
  return program_->run_checked(input, observer);
}

std::string Runtime::infer_bytes(std::string_view input) {
  std::vector<Tensor> heads;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    // The input is decoded into the buffer of the previous call, so a steady
    // stream of inferences allocates no input.
    decode_input_into(*model_, input, input_);
    heads = program_->run_checked(input_, nullptr);  // decode_input_into saturated it
  }
  return encode_output(*model_, postprocess(*model_, heads));
}

}  // namespace cvm
