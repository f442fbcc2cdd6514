// cvm._cvm: the C++ runtime bound for the Python package cvm (docs/python.rst).
//
// The low-level layer: python/cvm/_model.py wraps it in the public classes.
// Inputs arrive as NumPy integer arrays and are converted exactly (a value
// outside int32 is py_c1, a LogicError); outputs leave as int32 arrays.
// cvm::LogicError and cvm::RuntimeError become cvm.LogicError and
// cvm.RuntimeFault (python/cvm/_errors.py), with the label.
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <cstdint>
#include <cstring>
#include <limits>
#include <map>
#include <memory>
#include <mutex>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "cvm/backend.h"
#include "cvm/certify.h"
#include "cvm/errors.h"
#include "cvm/model.h"
#include "cvm/plan.h"
#include "cvm/runtime.h"

#include "cvm/version.h"

namespace py = pybind11;

namespace {

/// Raises the Python class `name` of the package (cvm.LogicError,
/// cvm.RuntimeFault) as cls(message, label).
void raise_cvm_error(const char* name, const std::string& label, const char* what) {
  py::object cls = py::module_::import("cvm").attr(name);
  py::object exc = cls(py::str(what), py::str(label));
  PyErr_SetObject(cls.ptr(), exc.ptr());
}

/// The backend named `name` ("fast", "reference", "cuda"); an unknown or
/// unavailable one is RuntimeError("backend"), as in the cvm tool.
const cvm::Backend& backend_named(const std::string& name) {
  const cvm::Backend* backend = cvm::find_backend(name);
  if (backend == nullptr) {
    std::string available;
    for (const std::string& b : cvm::backend_names()) available += (available.empty() ? "" : ", ") + b;
    cvm::throw_runtime("backend", cvm::str("no backend '", name,
                                           "' is usable in this build (available: ", available, ")"));
  }
  return *backend;
}

py::tuple shape_tuple(const cvm::Shape& shape) {
  py::tuple t(shape.size());
  for (size_t i = 0; i < shape.size(); ++i) t[i] = py::int_(shape[i]);
  return t;
}

py::array_t<int32_t> to_array(const cvm::Shape& shape, const std::vector<int32_t>& data) {
  std::vector<py::ssize_t> dims(shape.begin(), shape.end());
  py::array_t<int32_t> a(dims);
  if (!data.empty()) std::memcpy(a.mutable_data(), data.data(), data.size() * sizeof(int32_t));
  return a;
}

/// Copies the elements of an integer array of element type T into int32
/// values, exactly: a value outside int32 is py_c1.
template <typename T>
std::vector<int32_t> exact_int32(const py::array& a) {
  auto c = py::array_t<T, py::array::c_style | py::array::forcecast>::ensure(a);
  if (!c) throw py::error_already_set();
  const T* p = c.data();
  const size_t n = static_cast<size_t>(c.size());
  std::vector<int32_t> out(n);
  for (size_t i = 0; i < n; ++i) {
    if (!std::in_range<int32_t>(p[i]))
      cvm::throw_logic("py_c1", cvm::str("input element ", i, " (row-major) is ", +p[i],
                                          ", outside int32 [-2147483648, 2147483647]"));
    out[i] = static_cast<int32_t>(p[i]);
  }
  return out;
}

/// The model input from any array-like of integers: shape as given (checked
/// by make_input, infer_c1), values exact, then saturated to the input
/// precision by make_input.
cvm::Tensor input_tensor(const cvm::Model& model, const py::handle& obj) {
  py::array a = py::array::ensure(obj);
  if (!a) throw py::error_already_set();
  const py::dtype dt = a.dtype();
  const char kind = dt.kind();
  if (kind != 'i' && kind != 'u')
    throw py::type_error(cvm::str("cvm: the input must be an array of integers, not of dtype ",
                                  std::string(py::str(py::handle(dt)))));
  std::vector<int32_t> values;
  const py::ssize_t size = dt.itemsize();
  if (kind == 'i') {
    if (size == 1) values = exact_int32<int8_t>(a);
    else if (size == 2) values = exact_int32<int16_t>(a);
    else if (size == 4) values = exact_int32<int32_t>(a);
    else values = exact_int32<int64_t>(a);
  } else {
    if (size == 1) values = exact_int32<uint8_t>(a);
    else if (size == 2) values = exact_int32<uint16_t>(a);
    else if (size == 4) values = exact_int32<uint32_t>(a);
    else values = exact_int32<uint64_t>(a);
  }
  cvm::Shape shape(a.shape(), a.shape() + a.ndim());
  return cvm::make_input(model, shape, std::move(values));
}

/// A loaded model and one engine per backend used so far (prepared on first
/// use: the fast backend packs the weights once).
class PyModel {
 public:
  explicit PyModel(std::shared_ptr<const cvm::Model> model) : model_(std::move(model)) {}

