// Directed cases of the transform group: size-1 dims, precisions 1, 8, 32
// with extreme values, every attribute variant (negative axes, negative
// strides, clamping, index clipping), the fast blocked transpose's tile
// boundaries (8 x 8 sub-blocks in 16 x 16 tiles: 7/8/9, 15/16/17; 7/8 is
// also the threshold for taking the blocked path), the chunks of the fast
// parallel split (16K elements, so the ~100K cases split mid-row over 2 and
// 7 threads), and the CUDA copy plans of rank 1..4 and the generic rank.
#include <cstdint>
#include <string>
#include <vector>

#include "directed/directed_cases.h"
#include "support.h"

namespace cvm::oracle {
namespace {

const Expect rejected = Expect::rejected;

void reshape_cases(CaseList& c) {
  c.group("shapes, precisions and codes");
  for (int p : {1, 8, 32}) {
    c.add({{"shape", "(-1,)"}}, {c.x({1}, p)});
    c.add({{"shape", "(0, -4, 3, -1, -2)"}}, {c.x({2, 3, 2}, p)});
    c.add({{"shape", "(-3, -1)"}}, {c.x({2, 3, 2}, p)});
    c.add({{"shape", "(1, 1, -1)"}}, {c.x({5, 1}, p)});
  }
  c.add({{"shape", "(-1, 97)"}}, {c.x({97, 1031}, 32)});
  c.add({{"shape", "(3, 4)"}}, {c.x({2, 5}, 8)}, rejected);
}

void flatten_cases(CaseList& c) {
  c.group("shapes and precisions");
  for (int p : {1, 8, 32}) {
    c.add({}, {c.x({1}, p)});
    c.add({}, {c.x({3}, p)});
    c.add({}, {c.x({2, 1, 3, 1}, p)});
  }
  c.add({}, {c.x({7, 13, 1123}, 8)});
}

void expand_dims_cases(CaseList& c) {
  c.group("axes and precisions");
  for (int p : {1, 8, 32}) {
    for (const char* ax : {"0", "1", "2", "-1", "-3"}) c.add({{"axis", ax}, {"num_newaxis", "2"}}, {c.x({2, 3}, p)});
    c.add({{"axis", "0"}}, {c.x({1}, p)});
  }
  c.add({{"axis", "1"}, {"num_newaxis", "3"}}, {c.x({101, 1009}, 32)});
  c.add({{"axis", "4"}}, {c.x({2, 3}, 8)}, rejected);
}

void squeeze_cases(CaseList& c) {
  c.group("axes and precisions");
  for (int p : {1, 8, 32}) {
    c.add({{"axis", "()"}}, {c.x({1, 3, 1, 2}, p)});
    c.add({{"axis", "(-2,)"}}, {c.x({1, 3, 1, 2}, p)});
    c.add({{"axis", "(0, 2)"}}, {c.x({1, 3, 1, 2}, p)});
    c.add({}, {c.x({1, 1}, p)});
  }
  c.add({}, {c.x({1, 211, 1, 509}, 8)});
  c.add({{"axis", "(1,)"}}, {c.x({1, 3}, 8)}, rejected);
}

void concatenate_cases(CaseList& c) {
  c.group("axes, precisions and segments");
  for (int p : {1, 8, 32}) {
    c.add({}, {c.x({2, 2}, p), c.x({2, 1}, 8)});
    c.add({{"axis", "-1"}}, {c.x({1}, p), c.x({2}, p), c.x({1}, p)});
    c.add({{"axis", "0"}}, {c.x({1, 3, 1}, p), c.x({4, 3, 1}, p)});
    c.add({{"axis", "2"}}, {c.x({2, 3, 1}, p), c.x({2, 3, 5}, 32)});
    c.add({{"axis", "-2"}}, {c.x({2, 1, 3}, p), c.x({2, 2, 3}, 1), c.x({2, 1, 3}, p)});
  }
  c.add({{"axis", "0"}}, {c.x({1}, 8)});  // one input
  c.add({{"axis", "3"}}, {c.x({1, 2, 3}, 8), c.x({1, 2, 3}, 8)}, rejected);
  c.group("many inputs (CUDA: one launch each)");
  std::vector<Tensor> many;
  for (int k = 0; k < 40; ++k) many.push_back(c.x({3, 1 + k % 5, 2}, 1 + k % 32));
  c.add({{"axis", "1"}}, many);
  c.group("large: chunks of 16K start inside segments");
  c.add({{"axis", "1"}}, {c.x({37, 1001, 1}, 8), c.x({37, 3, 1}, 32), c.x({37, 1777, 1}, 1)});
  c.add({{"axis", "0"}}, {c.x({50001}, 8), c.x({60013}, 8)});
}

void transpose_cases(CaseList& c) {
  c.group("permutations and precisions");
  for (int p : {1, 8, 32}) {
    c.add({}, {c.x({2, 3}, p)});
    c.add({}, {c.x({1}, p)});
    c.add({{"axes", "(1, 2, 0)"}}, {c.x({2, 3, 2}, p)});
    c.add({{"axes", "(-1, 0, -2)"}}, {c.x({2, 3, 4}, p)});
    c.add({{"axes", "(0, 2, 1, 3)"}}, {c.x({2, 3, 4, 5}, p)});
    c.add({{"axes", "(3, 1, 2, 0)"}}, {c.x({1, 3, 1, 2}, p)});
  }
  c.add({{"axes", "(0, 0)"}}, {c.x({2, 2}, 8)}, rejected);
  c.add({}, {c.x({}, 8)}, rejected);  // rank 0: no tensor has it (tensor_c1)
  c.group("blocked tile boundaries");
  // The fast blocked path needs both the strided inner dim and the
  // contiguous dim >= 8; tiles are 16 x 16 made of 8 x 8 sub-blocks.
  for (int64_t a : {7, 8, 9, 15, 16, 17, 31, 33})
    for (int64_t b : {7, 8, 9, 15, 16, 17, 33}) c.add({}, {c.x({a, b}, 32)});
  c.group("batched blocked pairs");  // outer dims around the blocked pair: NCHW -> NHWC and others
  c.add({{"axes", "(0, 2, 3, 1)"}}, {c.x({2, 33, 5, 7}, 8)});
  c.add({{"axes", "(0, 2, 3, 1)"}}, {c.x({2, 17, 4, 4}, 8)});
  c.add({{"axes", "(0, 2, 3, 1)"}}, {c.x({3, 9, 11, 4}, 8)});
  c.add({{"axes", "(2, 0, 1)"}}, {c.x({33, 3, 40}, 8)});
  c.add({{"axes", "(1, 0, 2)"}}, {c.x({33, 40, 3}, 8)});
  c.add({{"axes", "(2, 1, 0)"}}, {c.x({9, 2, 40}, 8)});
  c.group("plans that stay rank 5 and 6 after simplification (CUDA generic kernel)");
  c.add({{"axes", "(0, 3, 2, 1, 4, 5)"}}, {c.x({2, 9, 1, 10, 1, 1}, 8)});
  c.add({{"axes", "(5, 4, 3, 2, 1, 0)"}}, {c.x({2, 3, 1, 2, 3, 2}, 8)});
  c.add({{"axes", "(4, 2, 0, 3, 1)"}}, {c.x({2, 3, 4, 5, 6}, 8)});
  c.add({{"axes", "(5, 4, 3, 2, 1, 0)"}}, {c.x({2, 3, 2, 3, 2, 3}, 8)});
  c.group("large: threads split tiles and rows");
  c.add({}, {c.x({317, 331}, 32)});
  c.add({{"axes", "(0, 2, 3, 1)"}}, {c.x({2, 64, 29, 29}, 8)});
  c.add({{"axes", "(1, 0, 2)"}}, {c.x({300, 100, 4}, 8)});
}

void slice_like_cases(CaseList& c) {
  c.group("axes and precisions");
  for (int p : {1, 8, 32}) {
    c.add({{"axis", "(1,)"}}, {c.x({3, 4}, p), c.x({1, 2}, 1)});
    c.add({}, {c.x({2, 3}, p), c.x({1, 2}, 32)});
    // -1 normalises with x's rank (slice_like_c2's quirk), so like needs 3 dims.
    c.add({{"axis", "(-1, 0)"}}, {c.x({4, 5, 6}, p), c.x({3, 2, 4}, 8)});
    c.add({{"axis", "(-1, 0)"}}, {c.x({4, 5, 6}, p), c.x({3, 2}, 8)}, rejected);
    c.add({{"axis", "(-1,)"}}, {c.x({4, 5, 6}, p), c.x({3, 2}, 8)}, rejected);
    c.add({{"axis", "(0,)"}}, {c.x({4, 5, 6}, p), c.x({1}, 8)});
    c.add({}, {c.x({1, 1}, p), c.x({1, 1}, 8)});
    c.add({}, {c.x({3, 4, 5}, p), c.x({3, 4, 5}, 8)});
  }
  c.add({}, {c.x({3, 4}, 8), c.x({4, 4}, 8)}, rejected);
  c.group("large");
  c.add({}, {c.x({130, 1000}, 8), c.x({129, 777}, 8)});
  c.add({{"axis", "(0,)"}}, {c.x({130, 1000}, 8), c.x({101}, 8)});
}

void strided_slice_cases(CaseList& c) {
  c.group("strides, clamps and precisions");
  for (int p : {1, 8, 32}) {
    c.add({{"begin", "(0, 3)"}, {"end", "(3, 0)"}, {"stride", "(2, -2)"}}, {c.x({3, 4}, p)});
    c.add({{"begin", "-1"}, {"end", "-5"}, {"stride", "-1"}}, {c.x({4}, p)});
    c.add({}, {c.x({3, 4}, p)});  // defaults: axis 0 ends at 1
    c.add({{"begin", "(1, 1, 1)"}, {"end", "(3, 4, 5)"}}, {c.x({3, 4, 5}, p)});
    c.add({{"begin", "(-100, 100, 0)"}, {"end", "(100, -100, 1)"}, {"stride", "(1, -1, 1)"}}, {c.x({3, 4, 5}, p)});
    c.add({{"begin", "(0, 0, 0, 0)"}, {"end", "(9, 9, 9, 9)"}, {"stride", "(1, 1, 1, 1, 5)"}},
          {c.x({1, 2, 1, 3}, p)});  // extra entries ignored
  }
  c.group("huge strides: one output element per axis (never multiplied)");
  c.add({{"begin", "(2, 0)"}, {"end", "(0, 5)"}, {"stride", "(-9223372036854775808, 9223372036854775807)"}},
        {c.x({3, 5}, 8)});
  c.add({{"begin", "(0,)"}, {"end", "(2,)"}, {"stride", "(0,)"}}, {c.x({3}, 8)}, rejected);
  c.group("every stride sign and size over a rank-4 tensor");
  // Begin and end follow each axis's direction (strided_slice_c2 rejects an
  // empty range), often from far outside the axis so that they are clipped.
  const char* rank4[][3] = {
      {"(1, 0, 2, 0)", "(9, 9, 9, 9)", "(1, 1, 1, 2)"},
      {"(1, 0, 2, -1)", "(9, 9, 9, -99)", "(1, 1, 1, -1)"},
      {"(-1, 0, 5, 0)", "(-10, 9, -10, 9)", "(-1, 2, -3, 1)"},
      {"(0, -1, 0, -1)", "(9, -9, 9, -99)", "(2, -1, 1, -3)"},
      {"(-1, -1, -1, -1)", "(-99, -99, -99, -99)", "(-2, -1, -3, -1)"},
      {"(-3, 1, -100, 4)", "(100, 99, 100, -99)", "(3, 2, 1, -4)"},
  };
  for (const auto& r : rank4) c.add({{"begin", r[0]}, {"end", r[1]}, {"stride", r[2]}}, {c.x({4, 5, 7, 9}, 8)});
  // Directions that disagree with begin and end on some axis: empty ranges.
  for (const char* st : {"(1, 1, 1, 2)", "(1, 1, 1, -1)", "(2, -1, 1, -3)"})
    c.add({{"begin", "(-1, 0, 5, 0)"}, {"end", "(-10, 9, -10, 9)"}, {"stride", st}}, {c.x({4, 5, 7, 9}, 8)},
          Expect::either);
  for (const char* st : {"(1, 1, 1, 2)", "(-1, 2, -3, 1)"})
    c.add({{"begin", "(0, -1, 0, -1)"}, {"end", "(9, -9, 9, -99)"}, {"stride", st}}, {c.x({4, 5, 7, 9}, 8)},
          Expect::either);
  c.group("rank 6 with mixed strides (CUDA generic plan kernel)");
  c.add({{"begin", "(0, -1, 0, 2, -1, 0)"}, {"end", "(2, -9, 3, -9, -9, 5)"}, {"stride", "(1, -1, 2, -1, -2, 2)"}},
        {c.x({2, 3, 4, 3, 5, 5}, 32)});
  c.group("large");
  c.add({{"begin", "(1, 2)"}, {"end", "(400, 700)"}, {"stride", "(1, 1)"}}, {c.x({401, 703}, 32)});
  c.add({{"begin", "(-1, -1)"}, {"end", "(-999, -999)"}, {"stride", "(-1, -2)"}}, {c.x({401, 703}, 32)});
}

void take_cases(CaseList& c) {
  c.group("flat and axes with clipping");
  for (int p : {1, 8, 32}) {
    c.add({}, {c.x({2, 3}, p), c.x({2, 2}, 8)});
    c.add({}, {c.x({1}, p), c.x({5}, 32)});
    c.add({}, {c.x({4, 5}, p), c.index({3, 7}, -3, 23)});
    for (const char* ax : {"0", "1", "2", "-1", "-3"}) {
      c.add({{"axis", ax}}, {c.x({3, 4, 5}, p), c.index({2, 3}, -2, 7)});
      c.add({{"axis", ax}}, {c.x({3, 4, 5}, p), c.x({4}, 32)});
      c.add({{"axis", ax}}, {c.x({3, 4, 5}, p), c.index({1}, 0, 0)});
    }
    c.add({{"axis", "0"}}, {c.x({1}, p), c.index({3}, -1, 1)});
  }
  c.add({{"axis", "3"}}, {c.x({3, 4}, 8), c.x({2}, 8)}, rejected);
  c.group("indices at the int32 extremes");
  c.add({}, {c.x({6}, 8), T({4}, 32, {-2147483647, 2147483647, 5, 6})});
  c.add({{"axis", "1"}}, {c.x({2, 6}, 8), T({2, 2}, 32, {-2147483647, 2147483647, 0, 5})});
  c.group("large");
  c.add({}, {c.x({1000, 3}, 32), c.index({333, 300}, -10, 3010)});
  c.add({{"axis", "1"}}, {c.x({20, 300, 17}, 8), c.index({311}, -5, 305)});
  c.add({{"axis", "-1"}}, {c.x({20, 30, 17}, 8), c.index({19, 11}, -5, 20)});
  c.add({{"axis", "0"}}, {c.x({50, 3001}, 8), c.index({40}, -5, 55)});
}

void tile_cases(CaseList& c) {
  c.group("reps and precisions");
  for (int p : {1, 8, 32}) {
    c.add({{"reps", "(2, 3)"}}, {c.x({2}, p)});
    c.add({{"reps", "2"}}, {c.x({2, 2}, p)});
    c.add({{"reps", "(1, 1)"}}, {c.x({3, 1}, p)});
    c.add({{"reps", "(3, 1, 2)"}}, {c.x({1, 4}, p)});
    c.add({{"reps", "(2, 1, 3, 1)"}}, {c.x({2, 3, 1, 4}, p)});
    c.add({{"reps", "(5,)"}}, {c.x({1}, p)});
  }
  c.add({{"reps", "(0,)"}}, {c.x({2}, 8)}, rejected);
  c.add({{"reps", "(3, 2)"}}, {c.x({}, 8)}, rejected);  // rank 0: no tensor has it (tensor_c1)
  c.group("plans of rank 12 (CUDA generic kernel)");
  c.add({{"reps", "(2, 2, 2, 2, 2, 2)"}}, {c.x({2, 3, 2, 3, 2, 3}, 8)});
  c.add({{"reps", "(1, 2, 1, 1, 2, 3)"}}, {c.x({2, 1, 3, 2, 1, 2}, 8)});
  c.group("large");
  c.add({{"reps", "(3, 2, 7)"}}, {c.x({21, 5, 51}, 8)});
  c.add({{"reps", "(4, 4000)"}}, {c.x({7, 1}, 8)});
  c.add({{"reps", "(64,)"}}, {c.x({1601}, 32)});
}

void repeat_cases(CaseList& c) {
  c.group("axes and precisions");
  for (int p : {1, 8, 32}) {
    for (const char* ax : {"0", "1", "-1", "-2", "2"}) {
      c.add({{"repeats", "2"}, {"axis", ax}}, {c.x({2, 3, 4}, p)});
      c.add({{"repeats", "1"}, {"axis", ax}}, {c.x({2, 1, 4}, p)});
    }
    c.add({{"repeats", "5"}}, {c.x({1}, p)});
  }
  c.add({{"repeats", "2"}, {"axis", "3"}}, {c.x({2, 3}, 8)}, rejected);
  c.group("large");
  c.add({{"repeats", "3"}, {"axis", "-1"}}, {c.x({101, 331}, 8)});
  c.add({{"repeats", "7"}, {"axis", "0"}}, {c.x({13, 1201}, 8)});
  c.add({{"repeats", "2"}, {"axis", "1"}}, {c.x({17, 29, 101}, 32)});
}

void upsampling_cases(CaseList& c) {
  c.group("scales and precisions");
  for (int p : {1, 8, 32})
    for (const char* s : {"1", "2", "3"}) {
      c.add({{"scale", s}}, {c.x({1, 1, 2, 2}, p)});
      c.add({{"scale", s}}, {c.x({2, 3, 1, 5}, p)});
      c.add({{"scale", s}}, {c.x({1, 2, 3, 1}, p)});
    }
  c.add({{"scale", "0"}}, {c.x({1, 1, 2, 2}, 8)}, rejected);
  c.group("large");
  c.add({{"scale", "2"}}, {c.x({2, 16, 29, 31}, 8)});
  c.add({{"scale", "5"}}, {c.x({1, 3, 47, 13}, 32)});
  c.add({{"scale", "1"}}, {c.x({3, 8, 61, 67}, 8)});
}

}  // namespace

const std::vector<OpCaseList>& transform_case_lists() {
  static const std::vector<OpCaseList> lists{
      {"reshape", reshape_cases},     {"flatten", flatten_cases},   {"expand_dims", expand_dims_cases},
      {"squeeze", squeeze_cases},     {"concatenate", concatenate_cases}, {"transpose", transpose_cases},
      {"slice_like", slice_like_cases}, {"strided_slice", strided_slice_cases}, {"take", take_cases},
      {"tile", tile_cases},           {"repeat", repeat_cases},     {"upsampling", upsampling_cases}};
  return lists;
}

}  // namespace cvm::oracle
