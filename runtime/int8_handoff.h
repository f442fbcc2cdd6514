// Which values the fast program passes from one convolution to the next as
// bytes instead of int32 (the int8 hand-off, fast/int8_handoff.h).
//
// (max_pool2d takes bytes as well: they order as the values do, so its
// rows run on bytes unchanged, fast/max_pool2d.cc.)
//
// A convolution on the int8 GEMM path reads x only to copy it, as bytes
// u = x + 128, into a padded buffer. When x is the output of another such
// convolution and its precision is at most 8 (|x| <= 127), the producer can
// store those bytes directly: a quarter of the memory traffic on both sides
// and no conversion pass. A chain's residual add (runtime/epilogue_chains.h)
// reads its residual in the same micro-kernel finish, as bytes too. The value
// then never exists as int32, so it must have no other reader and not be a
// head (a run with an observer, which sees every value, hands nothing over).
#pragma once

#include <cstddef>
#include <functional>
#include <vector>

#include "cvm/model.h"
#include "runtime/epilogue_chains.h"

namespace cvm {

/// Per entry: whether a fused run (chains as given, each run at its first
/// node) hands it over as bytes. Entry e is handed over when
///  - it is the output of a conv2d node P (P's own, or that of the chain P
///    starts) with on_int8_gemm(P), or of a max_pool2d node;
///  - its precision is at most 8 (implied where a conv2d reads it as x:
///    conv2d_c14) and it is not a head;
///  - it has at least one reader, and every reader R is either a conv2d node
///    that reads e as its x only (input 0, not w or b) with on_int8_gemm(R),
///    a max_pool2d node, or the elemwise_add of a chain whose residual e is
///    (the chain adds it in its first node's epilogue) with on_int8_gemm(that
///    first node).
/// on_int8_gemm(node) says whether that conv2d node's fast kernel takes the
/// int8 GEMM path (the only one that reads and writes bytes directly).
std::vector<bool> find_int8_handoffs(const ModelGraph& graph, const std::vector<EpilogueChain>& chains,
                                     const std::function<bool(size_t node)>& on_int8_gemm);

}  // namespace cvm