  const cvm::Model& model() const { return *model_; }

  cvm::Runtime& runtime(const std::string& backend_name) {
    const cvm::Backend& backend = backend_named(backend_name);
    std::lock_guard<std::mutex> lock(mutex_);
    std::unique_ptr<cvm::Runtime>& r = runtimes_[std::string(backend.name())];
    if (!r) r = std::make_unique<cvm::Runtime>(model_, backend);
    return *r;
  }

  /// The facts of the model as plain Python values (python/cvm/_model.py).
  py::dict info() const {
    const cvm::ModelGraph& g = model_->graph();
    std::vector<int64_t> owner(g.entries.size(), -1);
    for (size_t i = 0; i < g.nodes.size(); ++i)
      for (int k = 0; k < g.nodes[i].num_outputs; ++k)
        owner[static_cast<size_t>(g.nodes[i].first_entry + k)] = static_cast<int64_t>(i);
    auto ref = [&](int64_t entry) {
      const int64_t node = owner[static_cast<size_t>(entry)];
      return py::make_tuple(node, entry - g.nodes[static_cast<size_t>(node)].first_entry);
    };
    auto type = [&](int64_t entry) {
      const cvm::TensorType& t = g.entries[static_cast<size_t>(entry)];
      return py::make_tuple(shape_tuple(t.shape), t.precision);
    };

    py::list nodes;
    for (size_t i = 0; i < g.nodes.size(); ++i) {
      const cvm::ModelNode& n = g.nodes[i];
      py::list inputs, outputs;
      for (int64_t e : n.inputs) inputs.append(ref(e));
      for (int k = 0; k < n.num_outputs; ++k) outputs.append(type(n.first_entry + k));
      py::dict attrs;
      for (const auto& kv : n.attr_map) attrs[py::str(kv.first)] = py::str(kv.second);
      py::dict node;
      node["index"] = i;
      node["name"] = n.name;
      node["op"] = n.is_variable() ? std::string("variable") : std::string(n.op->name);
      node["attrs"] = attrs;
      node["inputs"] = inputs;
      node["outputs"] = outputs;
      node["gas_weight"] = n.gas_weight;
      nodes.append(node);
    }
    py::list heads;
    for (int64_t h : g.heads) heads.append(py::make_tuple(ref(h), type(h)));

    py::dict d;
    d["version"] = g.version;
    d["postprocess"] = g.postprocess_name;
    d["nodes"] = nodes;
    d["input_node"] = g.data_node;
    d["input"] = type(model_->input_entry());
    d["input_width"] = model_->input_width();
    d["input_length"] = model_->input_length();
    d["heads"] = heads;
    d["output_precision"] = model_->output_precision();
    d["output_width"] = model_->output_width();
    d["output_length"] = model_->output_length();
    d["storage_size"] = model_->storage_size();
    d["planned_memory_bytes"] = model_->plan().bytes();
    return d;
  }

  /// The post-processed output, or with heads=true the heads.
  py::object run(const py::handle& x, const std::string& backend, bool heads) {
    cvm::Runtime& rt = runtime(backend);
    const cvm::Tensor input = input_tensor(*model_, x);
    std::vector<cvm::Tensor> out;
    cvm::OutputValues post;
    {
      py::gil_scoped_release release;
      out = rt.run(input);
      if (!heads) post = cvm::postprocess(*model_, out);
    }
    if (!heads) return to_array(post.shape, post.data);
    py::list l;
    for (const cvm::Tensor& t : out) l.append(to_array(t.shape, t.data));
    py::object result = std::move(l);
    return result;
  }

