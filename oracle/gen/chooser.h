// Where the generators' choices come from. One generator, three sources:
// a seeded stream (the live cross-check and CI), RapidCheck (properties,
// with shrinking), and a fuzzer's bytes (fuzz/).
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace cvm::gen {

class Chooser {
 public:
  virtual ~Chooser() = default;
  /// A value in [lo, hi]; lo <= hi. Sources that shrink move toward lo.
  virtual int64_t range(int64_t lo, int64_t hi) = 0;

  bool coin() { return range(0, 1) == 1; }
  /// True with probability about 1/n.
  bool one_in(int64_t n) { return range(0, n - 1) == 0; }
  template <typename T>
  const T& pick(std::span<const T> items) {
    return items[static_cast<size_t>(range(0, static_cast<int64_t>(items.size()) - 1))];
  }
  template <typename T>
  const T& pick(const std::vector<T>& items) {
    return pick(std::span<const T>(items));
  }
};

/// splitmix64 over a seed: the same seed gives the same choices everywhere.
class SeededChooser final : public Chooser {
 public:
  explicit SeededChooser(uint64_t seed) : state_(seed) {}
  int64_t range(int64_t lo, int64_t hi) override;

 private:
  uint64_t next();
  uint64_t state_;
};

/// Reads choices from a byte string (libFuzzer input); once the bytes run
/// out every choice is `lo`, so generation always terminates.
class BytesChooser final : public Chooser {
 public:
  explicit BytesChooser(std::span<const uint8_t> bytes) : bytes_(bytes) {}
  int64_t range(int64_t lo, int64_t hi) override;
  bool exhausted() const { return pos_ >= bytes_.size(); }

 private:
  std::span<const uint8_t> bytes_;
  size_t pos_ = 0;
};

}  // namespace cvm::gen
