// Fused epilogues against the unfused chain they replace: conv2d or dense
// followed by elementwise steps (cvm_right_shift, clip, cvm_clip, relu), run
// once by the fused fast kernel and once op by op on the reference. Shared by
// the GEMM and the depthwise kernels' tests.
#pragma once

#include <optional>
#include <sstream>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "cvm/attrs.h"
#include "cvm/epilogue.h"
#include "cvm/tensor.h"
#include "cvm/validate.h"
#include "fast/epilogue.h"
#include "fast/int8_handoff.h"
#include "fast/kernel.h"
#include "fast/run_op.h"
#include "fast/thread_pool.h"
#include "fast_support.h"
#include "support.h"

namespace cvm::oracle {

/// One elementwise operator application after conv2d or dense.
struct ChainStep {
  std::string op;
  AttrMap attrs;
};

/// The chains the fused-kernel tests run: shifts with and without rounding
/// carries, relu before and after, clips to narrow and to 1-bit precision,
/// a 32-bit shift, and a three-step chain.
inline const std::vector<std::vector<ChainStep>>& epilogue_chains() {
  static const std::vector<std::vector<ChainStep>> c{
      {{"cvm_right_shift", {{"precision", "8"}, {"shift_bit", "7"}}}},
      {{"cvm_right_shift", {{"precision", "8"}, {"shift_bit", "1"}}}, {"relu", {}}},
      {{"relu", {}}, {"cvm_right_shift", {{"precision", "6"}, {"shift_bit", "4"}}}},
      {{"cvm_right_shift", {{"precision", "32"}, {"shift_bit", "32"}}}},
      {{"clip", {{"a_min", "-100"}, {"a_max", "3000"}}}, {"cvm_clip", {{"precision", "9"}}}},
      {{"cvm_clip", {{"precision", "1"}}}},
      {{"cvm_right_shift", {{"precision", "16"}, {"shift_bit", "3"}}},
       {"clip", {{"a_min", "-5"}, {"a_max", "7"}}},
       {"relu", {}}},
  };
  return c;
}

/// `op` (conv2d or dense) on the reference, then each step on the
/// reference (a step "elemwise_add" adds `residual`); sets *epi to the
/// fused epilogue of the steps. Returns the chain's value, or "" in *error.
inline Tensor reference_chain(const std::string& op, const AttrMap& attrs, const std::vector<Tensor>& inputs,
                              const std::vector<ChainStep>& steps, const Tensor* residual, Epilogue* epi,
                              std::string* error) {
  std::vector<Tensor> cur = run_reference(op, attrs, inputs).outputs;
  for (const ChainStep& s : steps) {
    if (s.op == "elemwise_add") {
      cur = run_reference("elemwise_add", {}, {cur[0], *residual}).outputs;
      epi->residual_at = epi->count;
      continue;
    }
    cur = run_reference(s.op, s.attrs, cur).outputs;
    const ValidatedOp v = validate_op(s.op, s.attrs, {cur[0].type()});
    const std::optional<EpilogueStep> st = epilogue_step(*v.op, v.attrs);
    if (!st) {
      *error = "no epilogue step for " + std::string(s.op);
      return cur[0];
    }
    epi->push(*st);
  }
  return cur[0];
}

/// Runs `op` (conv2d or dense) on the reference, then each step on the
/// reference (a step "elemwise_add" adds `residual`: conv2d only); runs the fused kernel (through a NodeSpec from validate_op,
/// outputs poisoned) with every thread count of kFastThreadCounts, both
/// constant modes and every ISA level the CPU has; returns "" or a report of
/// the first difference.
inline std::string fused_vs_chain(const std::string& op, const AttrMap& attrs, const std::vector<Tensor>& inputs,
                                  const std::vector<ChainStep>& steps, const Tensor* residual = nullptr) {
  Epilogue epi;
  std::string error;
  const Tensor want = reference_chain(op, attrs, inputs, steps, residual, &epi, &error);
  if (!error.empty()) return error;
  Types types;
  for (const Tensor& t : inputs) types.push_back(t.type());
  const ValidatedOp v = validate_op(op, attrs, types);
  Inputs in;
  for (const Tensor& t : inputs) in.push_back(&t);
  if (epi.has_residual()) in.push_back(residual);
  for (fast::Isa isa : fast::available_isas())
    for (int threads : kFastThreadCounts)
      for (bool constant : {false, true}) {
        fast::NodeSpec spec{.op = v.op, .attrs = v.attrs, .inputs = types, .outputs = {want.type()}, .constants = {}};
        for (const Tensor& t : inputs) spec.constants.push_back(constant ? &t : nullptr);
        const fast::KernelOptions options{.isa = isa};
        auto kernel = op == "conv2d" ? fast::make_conv2d_fused(spec, epi, options)
                                     : fast::make_dense_fused(spec, epi, options);
        Tensor got{want.shape, want.precision, std::vector<int32_t>(want.data.size(), fast::kPoison)};
        fast::ThreadPool pool(threads);
        kernel->run(in, {&got}, fast::Exec(&pool, isa));
        for (size_t i = 0; i < want.data.size(); ++i)
          if (got.data[i] != want.data[i]) {
            std::ostringstream os;
            os << op << " fused, " << threads << " threads, " << fast::isa_name(isa)
               << (constant ? ", constant" : "") << ": element " << i << " is " << got.data[i]
               << ", want " << want.data[i];
            return os.str();
          }
      }
  return "";
}

/// The int8 hand-off (fast/int8_handoff.h) of a conv2d chain whose output
/// has precision <= 8, against the unfused chain on the reference: the fused
/// kernel runs with x handed over as bytes, y handed over as bytes and both,
/// at every ISA level the CPU has (the int8 levels read and write the bytes
/// directly, the others convert), every thread count of kFastThreadCounts,
/// constant weights as the program has them. The bytes of x are written
/// over a poisoned int32 buffer, and y's over one too, so a path that reads
/// x as int32 or leaves a byte unwritten fails. Returns "" or a report of
/// the first difference. A step "elemwise_add" adds `residual`, passed as
/// int32 and as bytes.
inline std::string handoff_vs_chain(const AttrMap& attrs, const std::vector<Tensor>& inputs,
                                    const std::vector<ChainStep>& steps, const Tensor* residual = nullptr) {
  Epilogue epi;
  std::string error;
  const Tensor want = reference_chain("conv2d", attrs, inputs, steps, residual, &epi, &error);
  if (!error.empty()) return error;
  if (want.precision > 8 || inputs[0].precision > 8) return "the chain's x and output must have precision <= 8";
  Types types;
  for (const Tensor& t : inputs) types.push_back(t.type());
  const ValidatedOp v = validate_op("conv2d", attrs, types);
  // x as bytes u = x + 128 at the start of a poisoned buffer.
  Tensor x_bytes{inputs[0].shape, inputs[0].precision, std::vector<int32_t>(inputs[0].data.size(), fast::kPoison)};
  for (size_t i = 0; i < inputs[0].data.size(); ++i)
    fast::handoff_bytes(x_bytes)[i] = static_cast<uint8_t>(inputs[0].data[i] + 128);
  // The residual so too, where it has precision <= 8.
  Tensor residual_bytes;
  if (epi.has_residual()) {
    if (residual->precision > 8) return "the residual must have precision <= 8";
    residual_bytes = Tensor{residual->shape, residual->precision,
                            std::vector<int32_t>(residual->data.size(), fast::kPoison)};
    for (size_t i = 0; i < residual->data.size(); ++i)
      fast::handoff_bytes(residual_bytes)[i] = static_cast<uint8_t>(residual->data[i] + 128);
  }
  // Which of x, y and the residual pass as bytes.
  std::vector<std::tuple<bool, bool, bool>> combos{{true, false, false}, {false, true, false}, {true, true, false}};
  if (epi.has_residual()) combos.insert(combos.end(), {{false, false, true}, {true, true, true}});
  for (fast::Isa isa : fast::available_isas())
    for (int threads : kFastThreadCounts)
      for (const auto& [x_as_bytes, y_as_bytes, residual_as_bytes] : combos) {
        fast::NodeSpec spec{.op = v.op, .attrs = v.attrs, .inputs = types, .outputs = {want.type()}, .constants = {}};
        for (const Tensor& t : inputs) spec.constants.push_back(&t == &inputs[0] ? nullptr : &t);
        const fast::KernelOptions options{
            .isa = isa, .x_as_bytes = x_as_bytes, .y_as_bytes = y_as_bytes, .residual_as_bytes = residual_as_bytes};
        auto kernel = fast::make_conv2d_fused(spec, epi, options);
        Inputs in;
        for (const Tensor& t : inputs) in.push_back(&t == &inputs[0] && x_as_bytes ? &x_bytes : &t);
        if (epi.has_residual()) in.push_back(residual_as_bytes ? &residual_bytes : residual);
        Tensor got{want.shape, want.precision, std::vector<int32_t>(want.data.size(), fast::kPoison)};
        fast::ThreadPool pool(threads);
        kernel->run(in, {&got}, fast::Exec(&pool, isa));
        for (size_t i = 0; i < want.data.size(); ++i) {
          const int32_t value = y_as_bytes ? int32_t{fast::handoff_bytes(got)[i]} - 128 : got.data[i];
          if (value != want.data[i]) {
            std::ostringstream os;
            os << "conv2d hand-off (x " << (x_as_bytes ? "bytes" : "int32") << ", y "
               << (y_as_bytes ? "bytes" : "int32") << ", residual " << (residual_as_bytes ? "bytes" : "int32")
               << "), " << threads << " threads, " << fast::isa_name(isa)
               << ", on the int8 GEMM: " << fast::conv2d_on_int8_gemm(spec, options) << ": element " << i
               << " is " << value << ", want " << want.data[i];
            return os.str();
          }
        }
      }
  return "";
}

}  // namespace cvm::oracle
