// Output post-processing (spec/model/inference.rst, "Output").
#include <gtest/gtest.h>

#include "cvm/certify.h"
#include "cvm/graph_builder.h"
#include "model_support.h"

namespace cvm::oracle {
namespace {

// data (shape, precision) -> relu -> head, with the given postprocess.
std::shared_ptr<const Model> relu_model(const Shape& shape, int precision, const std::string& post) {
  GraphBuilder b;
  b.head(b.op1("relu", "r", {b.variable("data", shape, precision)}));
  b.postprocess(post);
  return load(write_graph_json(b.graph()), empty_params());
}

TEST(postprocess, argmax_covers_every_row) {
  // E-model-2: three rows of four; upstream would fill only the first row.
  const auto m = relu_model({3, 4}, 8, "argmax");
  Runtime rt(m, reference_backend());
  const auto heads = rt.run(T({3, 4}, 8, {1, 9, 3, 9,     // first maximum: index 1
                                          0, 0, 0, 0,     // all equal: index 0
                                          2, 3, 4, 100}));  // index 3
  const OutputValues out = postprocess(*m, heads);
  EXPECT_EQ(out.shape, (Shape{3}));
  EXPECT_EQ(out.data, (std::vector<int32_t>{1, 0, 3}));
  EXPECT_EQ(m->output_length(), 12u);
  EXPECT_EQ(encode_output(*m, out), std::string("\x01\0\0\0\0\0\0\0\x03\0\0\0", 12));
}

TEST(postprocess, argmax_compares_low_8_bits) {
  // Quirk kept from upstream: 200 wraps to -56 as an int8, so 100 wins;
  // 256 wraps to 0 and loses to 1.
  const auto m = relu_model({2, 2}, 16, "argmax");
  Runtime rt(m, reference_backend());
  const auto heads = rt.run(T({2, 2}, 16, {200, 100, 256, 1}));
  EXPECT_EQ(postprocess(*m, heads).data, (std::vector<int32_t>{1, 1}));
}

TEST(postprocess, detection_length_counts_rows) {
  // E-model-3: heads (2, 3, 2) and (2, 3, 1): 6 rows each. Upstream's length
  // would be shape[ndim-2] = 3 rows; cvm's is 6 rows of 2 + 1 values.
  GraphBuilder b;
  const EntryRef d = b.variable("data", {2, 3, 2}, 8);
  const EntryRef r = b.op1("relu", "r", {d});
  const EntryRef s = b.op1("strided_slice", "s", {d},
                           {{"begin", "(0, 0, 1)"}, {"end", "(2, 3, 2)"}});
  b.head(r);
  b.head(s);
  b.postprocess("detection");
  const auto m = load(write_graph_json(b.graph()), empty_params());
  EXPECT_EQ(m->output_width(), 4);
  EXPECT_EQ(m->output_length(), 6u * 3u * 4u);
  Runtime rt(m, reference_backend());
  std::vector<int32_t> in(12);
  for (int k = 0; k < 12; ++k) in[static_cast<size_t>(k)] = k - 2;  // -2 .. 9
  const OutputValues out = postprocess(*m, rt.run(T({2, 3, 2}, 8, in)));
  EXPECT_EQ(out.shape, (Shape{6, 3}));
  // Row k of data is (2k-2, 2k-1); relu row, then the second column unclipped.
  EXPECT_EQ(out.data, (std::vector<int32_t>{0, 0, -1,   0, 1, 1,   2, 3, 3,
                                            4, 5, 5,    6, 7, 7,   8, 9, 9}));
}

TEST(postprocess, several_heads_without_postprocess_are_interleaved_in_their_width) {
  // Two precision-8 heads of 2 rows: int8 bytes, rows interleaved.
  GraphBuilder b;
  const EntryRef d = b.variable("data", {2, 1}, 8);
  b.head(b.op1("relu", "r", {d}));
  b.head(b.op1("negative", "n", {d}));
  const auto m = load(write_graph_json(b.graph()), empty_params());
  EXPECT_EQ(m->output_width(), 1);
  Runtime rt(m, reference_backend());
  EXPECT_EQ(rt.infer_bytes(std::string("\x05\xfd", 2)),
            std::string("\x05\xfb\x00\x03", 4));  // (relu 5, -5), (relu -3 = 0, 3)
}

// The tail of a detector: get_valid_counts -> non_max_suppression on 8 boxes
// [class, score, x1, y1, x2, y2], "detection", with the kept boxes (1, 8, 6)
// as head 0 and `second` as head 1: "count", get_valid_counts' valid count
// (1,) (1 row, where the boxes have 8), or "corners", columns 2..3 of the
// kept boxes (1, 8, 2).
std::shared_ptr<const Model> nms_model(const std::string& second) {
  GraphBuilder b;
  const std::vector<EntryRef> counted =
      b.op("get_valid_counts", "g", {b.variable("data", {1, 8, 6}, 16)}, {{"score_threshold", "10"}});
  const EntryRef kept = b.op1("non_max_suppression", "nms", {counted[1], counted[0]},
                              {{"iou_threshold", "50"}, {"force_suppress", "false"}, {"top_k", "-1"},
                               {"max_output_size", "-1"}, {"coord_start", "2"}, {"score_index", "1"},
                               {"id_index", "0"}, {"return_indices", "false"},
                               {"invalid_to_bottom", "true"}});
  b.head(kept);
  b.head(second == "count" ? counted[0]
                           : b.op1("strided_slice", "s", {kept}, {{"begin", "(0, 0, 2)"}, {"end", "(1, 8, 4)"}}));
  b.postprocess("detection");
  return load(write_graph_json(b.graph()), empty_params());
}

TEST(postprocess, a_model_whose_heads_fail_infer_c2_is_not_certified) {
  // The heads' row counts are fixed at load, so infer_c2 fails on every
  // input: the model loads (as upstream's) yet can never give an output, and
  // cvm prove must not certify it although no value can overflow.
  const auto bad = nms_model("count");
  const std::string why = "detection outputs cannot be interleaved: output 1 of shape (1,) has 1 rows, output 0 has 8";
  expect_rejection("infer_c2", [&] { Runtime(bad, reference_backend()).infer_bytes(std::string(8 * 6 * 4, '\0')); },
               why);
  expect_rejection("infer_c2", [&] { check_postprocess(*bad); }, why);
  const Certificate c = certify(*bad);
  EXPECT_TRUE(c.nodes_proved);
  EXPECT_FALSE(c.certified);
  EXPECT_EQ(c.never_runs, "infer_c2: " + why);

  // The same network with interleavable heads runs and is certified.
  const auto good = nms_model("corners");
  EXPECT_EQ(Runtime(good, reference_backend()).infer_bytes(std::string(8 * 6 * 4, '\0')).size(), 8u * 8u * 4u);
  check_postprocess(*good);
  const Certificate ok = certify(*good);
  EXPECT_TRUE(ok.certified);
  EXPECT_EQ(ok.never_runs, "");
}

TEST(postprocess, one_head_keeps_its_shape) {
  const auto m = relu_model({2, 2}, 8, "");
  Runtime rt(m, reference_backend());
  const OutputValues out = postprocess(*m, rt.run(T({2, 2}, 8, {1, -1, 2, -2})));
  EXPECT_EQ(out.shape, (Shape{2, 2}));
  EXPECT_EQ(out.data, (std::vector<int32_t>{1, 0, 2, 0}));
}

TEST(postprocess, unknown_postprocess_string_means_none) {
  const auto m = relu_model({2}, 8, "softmax");
  EXPECT_EQ(m->graph().postprocess, Postprocess::kNone);
  EXPECT_EQ(m->output_width(), 1);
  EXPECT_EQ(m->graph().postprocess_name, "softmax");
}

}  // namespace
}  // namespace cvm::oracle
