#include "gen/chooser.h"

namespace cvm::gen {

uint64_t SeededChooser::next() {
  uint64_t z = (state_ += 0x9E3779B97F4A7C15ULL);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

int64_t SeededChooser::range(int64_t lo, int64_t hi) {
  // Unsigned span arithmetic: hi - lo may exceed INT64_MAX.
  const uint64_t span = static_cast<uint64_t>(hi) - static_cast<uint64_t>(lo);
  if (span == UINT64_MAX) return static_cast<int64_t>(next());
  return static_cast<int64_t>(static_cast<uint64_t>(lo) + next() % (span + 1));
}

int64_t BytesChooser::range(int64_t lo, int64_t hi) {
  const uint64_t span = static_cast<uint64_t>(hi) - static_cast<uint64_t>(lo);
  if (span == 0) return lo;
  // Just enough bytes for the span, little-endian.
  uint64_t v = 0;
  for (uint64_t s = span; s != 0 && pos_ < bytes_.size(); s >>= 8)
    v = (v << 8) | bytes_[pos_++];
  if (span != UINT64_MAX) v %= span + 1;
  return static_cast<int64_t>(static_cast<uint64_t>(lo) + v);
}

}  // namespace cvm::gen
