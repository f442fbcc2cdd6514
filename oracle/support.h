// Helpers shared by the oracle tests: building tensors, running an op on the
// reference and comparing bit for bit, and checking rejections by label.
#pragma once

#include <gtest/gtest.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "cvm/attrs.h"
#include "cvm/tensor.h"
#include "cvm/validate.h"

namespace cvm::oracle {

/// A tensor literal: T({2, 3}, 8, {1, 2, 3, 4, 5, 6}).
Tensor T(Shape shape, int precision, std::vector<int32_t> data);

/// A maker of seeded tensors: (shape, precision, seed) -> tensor. Each test
/// file keeps its own stream, so its cases keep their values.
using SeededTensor = Tensor (*)(const Shape& shape, int precision, uint64_t seed);

/// A tensor of the given shape and precision filled with `value`.
Tensor filled(Shape shape, int precision, int32_t value);

/// Runs `op` on the reference and expects exactly `expected` (shape,
/// precision and every value), and the gas weight when given. On mismatch the
/// failure names the first differing coordinate and both values.
void expect_outputs(const std::string& op, const AttrMap& attrs, const std::vector<Tensor>& inputs,
                    const std::vector<Tensor>& expected, std::optional<int64_t> gas_weight = {});

/// Expects that running `op` is rejected with constraint `label`, as the
/// class the spec gives the label: a RuntimeError for the labels upstream
/// reports with code 2 (is_runtime_label), else a LogicError. Which class
/// each label has is itself tested against the spec pages (coverage test).
void expect_rejected(const std::string& label, const std::string& op, const AttrMap& attrs,
                     const std::vector<Tensor>& inputs);

/// Same for validation of types only (no values needed).
void expect_rejected_types(const std::string& label, const std::string& op, const AttrMap& attrs,
                           const Types& inputs);

/// Expects a RuntimeError carrying `label`.
void expect_runtime_error(const std::string& label, const std::string& op, const AttrMap& attrs,
                          const std::vector<Tensor>& inputs);

/// Compares two tensors; returns "" when equal, else a description of the
/// first difference.
std::string describe_difference(const Tensor& expected, const Tensor& actual);

/// A two-entry tuple attribute value, "(a, b)" (kernel_size, strides, ...).
std::string pair_attr(int64_t a, int64_t b);

/// A tuple attribute value of any length: "(a, b, c)", and "(a,)" for one
/// entry (the Python spelling of a 1-tuple).
std::string tuple_attr(const std::vector<int64_t>& entries);

/// The names of every registered operator (all_ops()), in registry order:
/// the parameters of the per-operator property tests.
std::vector<std::string> registered_op_names();

/// The repository root (for tests that read spec/ files).
std::string source_dir();

/// The whole contents of a text file ("" if it cannot be read).
std::string read_text(const std::string& path);

/// splitmix64: the next value of the stream whose state is s (advanced).
/// Tests use it for reproducible pseudo-random data.
inline uint64_t splitmix64(uint64_t& s) {
  uint64_t z = (s += 0x9E3779B97F4A7C15ull);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

/// An index tensor for take (precision 32): values in [lo, hi], from seed.
inline Tensor indices(const Shape& shape, int64_t lo, int64_t hi, uint64_t seed) {
  uint64_t s = seed * 104729 + 17;
  Tensor t;
  t.shape = shape;
  t.precision = 32;
  const int64_t n = shape_size(shape);
  for (int64_t i = 0; i < n; ++i) {
    const uint64_t r = splitmix64(s);
    t.data.push_back(
        static_cast<int32_t>(lo + static_cast<int64_t>(r % static_cast<uint64_t>(hi - lo + 1))));
  }
  return t;
}

}  // namespace cvm::oracle
