#include "gen/random_model.h"

#include "cvm/errors.h"
#include "cvm/graph_builder.h"
#include "cvm/op.h"
#include "cvm/params.h"
#include "gen/op_cases.h"
#include "gen/values.h"

namespace cvm::gen {
namespace {

class ModelMaker {
 public:
  ModelMaker(Chooser& c, const RandomModelOptions& o, Chooser& values) : c_(c), v_(values), o_(o) {}

  RandomModel make() {
    const int rank = static_cast<int>(c_.range(1, 4));
    const TensorType data{random_shape(c_, rank, o_.max_elements), random_precision(c_)};
    outputs_.push_back(b_.variable("data", data.shape, data.precision));
    RandomModel m;
    m.input = random_tensor(v_, data, o_.extremes_only);

    const auto ops = all_ops();
    const int n = static_cast<int>(c_.range(1, o_.max_ops));
    for (int i = 0; i < n; ++i) {
      const OpDef* op = ops[static_cast<size_t>(c_.range(0, static_cast<int64_t>(ops.size()) - 1))];
      if (add(*op)) m.ops.emplace_back(op->name);
    }
    b_.head(outputs_.back());
    if (outputs_.size() > 2 && c_.one_in(3)) {
      const EntryRef extra = outputs_[static_cast<size_t>(c_.range(1, static_cast<int64_t>(outputs_.size()) - 2))];
      if (!(extra == outputs_.back())) b_.head(extra);
    }
    m.symbol = write_graph_json(b_.graph());
    m.params = write_params(params_);
    return m;
  }

 private:
  // Adds one node of `op` (plus adapters); false if no case was found.
  bool add(const OpDef& op) {
    // Prefer recent outputs as input 0, so chains grow deep.
    const EntryRef src = outputs_[static_cast<size_t>(
        c_.coin() ? static_cast<int64_t>(outputs_.size()) - 1
                  : c_.range(0, static_cast<int64_t>(outputs_.size()) - 1))];
    CaseRequest req;
    req.input0 = b_.type(src);
    req.max_elements = o_.max_elements;
    req.max_work = o_.max_work;
    const std::optional<GeneratedCase> g = generate_case(op.name, c_, req);
    if (!g) return false;
    const std::vector<Tensor> values = input_values(v_, *g, o_.extremes_only);

    std::vector<EntryRef> inputs;
    for (size_t i = 0; i < g->inputs.size(); ++i) {
      const TensorType& want = g->inputs[i];
      std::optional<EntryRef> e;
      if (i == 0) e = adapt(src, want);
      else if (c_.one_in(4)) e = reuse(want);
      inputs.push_back(e ? *e : param(values[i]));
    }
    try {
      const std::vector<EntryRef> outs = b_.op(std::string(op.name), str("n", ++nodes_), inputs, g->attrs);
      outputs_.push_back(outs[static_cast<size_t>(c_.range(0, static_cast<int64_t>(outs.size()) - 1))]);
      return true;
    } catch (const LogicError&) {
      // A reused entry can change the inferred output type (e.g. a smaller
      // precision); validation decides. Nothing was added to the graph.
      return false;
    }
  }

  // `src` as an input of type `want`: itself, or through a cvm_clip to the
  // wanted (smaller) precision; nullopt when the shapes differ.
  std::optional<EntryRef> adapt(EntryRef src, const TensorType& want) {
    const TensorType have = b_.type(src);
    if (have.shape != want.shape) return std::nullopt;
    if (have.precision <= want.precision) return src;
    return b_.op1("cvm_clip", str("clip", ++nodes_), {src},
                  {{"precision", std::to_string(want.precision)}});
  }

  // An earlier output of exactly this type, if any.
  std::optional<EntryRef> reuse(const TensorType& want) {
    std::vector<EntryRef> fits;
    for (const EntryRef& e : outputs_)
      if (b_.type(e) == want) fits.push_back(e);
    if (fits.empty()) return std::nullopt;
    return c_.pick(fits);
  }

  EntryRef param(const Tensor& value) {
    const std::string name = str("p", params_.size());
    params_.push_back(ParamArray{name, 32, value.shape, value.data});
    return b_.variable(name, value.shape, value.precision);
  }

  Chooser& c_;
  Chooser& v_;
  const RandomModelOptions& o_;
  GraphBuilder b_;
  std::vector<EntryRef> outputs_;
  std::vector<ParamArray> params_;
  int nodes_ = 0;
};

}  // namespace

RandomModel random_model(Chooser& c, const RandomModelOptions& options, Chooser* values) {
  return ModelMaker(c, options, values != nullptr ? *values : c).make();
}

}  // namespace cvm::gen
