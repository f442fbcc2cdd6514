// Runs every `.. cvm-example::` block of spec/ops/*.rst and spec/errata/*.rst
// through the validator and the reference, and compares bit for bit.
#include <filesystem>
#include <fstream>
#include <sstream>

#include "cvm/errors.h"
#include "cvm/op_case.h"
#include "support.h"

namespace cvm::oracle {
namespace {

namespace fs = std::filesystem;

std::string read_file(const fs::path& p) { return read_text(p.string()); }

struct ExampleParam {
  std::string name;     // test name
  std::string default_op;
  SpecExample example;
};

std::vector<ExampleParam> collect() {
  std::vector<ExampleParam> out;
  for (const char* dir : {"spec/ops", "spec/errata"}) {
    const fs::path root = fs::path(source_dir()) / dir;
    if (!fs::exists(root)) continue;
    std::vector<fs::path> files;
    for (const auto& e : fs::directory_iterator(root))
      if (e.path().extension() == ".rst") files.push_back(e.path());
    std::sort(files.begin(), files.end());
    for (const fs::path& f : files) {
      const std::string stem = f.stem().string();
      // In spec/ops the page's op is the default; errata cases name their op.
      const std::string default_op = std::string(dir) == "spec/ops" ? stem : "";
      int n = 0;
      for (SpecExample& ex : extract_examples(read_file(f), (fs::path(dir) / f.filename()).string()))
        out.push_back({(std::string(dir) == "spec/ops" ? "" : "errata_") + stem + "_" +
                           std::to_string(++n),
                       default_op, std::move(ex)});
    }
  }
  return out;
}

// Names the example by its file and line in test listings and failures.
void PrintTo(const ExampleParam& p, std::ostream* os) {
  *os << p.example.file << ":" << p.example.line;
}

class SpecExample_ : public ::testing::TestWithParam<ExampleParam> {};

TEST_P(SpecExample_, runs_as_written) {
  const ExampleParam& p = GetParam();
  SCOPED_TRACE(p.example.file + ":" + std::to_string(p.example.line));
  const OpCase c = parse_op_case(p.example.json, p.default_op);
  if (c.error_class) {
    ASSERT_TRUE(c.error_label.has_value());
    if (*c.error_class == "logic")
      expect_rejected(*c.error_label, c.op, c.attrs, c.inputs);
    else if (*c.error_class == "runtime")
      expect_runtime_error(*c.error_label, c.op, c.attrs, c.inputs);
    else
      FAIL() << "error class must be logic or runtime, got " << *c.error_class;
    return;
  }
  ASSERT_FALSE(c.outputs.empty()) << "an example needs outputs or an error";
  expect_outputs(c.op, c.attrs, c.inputs, c.outputs, c.gas_weight);
}

INSTANTIATE_TEST_SUITE_P(spec, SpecExample_, ::testing::ValuesIn(collect()),
                         [](const auto& p) { return p.param.name; });

}  // namespace
}  // namespace cvm::oracle
