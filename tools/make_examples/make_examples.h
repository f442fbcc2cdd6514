// The bundled example models (examples/mnist_cnn, examples/detection), built
// in code by a seeded, deterministic generator. See make_examples.cc for what
// each model is and how its weights and input are chosen; examples/README.md
// for their shapes, precisions and gas.
//
// Regenerate the committed files with
//
//   build/tools/make_examples/cvm_make_examples examples
//
// The oracle test model_examples_test.cc runs this generator into a temporary
// directory and requires the bytes of the committed files.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace cvm::examples {

/// The seed the committed examples were generated with.
inline constexpr uint64_t kDefaultSeed = 20240607;

/// splitmix64 (Steele, Lea, Flood 2014): a tiny PRNG whose output is fixed by
/// its definition, unlike std::uniform_int_distribution's, so the generated
/// files are the same with every compiler and standard library.
class SplitMix64 {
 public:
  explicit SplitMix64(uint64_t seed) : state_(seed) {}
  uint64_t next();
  /// A value in [lo, hi] (lo <= hi): next() mod (hi - lo + 1), plus lo. The
  /// modulo bias (below 2^-40 for these ranges) does not matter here.
  int32_t uniform(int32_t lo, int32_t hi);

 private:
  uint64_t state_;
};

/// One example model as the bytes of its three files.
struct ExampleModel {
  std::string name;       ///< directory name: "mnist_cnn" or "detection"
  std::string symbol;     ///< the graph JSON (file `symbol`)
  std::string params;     ///< the params file (file `params`)
  std::string input_npy;  ///< the bundled input (file `input.npy`)
};

/// The MNIST-sized CNN (postprocess "argmax").
ExampleModel make_mnist_cnn(uint64_t seed = kDefaultSeed);
/// The detection tail get_valid_counts -> non_max_suppression (postprocess
/// "detection"). It has no parameters; the seed is accepted for uniformity
/// and unused (its input boxes are written out explicitly).
ExampleModel make_detection(uint64_t seed = kDefaultSeed);
/// Both, in this order.
std::vector<ExampleModel> make_examples(uint64_t seed = kDefaultSeed);

/// Writes OUTDIR/<m.name>/{symbol,params,input.npy}, creating the
/// directories. A failure to write is a RuntimeError labelled "io".
void write_example(const std::string& outdir, const ExampleModel& m);

/// Writes OUTDIR/<name>/{symbol,params,input.npy} for every example, creating
/// the directories. A failure to write is a RuntimeError labelled "io".
void write_examples(const std::string& outdir, uint64_t seed = kDefaultSeed);

}  // namespace cvm::examples
