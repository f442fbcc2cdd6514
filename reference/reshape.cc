// reshape - reference transcription of spec/ops/reshape.rst.
#include "cvm/ops/reshape.h"

#include "cvm/op.h"
#include "unary_common.h"

namespace cvm {
namespace {

std::any parse(AttrReader& r) {
  ReshapeAttrs a;
  a.shape = r.tuple("shape");
  // reshape_c1: at least one entry.
  CVM_REQUIRE(!a.shape.empty(), "reshape_c1", "shape must not be empty");
  return a;
}

// One split factor of a -4: -1 or >= 1 (reshape_c7).
void check_factor(int64_t f, int64_t k) {
  CVM_REQUIRE(f == -1 || f >= 1, "reshape_c7", "split factor ", f, " after the -4 at entry ", k,
              " must be -1 or >= 1");
}

Types infer(const std::any& attrs, const Types& in) {
  const auto& s = std::any_cast<const ReshapeAttrs&>(attrs).shape;
  const Shape& d = in[0].shape;
  const auto M = static_cast<int64_t>(s.size());
  const auto N = static_cast<int64_t>(d.size());
  const int64_t size_x = shape_size(d);

  Shape t;                // the appended output dims t_j
  int64_t placeholder = -1;  // position in t of the -1 code's dim, or -1
  int64_t k = 0;          // entry index
  int64_t c = 0;          // source cursor
  while (k < M) {
    const int64_t v = s[static_cast<size_t>(k)];
    if (v >= 1) {  // literal
      t.push_back(v);
      c += 1;
      k += 1;
    } else if (v == 0) {  // copy one source dim
      CVM_REQUIRE(c < N, "reshape_c4", "code 0 at entry ", k, " has no source dim left (cursor ",
                  c, ", rank ", N, ")");
      t.push_back(d[static_cast<size_t>(c)]);
      c += 1;
      k += 1;
    } else if (v == -1) {  // infer
      CVM_REQUIRE(placeholder < 0, "reshape_c3", "a second -1 code at entry ", k);
      placeholder = static_cast<int64_t>(t.size());
      t.push_back(1);
      c += 1;
      k += 1;
    } else if (v == -2) {  // copy the rest
      while (c < N) {
        t.push_back(d[static_cast<size_t>(c)]);
        c += 1;
      }
      k += 1;
    } else if (v == -3) {  // merge two source dims
      CVM_REQUIRE(c + 1 < N, "reshape_c5", "code -3 at entry ", k,
                  " needs two source dims (cursor ", c, ", rank ", N, ")");
      t.push_back(d[static_cast<size_t>(c)] * d[static_cast<size_t>(c + 1)]);  // <= |x| <= 2^30
      c += 2;
      k += 1;
    } else if (v == -4) {  // split one source dim
      CVM_REQUIRE(k + 2 < M && c < N, "reshape_c6", "code -4 at entry ", k,
                  " needs two following entries and a source dim (cursor ", c, ", rank ", N, ")");
      const int64_t dc = d[static_cast<size_t>(c)];
      int64_t a = s[static_cast<size_t>(k + 1)];
      int64_t b = s[static_cast<size_t>(k + 2)];
      check_factor(a, k);
      check_factor(b, k);
      CVM_REQUIRE(!(a == -1 && b == -1), "reshape_c7", "both split factors after the -4 at entry ",
                  k, " are -1");
      if (a == -1) {
        CVM_REQUIRE(dc % b == 0, "reshape_c7", "split factor ", b, " does not divide ", dc);
        a = dc / b;
      } else if (b == -1) {
        CVM_REQUIRE(dc % a == 0, "reshape_c7", "split factor ", a, " does not divide ", dc);
        b = dc / a;
      } else {
        CVM_REQUIRE(dc % a == 0 && dc / a == b, "reshape_c7", "split factors ", a, " and ", b,
                    " do not split ", dc);
      }
      t.push_back(a);
      t.push_back(b);
      c += 1;
      k += 3;
    } else {
      CVM_REQUIRE(false, "reshape_c2", "code ", v, " at entry ", k, " is below -4");
    }
  }

  // reshape_c8: Q = |x| divided exactly by every dim except the placeholder.
  int64_t q = size_x;
  for (size_t j = 0; j < t.size(); ++j) {
    if (static_cast<int64_t>(j) == placeholder) continue;
    CVM_REQUIRE(q % t[j] == 0, "reshape_c8", "target ", shape_str(t),
                " does not have the input's ", size_x, " elements");
    q /= t[j];
  }
  if (placeholder >= 0) {
    t[static_cast<size_t>(placeholder)] = q;
  } else {
    CVM_REQUIRE(q == 1, "reshape_c8", "target ", shape_str(t), " does not have the input's ",
                size_x, " elements");
  }
  return {TensorType{t, in[0].precision}};
}

void kernel(const std::any&, const Inputs& in, const Outputs& out) {
  copy_elements(*in[0], *out[0], "reshape_b1");
}

}  // namespace

OpDef op_def_reshape() {
  return {.parse_attrs = parse, .num_inputs = fixed_inputs<1>, .infer = infer, .reference = kernel};
}

}  // namespace cvm
