// The directed cases of the element-wise, broadcast, transform, reduce,
// pooling, vision and GEMM (conv2d, dense) ops, written once as data and run on every backend
// (oracle/directed_test.cc: reference and fast at every ISA level and thread
// count; oracle/cuda_directed_test.cc: the same plus CUDA). Each list aims at what
// distinguishes the kernels: size-1 dims, every attribute variant (negative
// axes and strides, clamping, index clipping), precisions 1, 8 and 32 with
// extreme values, and the boundaries of the kernels' tiles, chunks, parts and
// launch shapes, each group commented with the boundary it is about.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "cvm/attrs.h"
#include "cvm/tensor.h"

namespace cvm::oracle {

/// What the reference must do with a case, so that a test never passes on
/// a rejection alone (every backend rejecting alike counts as agreement).
enum class Expect { accepted, rejected, either };

/// One application of an op, named "<group> #<n>" after the comment of its
/// group in the case file.
struct DirectedCase {
  std::string name;
  std::string op;
  AttrMap attrs;
  std::vector<Tensor> inputs;
  Expect reference = Expect::accepted;
};

/// Which backends a list is built for: the CUDA list adds the launch-shape
/// cases of the CUDA kernels, which are too large to run on every fast
/// configuration and test no boundary of the fast kernels.
enum class Backends { reference_and_fast, with_cuda };

/// The ops that have directed cases here.
std::vector<std::string> directed_ops();

/// The directed cases of `op` (empty for an op not in directed_ops()).
std::vector<DirectedCase> directed_cases(const std::string& op, Backends backends);

/// Builds one op's list: names the cases of each group and hands out the
/// seeds of the inputs, so that a list reads as op, attributes and inputs.
class CaseList {
 public:
  CaseList(std::string op, Backends backends);

  /// The following cases' group ("blocked tile boundaries").
  void group(const std::string& name);
  /// The next seeded input of this list (seeded_tensor, fast_support.h).
  Tensor x(const Shape& shape, int precision);
  /// The next seeded index tensor: precision 32, values in [lo, hi] (support.h's indices).
  Tensor index(const Shape& shape, int64_t lo, int64_t hi);
  /// Adds a case of this list's op.
  void add(AttrMap attrs, std::vector<Tensor> inputs, Expect reference = Expect::accepted);
  /// True when the list is built for the CUDA backend too.
  bool with_cuda() const { return backends_ == Backends::with_cuda; }
  const std::string& op() const { return op_; }
  std::vector<DirectedCase> take() { return std::move(cases_); }

 private:
  std::string op_;
  Backends backends_;
  uint64_t seed_;
  std::string group_ = "cases";
  int in_group_ = 0;
  std::vector<DirectedCase> cases_;
};

/// An op and the function that writes its list (`void <op>_cases(CaseList& c)`).
struct OpCaseList {
  const char* op;
  void (*fill)(CaseList&);
};

/// The lists of each family, one file each.
const std::vector<OpCaseList>& transform_case_lists();
const std::vector<OpCaseList>& reduce_case_lists();
const std::vector<OpCaseList>& vision_case_lists();
const std::vector<OpCaseList>& elementwise_case_lists();
const std::vector<OpCaseList>& nn_case_lists();

}  // namespace cvm::oracle
