// Internal helpers of the op-case generators (op_cases.cc, ops_*.cc).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "gen/op_cases.h"

namespace cvm::gen::detail {

/// An application before validation.
struct Draft {
  AttrMap attrs;
  Types inputs;
};

/// One attempt's state: the chooser, the request and how far retrying got
/// (later attempts draw smaller precisions, so op_c3 rejections fade).
struct Ctx {
  Chooser& c;
  const CaseRequest& req;
  int attempt = 0;
  int64_t max_elements = 4096;  // effective bound (>= 1, >= |request.input0|)
  int64_t max_work = 1 << 18;

  /// Upper precision bound of this attempt.
  int cap() const { return attempt < 4 ? 32 : attempt < 8 ? 24 : attempt < 12 ? 16 : 8; }
  /// random_precision in [lo, min(hi, cap)] (at least lo).
  int prec(int lo, int hi);
  /// A rank in [lo, hi].
  int rank(int lo, int hi) { return static_cast<int>(c.range(lo, hi)); }
  /// A random shape/precision type.
  TensorType type(int rank_lo, int rank_hi, int p_lo, int p_hi, int64_t max_elems);
  /// request.input0 when it is set and `ok` accepts it.
  template <typename Pred>
  std::optional<TensorType> input0(Pred ok) const {
    if (req.input0 && ok(*req.input0)) return req.input0;
    return std::nullopt;
  }
};

using Builder = std::optional<Draft> (*)(Ctx&);

/// The builder of an op, per family; nullptr when the family has no such op.
Builder elementwise_builder(std::string_view op);
Builder nn_builder(std::string_view op);
Builder transform_builder(std::string_view op);
Builder vision_builder(std::string_view op);

/// Attribute spelling helpers.
std::string itos(int64_t v);
std::string tup(const std::vector<int64_t>& v);
/// Sometimes omits `key` (default), else sets it to "true" or "false".
void maybe_bool(Chooser& c, AttrMap& attrs, const char* key);
/// Sometimes omits `key`, else sets it to `value` (a default spelled out).
void maybe_default(Chooser& c, AttrMap& attrs, const char* key, const char* value);

int64_t size_of(const Shape& s);
/// Elements of a shape, saturating (never overflows).
int64_t sat_mul(int64_t a, int64_t b);

}  // namespace cvm::gen::detail
