// cvm_make_examples [--seed N] OUTDIR: writes the bundled example models
// OUTDIR/mnist_cnn/{symbol,params,input.npy} and
// OUTDIR/detection/{symbol,params,input.npy} (see make_examples.cc).
// cvm_make_examples --resnet18 [--batch N] [--seed N] OUTDIR: writes the
// ResNet-18-shaped benchmark model OUTDIR/resnet18 (resnet18.h; not committed:
// 11 MB of random weights).
//
// The committed examples are regenerated with `cvm_make_examples examples`
// from the repository root (default seed). Exit codes follow the cvm tool:
// 0 ok, 1 usage or logic error, 2 runtime error (e.g. a file cannot be written).
#include <cstdlib>
#include <exception>
#include <iostream>
#include <string>

#include "cvm/errors.h"
#include "make_examples.h"
#include "resnet18.h"

namespace {

int usage(const char* argv0) {
  std::cerr << "usage: " << argv0 << " [--seed N] OUTDIR\n"
            << "       " << argv0 << " --resnet18 [--batch N] [--seed N] OUTDIR\n"
            << "writes OUTDIR/mnist_cnn and OUTDIR/detection (symbol, params, input.npy);\n"
            << "the default seed " << cvm::examples::kDefaultSeed
            << " gives the committed examples/\n";
  return 1;
}

bool parse_seed(const std::string& text, uint64_t& seed) {
  if (text.empty() || text.find_first_not_of("0123456789") != std::string::npos) return false;
  try {
    size_t used = 0;
    seed = std::stoull(text, &used, 10);
    return used == text.size();
  } catch (const std::exception&) {
    return false;
  }
}

}  // namespace

int main(int argc, char** argv) {
  uint64_t seed = cvm::examples::kDefaultSeed;
  uint64_t batch = 1;
  bool resnet = false;
  std::string outdir;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--help" || arg == "-h") {
      usage(argv[0]);
      return 0;
    }
    if (arg == "--resnet18") {
      resnet = true;
    } else if (arg == "--batch") {
      if (i + 1 >= argc || !parse_seed(argv[i + 1], batch) || batch < 1 || batch > 1024)
        return usage(argv[0]);
      ++i;
    } else if (arg == "--seed") {
      if (i + 1 >= argc || !parse_seed(argv[i + 1], seed)) return usage(argv[0]);
      ++i;
    } else if (arg.rfind("--seed=", 0) == 0) {
      if (!parse_seed(arg.substr(7), seed)) return usage(argv[0]);
    } else if (outdir.empty() && !arg.empty() && arg[0] != '-') {
      outdir = arg;
    } else {
      return usage(argv[0]);
    }
  }
  if (outdir.empty()) return usage(argv[0]);
  try {
    if (resnet) {
      const auto m = cvm::examples::make_resnet18(static_cast<int64_t>(batch), seed);
      cvm::examples::write_example(outdir, m.files);
      std::cout << "wrote " << outdir << "/resnet18 (batch " << batch << ", seed " << seed << ", "
                << m.macs << " multiply-adds)\n";
      return 0;
    }
    cvm::examples::write_examples(outdir, seed);
  } catch (const cvm::LogicError& e) {
    std::cerr << "error: " << e.what() << "\n";
    return 1;
  } catch (const std::exception& e) {
    std::cerr << "error: " << e.what() << "\n";
    return 2;
  }
  std::cout << "wrote " << outdir << "/mnist_cnn and " << outdir << "/detection (seed " << seed
            << ")\n";
  return 0;
}
