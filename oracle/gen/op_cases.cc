// PLACEHOLDER until the generator helper writes the real one.
#include "gen/op_cases.h"

namespace cvm::gen {
std::optional<GeneratedCase> generate_case(std::string_view, Chooser&, const CaseRequest&) { return std::nullopt; }
std::vector<Tensor> input_values(Chooser&, const GeneratedCase&, bool) { return {}; }
int64_t random_dim(Chooser& c, int64_t max) { return c.range(1, max); }
Shape random_shape(Chooser&, int, int64_t) { return {1}; }
int random_precision(Chooser& c, int lo, int hi) { return static_cast<int>(c.range(lo, hi)); }
}  // namespace cvm::gen
