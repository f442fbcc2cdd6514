#include "directed/directed_cases.h"

#include <utility>

#include "cvm/errors.h"
#include "fast_support.h"
#include "support.h"

namespace cvm::oracle {

CaseList::CaseList(std::string op, Backends backends) : op_(std::move(op)), backends_(backends), seed_(1) {
  // Each op its own stream, so that no two lists share their inputs.
  for (char ch : op_) seed_ = seed_ * 131 + static_cast<unsigned char>(ch);
}

void CaseList::group(const std::string& name) {
  group_ = name;
  in_group_ = 0;
}

Tensor CaseList::x(const Shape& shape, int precision) { return seeded_tensor(shape, precision, seed_++); }

Tensor CaseList::index(const Shape& shape, int64_t lo, int64_t hi) { return indices(shape, lo, hi, seed_++); }

void CaseList::add(AttrMap attrs, std::vector<Tensor> inputs, Expect reference) {
  cases_.push_back({str(group_, " #", ++in_group_), op_, std::move(attrs), std::move(inputs), reference});
}

namespace {

std::vector<OpCaseList> all_lists() {
  std::vector<OpCaseList> all;
  for (const auto* family : {&elementwise_case_lists(), &transform_case_lists(), &reduce_case_lists(),
                             &vision_case_lists(), &nn_case_lists()})
    all.insert(all.end(), family->begin(), family->end());
  return all;
}

}  // namespace

std::vector<std::string> directed_ops() {
  std::vector<std::string> ops;
  for (const OpCaseList& l : all_lists()) ops.push_back(l.op);
  return ops;
}

std::vector<DirectedCase> directed_cases(const std::string& op, Backends backends) {
  for (const OpCaseList& l : all_lists())
    if (op == l.op) {
      CaseList c(op, backends);
      l.fill(c);
      return c.take();
    }
  return {};
}

}  // namespace cvm::oracle
