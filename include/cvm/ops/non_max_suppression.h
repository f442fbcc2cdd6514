// Attributes of non_max_suppression (spec/ops/non_max_suppression.rst).
#pragma once

#include <cstdint>

namespace cvm {

/// The parsed attributes of non_max_suppression. Rows are (id, score, x1, y1,
/// x2, y2); the last five fields accept only the value shown and exist for
/// compatibility with the model format.
struct NonMaxSuppressionAttrs {
  /// A box is suppressed when its intersection over union with a kept box, in
  /// percent, is at least this value; in [1, 2^31-1].
  int64_t iou_threshold = 50;
  /// When true, boxes suppress each other whatever their ids; when false only
  /// boxes of the same id do.
  bool force_suppress = false;
  /// How many rows, in descending score order, are considered per batch; a
  /// negative value means all of them.
  int64_t top_k = -1;
  /// How many rows are kept at most per batch; a negative value means no limit.
  int64_t max_output_size = -1;
  int64_t coord_start = 2;         ///< Index of x1 in a row; only 2 is accepted.
  int64_t score_index = 1;         ///< Index of the score in a row; only 1 is accepted.
  int64_t id_index = 0;            ///< Index of the class id in a row; only 0 is accepted.
  bool return_indices = false;     ///< Only false is accepted: the output holds rows.
  bool invalid_to_bottom = true;   ///< Only true is accepted: kept rows come first.
};

}  // namespace cvm
