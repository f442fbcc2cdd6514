// The checker: every op of spec/ops.json has a complete spec page, a reference
// kernel with a precision rule and gas weight, an example, and tests; every
// label in spec/ is referenced by the code and by a test; no code or test
// refers to a label the spec does not define.
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <regex>
#include <set>
#include <sstream>

#include "cvm/errors.h"
#include "cvm/op.h"
#include "cvm/op_case.h"
#include "gen/chooser.h"
#include "gen/op_cases.h"
#include "support.h"

namespace cvm::oracle {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

std::string read_file(const fs::path& p) { return read_text(p.string()); }

fs::path root() { return fs::path(source_dir()); }

json op_table() { return json::parse(read_file(root() / "spec/ops.json")); }

std::vector<std::string> op_names() {
  std::vector<std::string> names;
  const json table = op_table();
  for (const json& op : table.at("ops")) names.push_back(op.at("name"));
  return names;
}

// Every label "<prefix>_c<N>" / "<prefix>_b<N>" in `text`.
std::set<std::string> labels_in(const std::string& text, const std::string& prefix) {
  std::set<std::string> out;
  const std::regex re("\\b" + prefix + "_[cb][0-9]+\\b");
  for (auto it = std::sregex_iterator(text.begin(), text.end(), re); it != std::sregex_iterator(); ++it)
    out.insert(it->str());
  return out;
}

// Concatenation of every file under `dir` with one of `exts`.
std::string read_tree(const fs::path& dir, std::set<std::string> exts) {
  std::string all;
  if (!fs::exists(dir)) return all;
  for (const auto& e : fs::recursive_directory_iterator(dir))
    if (e.is_regular_file() && exts.count(e.path().extension().string())) all += read_file(e.path()) + "\n";
  return all;
}

const char* kSections[] = {"Semantics",      "Inputs", "Attributes", "Constraints", "Shape rule",
                           "Precision rule", "Bounds", "Gas weight", "Example"};

class OpCoverage : public ::testing::TestWithParam<std::string> {};

TEST_P(OpCoverage, spec_page_follows_the_template) {
  const std::string op = GetParam();
  const fs::path page = root() / "spec/ops" / (op + ".rst");
  ASSERT_TRUE(fs::exists(page)) << "missing spec page " << page;
  const std::string text = read_file(page);
  EXPECT_NE(text.find(".. _op-" + op + ":"), std::string::npos) << "missing anchor .. _op-" << op << ":";
  EXPECT_NE(text.find("\n" + op + "\n==="), std::string::npos) << "title must be the op name";
  size_t pos = 0;
  for (const char* section : kSections) {
    const std::string heading = std::string("\n") + section + "\n---";
    const size_t at = text.find(heading, pos);
    EXPECT_NE(at, std::string::npos) << op << ": section '" << section << "' missing or out of order";
    if (at != std::string::npos) pos = at;
  }
  EXPECT_FALSE(extract_examples(text, page.string()).empty()) << op << ": no cvm-example";
}

TEST_P(OpCoverage, labels_are_contiguous_and_referenced) {
  const std::string op = GetParam();
  const std::string page = read_file(root() / "spec/ops" / (op + ".rst"));
  const std::set<std::string> spec_labels = labels_in(page, op);
  // Every page has at least the output-soundness bound <op>_b1.
  EXPECT_TRUE(spec_labels.count(op + "_b1")) << op << ": no bound " << op << "_b1";
  for (char kind : {'c', 'b'}) {
    int n = 0;
    for (const auto& l : spec_labels)
      if (l[op.size() + 1] == kind) ++n;
    for (int i = 1; i <= n; ++i)
      EXPECT_TRUE(spec_labels.count(op + "_" + kind + std::to_string(i)))
          << op << ": labels of kind " << kind << " are not numbered 1.." << n;
  }

  const std::string ref = read_file(root() / "reference" / (op + ".cc"));
  const std::string tests = read_file(root() / "oracle" / (op + "_test.cc"));
  ASSERT_FALSE(ref.empty()) << "missing reference/" << op << ".cc";
  ASSERT_FALSE(tests.empty()) << "missing oracle/" << op << "_test.cc";
  std::string spec_all = read_tree(root() / "spec", {".rst"});
  // A label the page's attribute block gives a field (":label:") is enforced
  // by the validator's phase 1, which reads the schema generated from it.
  std::set<std::string> schema_labels;
  for (const AttrSpec& f : attr_schema_of(op).fields)
    if (!f.label.empty()) schema_labels.insert(std::string(f.label));
  for (const std::string& l : spec_labels) {
    EXPECT_TRUE(ref.find("\"" + l + "\"") != std::string::npos || schema_labels.count(l))
        << l << " is not enforced or asserted (as \"" << l << "\") in reference/" << op
        << ".cc, nor the label of a field of the page's attribute block";
    // A constraint needs a test that violates it: the label as a string in
    // the op's test file, or as the error label of a spec/errata example.
    const bool in_tests = tests.find(l) != std::string::npos;
    const bool in_examples = spec_all.find("\"label\": \"" + l + "\"") != std::string::npos;
    EXPECT_TRUE(in_tests || in_examples) << l << " is not referenced by oracle/" << op << "_test.cc";
  }
  // No stale labels: code and tests only cite labels the spec defines.
  for (const std::string& l : labels_in(ref + tests, op))
    EXPECT_TRUE(spec_labels.count(l)) << l << " is cited in code or tests but not defined on the page";
}

TEST_P(OpCoverage, registry_matches_op_table) {
  const std::string op = GetParam();
  const OpDef* def = find_op(op);
  ASSERT_NE(def, nullptr) << op << " is not registered";
  EXPECT_NE(def->parse_attrs, nullptr);
  EXPECT_NE(def->num_inputs, nullptr);
  EXPECT_NE(def->infer, nullptr) << op << ": no shape/precision rule";
  EXPECT_NE(def->gas_weight, nullptr) << op << ": no gas weight";
  EXPECT_NE(def->reference, nullptr) << op << ": no reference kernel";
  // The OpDef defaults (parse_no_attrs, gas_weight_one) are what the page
  // says, not what an author forgot: an op keeps parse_no_attrs exactly when
  // it has no attributes, and gas_weight_one exactly when its page's Gas
  // weight section starts "1 per " (output element, or element of output 0).
  EXPECT_EQ(def->parse_attrs == &parse_no_attrs, def->attr_schema().fields.empty())
      << op << ": parse_attrs is parse_no_attrs for an op with attributes, or the reverse";
  const std::string page = read_file(root() / "spec/ops" / (op + ".rst"));
  const std::string heading = "\nGas weight\n----------\n\n";
  const size_t gas = page.find(heading);
  ASSERT_NE(gas, std::string::npos) << op << ": no Gas weight section";
  const bool page_says_one = page.compare(gas + heading.size(), 6, "1 per ") == 0;
  EXPECT_EQ(def->gas_weight == &gas_weight_one, page_says_one)
      << op << ": gas_weight is gas_weight_one but the page states another weight, or the reverse";
  const json table = op_table();
  for (const json& row : table.at("ops")) {
    if (row.at("name") != op) continue;
    // The registry takes these from the row (CMake's cvm_op_rows.inc): the copy is exact.
    EXPECT_EQ(def->num_outputs, row.at("outputs").get<int>());
    EXPECT_EQ(def->in_place, row.at("in_place").get<bool>());
  }
}

// The fast kernel: its own file (not the reference run through a
// fallback), a header citing the op's Bounds labels that license its
// restructuring. Its tests: the op's RapidCheck property (property_ops_test.cc
// runs it for every registered op) and its directed case list (a row of
// spec/op_files.json, checked below).
TEST_P(OpCoverage, fast_kernel_exists_cites_its_bounds_and_is_tested) {
  const std::string op = GetParam();
  const std::string kernel = read_file(root() / "fast" / (op + ".cc"));
  ASSERT_FALSE(kernel.empty()) << "missing fast/" << op << ".cc";
  EXPECT_EQ(kernel.find("ReferenceFallback"), std::string::npos)
      << "fast/" << op << ".cc still runs the reference kernel";
  EXPECT_EQ(kernel.find("->reference("), std::string::npos)
      << "fast/" << op << ".cc calls the reference kernel";
  const std::string page = read_file(root() / "spec/ops" / (op + ".rst"));
  std::set<std::string> bounds;
  for (const std::string& l : labels_in(page, op))
    if (l[op.size() + 1] == 'b') bounds.insert(l);
  bool cites = false;
  for (const std::string& l : bounds) cites = cites || kernel.find(l) != std::string::npos;
  EXPECT_TRUE(cites) << "fast/" << op << ".cc does not name the Bounds label(s) licensing it";
  // Cited labels must exist on the page.
  for (const std::string& l : labels_in(kernel, op))
    EXPECT_TRUE(labels_in(page, op).count(l)) << "fast/" << op << ".cc cites " << l
                                              << ", which the page does not define";
}

// `pattern` with every "<op>" replaced by `op`.
std::string for_op(std::string pattern, const std::string& op) {
  for (size_t at = pattern.find("<op>"); at != std::string::npos; at = pattern.find("<op>", at + op.size()))
    pattern.replace(at, 4, op);
  return pattern;
}

// The contents of every file matching `path` (relative to the root; at most
// one '*' in its file name), concatenated; "" when none matches.
std::string read_matching(const std::string& path) {
  const fs::path p = root() / path;
  const std::string name = p.filename().string();
  const size_t star = name.find('*');
  if (star == std::string::npos) return read_file(p);
  const std::string head = name.substr(0, star), tail = name.substr(star + 1);
  std::vector<fs::path> files;
  if (fs::exists(p.parent_path()))
    for (const auto& e : fs::directory_iterator(p.parent_path())) {
      const std::string f = e.path().filename().string();
      if (f.size() >= head.size() + tail.size() && f.starts_with(head) && f.ends_with(tail)) files.push_back(e.path());
    }
  std::sort(files.begin(), files.end());
  std::string all;
  for (const fs::path& f : files) all += read_file(f) + "\n";
  return all;
}

// spec/op_files.json lists every file an operator needs (docs/adding_an_op.rst
// renders it): each row applies to every op, to the ops that declare
// attributes, or is optional; it asks that the file exists or that its files
// mention a text.
TEST_P(OpCoverage, has_every_file_of_spec_op_files_json) {
  const std::string op = GetParam();
  const OpDef* def = find_op(op);
  ASSERT_NE(def, nullptr) << op << " is not registered";
  const bool has_attrs = !def->attr_schema().fields.empty();
  const json rows = json::parse(read_file(root() / "spec/op_files.json")).at("files");
  ASSERT_GE(rows.size(), 10u);
  for (const json& row : rows) {
    const std::string need = row.at("need"), check = row.at("check");
    const std::string path = for_op(row.at("path"), op);
    ASSERT_TRUE(need == "every" || need == "attributes" || need == "optional") << path << ": need " << need;
    if (need == "optional" || (need == "attributes" && !has_attrs)) continue;
    if (check == "exists") {
      EXPECT_TRUE(fs::exists(root() / path)) << op << ": missing " << path << " (" << row.at("holds") << ")";
    } else if (check == "mentions") {
      const std::string text = for_op(row.at("text"), op);
      EXPECT_NE(read_matching(path).find(text), std::string::npos) << op << ": " << path << " does not contain "
                                                                    << text << " (" << row.at("holds") << ")";
    } else {
      ADD_FAILURE() << path << ": unknown check " << check;
    }
  }
}

// The attribute block of the page is what parse() reads. parse runs on
// generated valid cases, once as generated and once with only their required
// keys (so every default is read and parsed); together the runs must read
// every key the block declares. Reading a key the block lacks, or with the
// accessor of another type, or a default its own grammar rejects, throws
// op_internal, which fails the test.
TEST_P(OpCoverage, parse_reads_every_attribute_of_its_page) {
  const std::string op = GetParam();
  const OpDef* def = find_op(op);
  ASSERT_NE(def, nullptr) << op << " is not registered";
  const AttrSchema& schema = def->attr_schema();
  ASSERT_LE(schema.fields.size(), 64u);
  uint64_t read = 0;
  int cases = 0;
  for (uint64_t seed = 0; seed < 100; ++seed) {
    gen::SeededChooser c(seed * 104729 + 7);
    const std::optional<gen::GeneratedCase> g = gen::generate_case(op, c);
    if (!g) continue;
    ++cases;
    for (const bool only_required : {false, true}) {
      AttrMap attrs;
      for (const AttrSpec& f : schema.fields)
        if (g->attrs.count(f.key) && (f.required || !only_required)) attrs[std::string(f.key)] = g->attrs.find(f.key)->second;
      AttrReader reader(op, schema, attrs);
      try {
        (void)def->parse_attrs(reader);
      } catch (const LogicError& e) {
        // A default may be rejected for its meaning (tile's reps); the keys
        // read before are still counted. A generated case must parse.
        EXPECT_TRUE(only_required) << op << " seed " << seed << ": " << e.what();
      } catch (const RuntimeError& e) {
        EXPECT_NE(e.label(), "op_internal") << op << ": " << e.what();
      }
      read |= reader.fields_read();
    }
  }
  ASSERT_GT(cases, 0) << op << ": the generator gave no case";
  for (size_t i = 0; i < schema.fields.size(); ++i)
    EXPECT_TRUE(read >> i & 1) << op << ": parse never reads attribute '" << schema.fields[i].key
                               << "', which spec/ops/" << op << ".rst declares";
}

INSTANTIATE_TEST_SUITE_P(ops, OpCoverage, ::testing::ValuesIn(op_names()),
                         [](const auto& p) { return p.param; });

TEST(Coverage, every_registered_op_is_in_the_table) {
  const auto names = op_names();
  std::set<std::string> registered;
  for (const OpDef* def : all_ops()) registered.insert(std::string(def->name));
  EXPECT_EQ(registered, std::set<std::string>(names.begin(), names.end()));
  EXPECT_EQ(all_ops().size(), names.size());
}

TEST(Coverage, common_labels_are_enforced_and_tested) {
  const std::string page = read_file(root() / "spec/common.rst");
  const std::string code = read_tree(root() / "core", {".cc", ".h"});
  const std::string tests = read_tree(root() / "oracle", {".cc", ".h"});
  std::set<std::string> labels;
  for (const char* prefix : {"attr", "op", "tensor"})
    for (const auto& l : labels_in(page, prefix)) labels.insert(l);
  EXPECT_GE(labels.size(), 8u);
  for (const std::string& l : labels) {
    EXPECT_NE(code.find("\"" + l + "\""), std::string::npos) << l << " not enforced in core/";
    EXPECT_NE(tests.find("\"" + l + "\""), std::string::npos) << l << " not tested in oracle/";
  }
}

// Every label's class, as its spec page states it ("``label`` (logic)" or
// "``label`` (runtime"), is the class the code raises it with.
TEST(Coverage, label_classes_match_the_spec) {
  const std::string spec = read_tree(root() / "spec", {".rst"});
  const std::regex def(R"(``([a-z0-9_]+_c[0-9]+)`` \((logic|runtime))");
  int checked = 0;
  for (auto it = std::sregex_iterator(spec.begin(), spec.end(), def); it != std::sregex_iterator();
       ++it) {
    const std::string label = (*it)[1];
    const bool runtime = (*it)[2] == "runtime";
    EXPECT_EQ(is_runtime_label(label), runtime)
        << label << " is " << (*it)[2] << " on its page but raised as the other class";
    ++checked;
  }
  EXPECT_GE(checked, 150);
}

// spec/model: every label of every page is enforced in runtime/ and cited by
// a test (oracle/ or the C API test); labels are numbered 1..n per area; code
// and tests cite no label the pages do not define.
TEST(Coverage, model_labels_are_enforced_and_tested) {
  std::string pages;
  for (const auto& e : fs::directory_iterator(root() / "spec/model"))
    if (e.path().extension() == ".rst") pages += read_file(e.path()) + "\n";
  // The model layer's code: the runtime, and the .npy files' own library.
  const std::string code = read_tree(root() / "runtime", {".cc", ".h"}) + read_tree(root() / "tools/npy", {".cc"});
  const std::string tests = read_tree(root() / "oracle", {".cc", ".h", ".c"});
  const std::string proofs = read_tree(root() / "proofs", {".cc"});
  size_t total = 0;
  for (const char* area : {"graph", "params", "gas", "storage", "model", "infer", "api", "npy"}) {
    const std::set<std::string> labels = labels_in(pages, area);
    EXPECT_FALSE(labels.empty()) << "spec/model defines no " << area << "_cN label";
    // Constraints (_cN) and bounds (_bN) are each numbered 1..n.
    for (const char kind : {'c', 'b'}) {
      size_t n = 0;
      for (const std::string& l : labels) n += l[std::string(area).size() + 1] == kind ? 1 : 0;
      for (size_t i = 1; i <= n; ++i)
        EXPECT_TRUE(labels.count(std::string(area) + "_" + kind + std::to_string(i)))
            << area << "_" << kind << " labels are not numbered 1.." << n;
    }
    for (const std::string& l : labels) {
      if (l[std::string(area).size() + 1] == 'b') {
        // A model-level bound is a theorem about every run: a goal in proofs/.
        EXPECT_NE(proofs.find("\"" + l + "\""), std::string::npos) << l << " has no goal in proofs/";
        continue;
      }
      EXPECT_NE(code.find("\"" + l + "\""), std::string::npos) << l << " not enforced in runtime/ or tools/npy/";
      EXPECT_NE(tests.find("\"" + l + "\""), std::string::npos) << l << " not tested in oracle/";
    }
    for (const std::string& l : labels_in(code + tests, area))
      EXPECT_TRUE(labels.count(l)) << l << " is cited in code or tests but defined on no spec/model page";
    total += labels.size();
  }
  EXPECT_GE(total, 40u);
}

}  // namespace
}  // namespace cvm::oracle
