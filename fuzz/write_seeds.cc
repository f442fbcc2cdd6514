// cvm_fuzz_seeds SOURCE_DIR OUT_DIR [TARGET...]: writes each target's seed
// corpus to OUT_DIR/<target>/ (emptied first), one file per seed. The seeds
// are deterministic (fuzz/seeds.cc), so they are generated, not committed.
#include <cstdio>
#include <filesystem>
#include <fstream>

#include "fuzz/target.h"

int main(int argc, char** argv) {
  namespace fs = std::filesystem;
  if (argc < 3) {
    std::fprintf(stderr, "usage: %s SOURCE_DIR OUT_DIR [TARGET...]\n", argv[0]);
    return 2;
  }
  const std::string source_dir = argv[1];
  const fs::path out = argv[2];
  try {
    for (const cvm::fuzz::Target& t : cvm::fuzz::targets()) {
      bool wanted = argc == 3;
      for (int i = 3; i < argc; ++i) wanted |= t.name == argv[i];
      if (!wanted) continue;
      const fs::path dir = out / std::string(t.name);
      fs::remove_all(dir);
      fs::create_directories(dir);
      const std::vector<std::string> seeds = t.seeds(source_dir);
      for (size_t k = 0; k < seeds.size(); ++k) {
        char name[32];
        std::snprintf(name, sizeof name, "seed_%03zu", k);
        std::ofstream f(dir / name, std::ios::binary);
        f.write(seeds[k].data(), static_cast<std::streamsize>(seeds[k].size()));
        if (!f) throw std::runtime_error("cannot write " + (dir / name).string());
      }
      std::printf("%s: %zu seeds in %s\n", std::string(t.name).c_str(), seeds.size(), dir.c_str());
    }
  } catch (const std::exception& e) {
    std::fprintf(stderr, "cvm_fuzz_seeds: %s\n", e.what());
    return 1;
  }
  return 0;
}
