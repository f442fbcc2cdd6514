// The cvm command-line tool.
//
//   cvm op CASE.json      run one operator case on the reference backend and
//                         print its outputs, gas weight and verdict
//   cvm ops               list the registered operators
//
// Exit codes follow the C API: 0 ok, 1 logic error (invalid input),
// 2 runtime error (bound violated, I/O), 3 expected output mismatch.
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>

#include "cvm/errors.h"
#include "cvm/op.h"
#include "cvm/op_case.h"
#include "cvm/validate.h"

namespace {

int usage() {
  std::cerr << "usage: cvm op CASE.json | cvm ops\n";
  return 2;
}

int run_case(const std::string& path) {
  std::ifstream in(path);
  if (!in) {
    std::cerr << "error (runtime): cannot read " << path << "\n";
    return 2;
  }
  std::stringstream ss;
  ss << in.rdbuf();
  const cvm::OpCase c = cvm::parse_op_case(ss.str());
  std::cout << "op: " << c.op << "\n";
  for (size_t i = 0; i < c.inputs.size(); ++i)
    std::cout << "input " << i << " " << c.input_names[i] << ": shape "
              << cvm::shape_str(c.inputs[i].shape) << ", precision " << c.inputs[i].precision << "\n";
  const cvm::OpRun run = cvm::run_reference(c.op, c.attrs, c.inputs);
  for (size_t i = 0; i < run.outputs.size(); ++i) {
    const cvm::Tensor& t = run.outputs[i];
    std::cout << "output " << i << ": shape " << cvm::shape_str(t.shape) << ", precision "
              << t.precision << "\n  " << cvm::tensors_to_json({t}) << "\n";
  }
  std::cout << "gas weight: " << run.gas_weight << " per output element\n";
  if (!c.outputs.empty()) {
    const bool same = c.outputs == run.outputs;
    std::cout << "expected outputs: " << (same ? "match" : "MISMATCH") << "\n";
    if (!same) return 3;
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) return usage();
  const std::string cmd = argv[1];
  try {
    if (cmd == "ops" && argc == 2) {
      for (const cvm::OpDef* op : cvm::all_ops()) std::cout << op->name << "\n";
      return 0;
    }
    if (cmd == "op" && argc == 3) return run_case(argv[2]);
  } catch (const cvm::LogicError& e) {
    std::cerr << "error (logic): " << e.what() << "\n";
    return 1;
  } catch (const std::logic_error& e) {
    std::cerr << "error (logic): " << e.what() << "\n";
    return 1;
  } catch (const std::exception& e) {
    std::cerr << "error (runtime): " << e.what() << "\n";
    return 2;
  }
  return usage();
}
