// Attributes of non_max_suppression (spec/ops/non_max_suppression.rst).
#pragma once

#include <cstdint>

namespace cvm {

struct NonMaxSuppressionAttrs {
  int64_t iou_threshold = 50;
  bool force_suppress = false;
  int64_t top_k = -1;
  int64_t max_output_size = -1;
  int64_t coord_start = 2;
  int64_t score_index = 1;
  int64_t id_index = 0;
  bool return_indices = false;
  bool invalid_to_bottom = true;
};

}  // namespace cvm