  /// Every operator node's outputs, in execution order, then the
  /// post-processed output: ([(node, [outputs])], output).
  py::tuple trace(const py::handle& x, const std::string& backend) {
    cvm::Runtime& rt = runtime(backend);
    const cvm::Tensor input = input_tensor(*model_, x);
    std::vector<std::pair<size_t, std::vector<cvm::Tensor>>> seen;
    cvm::OutputValues post;
    {
      py::gil_scoped_release release;
      const cvm::NodeObserver observer = [&seen](size_t node, std::span<const cvm::Tensor> outs) {
        seen.emplace_back(node, std::vector<cvm::Tensor>(outs.begin(), outs.end()));
      };
      post = cvm::postprocess(*model_, rt.run(input, &observer));
    }
    py::list nodes;
    for (const auto& entry : seen) {
      py::list outs;
      for (const cvm::Tensor& t : entry.second) outs.append(to_array(t.shape, t.data));
      nodes.append(py::make_tuple(entry.first, outs));
    }
    return py::make_tuple(nodes, to_array(post.shape, post.data));
  }

  /// certify(): the fields of `cvm prove --json` less the hashes.
  py::dict certificate() const {
    cvm::Certificate cert;
    {
      py::gil_scoped_release release;
      cert = cvm::certify(*model_);
    }
    py::list nodes;
    for (const cvm::NodeCertificate& n : cert.nodes) {
      py::dict node;
      node["node"] = n.node;
      node["name"] = n.name;
      node["op"] = n.op;
      node["input_precisions"] = n.input_precisions;
      node["output_precisions"] = n.output_precisions;
      py::list intervals;
      for (const cvm::ValueInterval& v : n.intervals) {
        py::list pair;
        pair.append(v.lo);
        pair.append(v.hi);
        intervals.append(pair);
      }
      node["intervals"] = intervals;
      node["headroom_bits"] = n.headroom_bits;
      node["lemmas"] = n.lemmas;
      node["verdict"] = n.proved ? "safe" : "UNPROVED";
      nodes.append(node);
    }
    py::dict d;
    d["nodes"] = nodes;
    d["nodes_proved"] = cert.nodes_proved;
    d["never_runs"] = cert.never_runs;
    d["certified"] = cert.certified;
    return d;
  }

 private:
  std::shared_ptr<const cvm::Model> model_;
  std::mutex mutex_;
  std::map<std::string, std::unique_ptr<cvm::Runtime>> runtimes_;
};

std::string version_string() { return cvm::build_info().version; }

}  // namespace

PYBIND11_MODULE(_cvm, m) {
  m.doc() = "The C++ runtime of cvm (low level; use the package cvm).";

  py::register_exception_translator([](std::exception_ptr p) {
    try {
      if (p) std::rethrow_exception(p);
    } catch (const cvm::LogicError& e) {
      raise_cvm_error("LogicError", e.label(), e.what());
    } catch (const cvm::RuntimeError& e) {
      raise_cvm_error("RuntimeFault", e.label(), e.what());
    }
  });

  m.attr("__version__") = version_string();

  py::class_<PyModel>(m, "_Model")
      .def("info", &PyModel::info)
      .def("gas", [](const PyModel& self) { return self.model().gas(); })
      .def("run", &PyModel::run, py::arg("x"), py::arg("backend"), py::arg("heads"))
      .def("trace", &PyModel::trace, py::arg("x"), py::arg("backend"))
      .def("certificate", &PyModel::certificate);

  m.def(
      "load",
      [](const py::bytes& symbol, const py::bytes& params, int64_t memory_cap) {
        const std::string_view s = symbol;
        const std::string_view p = params;
        cvm::LoadOptions options;
        options.memory_cap_bytes = memory_cap;
        std::shared_ptr<const cvm::Model> model;
        {
          py::gil_scoped_release release;
          model = cvm::Model::load(s, p, options);
        }
        return std::make_unique<PyModel>(std::move(model));
      },
      py::arg("symbol"), py::arg("params"), py::arg("memory_cap"));

  m.def(
      "symbol_gas",
      [](const py::bytes& symbol) {
        const std::string_view s = symbol;
        return cvm::load_graph(s).gas;
      },
      py::arg("symbol"));

  m.def("backends", &cvm::backend_names);

  m.def("build_info", [] {
    const cvm::BuildInfo& b = cvm::build_info();
    py::dict d;
    d["version"] = b.version;
    d["commit"] = b.commit;
    d["compiler"] = b.compiler;
    d["build_type"] = b.build_type;
    d["backends"] = b.backends;
    d["isa_level"] = cvm::isa_level();
    return d;
  });
}
