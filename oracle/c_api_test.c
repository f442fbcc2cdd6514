/* Tests of libcvm.so through its C API only (include/cvm/c_api.h,
 * spec/model/c_api.rst). Written in C11 with no framework: CHECK counts the
 * failures, and main returns non-zero if there was any.
 *
 * The models are built here: the symbols are string literals and the params
 * are assembled byte by byte (spec/model/params.rst). Every expected number is
 * derived by hand in the comments next to it.
 *
 * Error messages printed by the library on the error paths are expected. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cvm/c_api.h"

#ifndef CVM_C_API_TEST_CUDA
#define CVM_C_API_TEST_CUDA 0
#endif

static int failures = 0;
static int checks = 0;

#define CHECK(cond)                                                              \
  do {                                                                           \
    ++checks;                                                                    \
    if (!(cond)) {                                                               \
      fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #cond); \
      ++failures;                                                                \
    }                                                                            \
  } while (0)

/* Like CHECK(a == b) for integers, printing both values on failure. */
#define CHECK_EQ(a, b)                                                                         \
  do {                                                                                         \
    long long check_a_ = (long long)(a), check_b_ = (long long)(b);                           \
    ++checks;                                                                                  \
    if (check_a_ != check_b_) {                                                                \
      fprintf(stderr, "%s:%d: CHECK failed: %s == %s (%lld vs %lld)\n", __FILE__, __LINE__, #a, \
              #b, check_a_, check_b_);                                                         \
      ++failures;                                                                              \
    }                                                                                          \
  } while (0)

/* ---- Symbols ---------------------------------------------------------------
 * The relu model of spec/model/graph.rst: data (4) of precision PREC, then
 * relu. TAIL is spliced in after "attrs" (",\"version\": ...", postprocess). */
#define RELU_SYMBOL(DATA_NAME, PREC, TAIL)                                                     \
  "{\"nodes\": [{\"op\": \"null\", \"name\": \"" DATA_NAME "\", \"inputs\": []},"             \
  " {\"op\": \"cvm_op\", \"name\": \"r\", \"inputs\": [[0, 0, 0]],"                           \
  "  \"attrs\": {\"func_name\": \"relu\", \"num_inputs\": \"1\", \"num_outputs\": \"1\","     \
  "             \"flatten_data\": \"0\"}}],"                                                  \
  " \"arg_nodes\": [0],"                                                                       \
  " \"node_row_ptr\": [0, 1, 2],"                                                              \
  " \"heads\": [[1, 0, 0]],"                                                                   \
  " \"attrs\": {\"dltype\": [\"list_str\", [\"int32\", \"int32\"]],"                          \
  "           \"storage_id\": [\"list_int\", [0, 1]],"                                        \
  "           \"shape\": [\"list_shape\", [[4], [4]]],"                                       \
  "           \"precision\": [\"list_int\", [" PREC ", -1]],"                                 \
  "           \"op_attrs\": [\"list_str\", [\"\", \"{}\"]]}" TAIL "}"

static const char relu_json[] = RELU_SYMBOL("data", "8", ", \"version\": \"cvm_1.0.0\"");
/* No version key: the default, "cvm_1.0.0" (spec/model/graph.rst). */
static const char relu_noversion_json[] = RELU_SYMBOL("data", "8", "");
static const char relu_v11_json[] = RELU_SYMBOL("data", "8", ", \"version\": \"cvm_1.1.0\"");
/* 40 characters of postprocess: no post-processing, and the getter truncates
 * it to its first 32 characters. */
static const char relu_longpp_json[] =
    RELU_SYMBOL("data", "8", ", \"postprocess\": \"abcdefghijklmnopqrstuvwxyz0123456789ABCD\"");
static const char relu_argmax_json[] = RELU_SYMBOL("data", "8", ", \"postprocess\": \"argmax\"");
static const char relu_detection_json[] =
    RELU_SYMBOL("data", "8", ", \"postprocess\": \"detection\"");
/* Precision 16: the input and output widths are 4. */
static const char relu16_json[] = RELU_SYMBOL("data", "16", "");
/* The input variable is not named data: a valid symbol, but no model (model_c1). */
static const char relu_nodata_json[] = RELU_SYMBOL("x", "8", "");

/* dense with data (2, 5) p8, weight w (3, 5) p8, bias b (3) p8, units 3, use_bias true
 * (the second example of spec/model/gas.rst). */
static const char dense_json[] =
    "{\"nodes\": [{\"op\": \"null\", \"name\": \"data\", \"inputs\": []},"
    " {\"op\": \"null\", \"name\": \"w\", \"inputs\": []},"
    " {\"op\": \"null\", \"name\": \"b\", \"inputs\": []},"
    " {\"op\": \"cvm_op\", \"name\": \"fc\", \"inputs\": [[0, 0, 0], [1, 0, 0], [2, 0, 0]],"
    "  \"attrs\": {\"func_name\": \"dense\", \"num_inputs\": \"3\", \"num_outputs\": \"1\","
    "             \"flatten_data\": \"0\"}}],"
    " \"arg_nodes\": [0, 1, 2],"
    " \"node_row_ptr\": [0, 1, 2, 3, 4],"
    " \"heads\": [[3, 0, 0]],"
    " \"attrs\": {\"dltype\": [\"list_str\", [\"int32\", \"int32\", \"int32\", \"int32\"]],"
    "           \"storage_id\": [\"list_int\", [0, 1, 2, 3]],"
    "           \"shape\": [\"list_shape\", [[2, 5], [3, 5], [3], [2, 3]]],"
    "           \"precision\": [\"list_int\", [8, 8, 8, -1]],"
    "           \"op_attrs\": [\"list_str\", [\"\", \"\", \"\","
    "                          \"{\\\"units\\\": \\\"3\\\", \\\"use_bias\\\": \\\"true\\\"}\"]]},"
    " \"version\": \"cvm_1.0.0\"}";

/* Not JSON at all (graph_c1, a runtime error). */
static const char malformed_json[] = "{\"nodes\": [";

/* ---- Params ------------------------------------------------------------- */

typedef struct {
  unsigned char bytes[512];
  size_t n;
} Buf;

static void put_le(Buf* b, uint64_t v, int nbytes) {
  int i;
  for (i = 0; i < nbytes; ++i) {
    if (b->n >= sizeof b->bytes) {
      fprintf(stderr, "params buffer overflow\n");
      exit(3);
    }
    b->bytes[b->n++] = (unsigned char)(v >> (8 * i));
  }
}

static void put_u64(Buf* b, uint64_t v) { put_le(b, v, 8); }
static void put_i64(Buf* b, int64_t v) { put_le(b, (uint64_t)v, 8); }
static void put_i32(Buf* b, int32_t v) { put_le(b, (uint64_t)(uint32_t)v, 4); }

static void put_list_header(Buf* b) {
  put_u64(b, 0xF7E58D4F05049CB7ull); /* list magic */
  put_u64(b, 0);                     /* reserved */
}

static void put_name(Buf* b, const char* name) {
  size_t i, len = strlen(name);
  put_u64(b, len);
  for (i = 0; i < len; ++i) put_le(b, (unsigned char)name[i], 1);
}

/* An array record header through the shape, then data_bytes. */
static void put_array_header(Buf* b, int bits, int ndim, const int64_t* shape, int64_t size) {
  int i;
  put_u64(b, 0xDD5E40F096B4A13Full); /* array magic */
  put_u64(b, 0);                     /* reserved */
  put_i32(b, 1);                     /* device_type: CPU */
  put_i32(b, 0);                     /* device_id */
  put_i32(b, ndim);
  put_le(b, 0, 1);    /* dtype_code: signed integer */
  put_le(b, (uint64_t)bits, 1);
  put_le(b, 1, 2);    /* dtype_lanes */
  for (i = 0; i < ndim; ++i) put_i64(b, shape[i]);
  put_i64(b, size * bits / 8); /* data_bytes */
}

/* An empty list: the 16-byte header, n_names = 0, n_arrays = 0. */
static void build_empty_params(Buf* b) {
  b->n = 0;
  put_list_header(b);
  put_u64(b, 0); /* n_names */
  put_u64(b, 0); /* n_arrays */
}

/* The dense model's weight as int8 and its bias as int32:
 *   w = [[  1,  0, 0, 0,    0],
 *        [  1,  1, 1, 1,    1],
 *        [127, -1, 0, 3, -127]]
 *   b = [10, -100, 127]            (all within R(8) = 127, model_c5) */
static const signed char dense_w[15] = {1, 0, 0, 0, 0, 1, 1, 1, 1, 1, 127, -1, 0, 3, -127};
static const int32_t dense_b[3] = {10, -100, 127};

static void build_dense_params(Buf* b) {
  static const int64_t w_shape[2] = {3, 5};
  static const int64_t b_shape[1] = {3};
  int i;
  b->n = 0;
  put_list_header(b);
  put_u64(b, 2); /* n_names */
  put_name(b, "w");
  put_name(b, "b");
  put_u64(b, 2); /* n_arrays */
  put_array_header(b, 8, 2, w_shape, 15);
  for (i = 0; i < 15; ++i) put_le(b, (uint64_t)(uint8_t)dense_w[i], 1);
  put_array_header(b, 32, 1, b_shape, 3);
  for (i = 0; i < 3; ++i) put_i32(b, dense_b[i]);
}

/* ---- Helpers ------------------------------------------------------------ */

static int64_t le_i32(const unsigned char* p) {
  uint32_t u = (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
  return u >= 0x80000000u ? (int64_t)u - 0x100000000ll : (int64_t)u;
}

static void set_le_i32(unsigned char* p, int32_t v) {
  uint32_t u = (uint32_t)v;
  p[0] = (unsigned char)u;
  p[1] = (unsigned char)(u >> 8);
  p[2] = (unsigned char)(u >> 16);
  p[3] = (unsigned char)(u >> 24);
}

/* Loads a symbol given as a C string with the params in b, on device_type. The
 * symbol is copied into a buffer of exactly its length, without a NUL, so a
 * read past graph_strlen is caught under ASan. */
static int load(const char* json, const Buf* b, int device_type, void** net) {
  size_t len = strlen(json);
  char* copy = (char*)malloc(len);
  int rc;
  if (copy == NULL) exit(3);
  memcpy(copy, json, len);
  rc = CVMAPILoadModel(copy, (int)len, (const char*)b->bytes, (int)b->n, net, device_type, 0);
  free(copy);
  return rc;
}

static unsigned long long get(int (*getter)(void*, unsigned long long*), void* net) {
  unsigned long long v = 0xDEADull;
  CHECK_EQ(getter(net, &v), SUCCEED);
  return v;
}

/* Loads `json` on the CPU and checks that CVMAPIGetVersion writes `expected`. */
static void check_version(const char* json, const Buf* b, const char* expected) {
  void* net = NULL;
  char str[34];
  CHECK_EQ(load(json, b, 2, &net), SUCCEED);
  if (net == NULL) return;
  memset(str, 'X', sizeof str);
  CHECK_EQ(CVMAPIGetVersion(net, str), SUCCEED);
  CHECK(strcmp(str, expected) == 0);
  CHECK_EQ(CVMAPIFreeModel(net), SUCCEED);
}

/* ---- Tests -------------------------------------------------------------- */

static void test_params_sizes(void) {
  Buf b;
  build_empty_params(&b);
  /* 16 (magic, reserved) + 8 (n_names) + 8 (n_arrays). */
  CHECK_EQ(b.n, 32);
  build_dense_params(&b);
  /* Header 16 + n_names 8 + 2 * (8 + 1) names + n_arrays 8 = 50;
   * w: magic/reserved 16 + device/ndim 12 + dtype 4 + shape 16 + data_bytes 8 + 15 = 71;
   * b: 16 + 12 + 4 + shape 8 + data_bytes 8 + 12 = 60. Total 181. */
  CHECK_EQ(b.n, 181);
}

static void test_relu(void) {
  Buf params;
  void* net = NULL;
  void* net2 = NULL;
  unsigned long long gas = 0;
  char str[34];
  /* int8 bytes -128, -1, 0, 127. */
  unsigned char in[4] = {0x80, 0xFF, 0x00, 0x7F};
  unsigned char out[4], out2[4];

  build_empty_params(&params);
  CHECK_EQ(load(relu_json, &params, 2, &net), SUCCEED);
  CHECK(net != NULL);
  if (net == NULL) return;

  /* Gas (spec/model/gas.rst): data 5*4 = 20, relu mem 5*4 = 20, ops 1*4 = 4: 44. */
  CHECK_EQ(get(CVMAPIGetGasFromModel, net), 44);
  /* Storage: two storage ids of 4 * 4 = 16 bytes each: 32. */
  CHECK_EQ(get(CVMAPIGetStorageSize, net), 32);
  /* 4 elements of precision 8 <= 8: width 1, input length 4 * 1 = 4. */
  CHECK_EQ(get(CVMAPIGetInputLength, net), 4);
  CHECK_EQ(get(CVMAPIGetInputTypeSize, net), 1);
  /* The output has the input's precision 8: width 1, length 4. */
  CHECK_EQ(get(CVMAPIGetOutputLength, net), 4);
  CHECK_EQ(get(CVMAPIGetOutputTypeSize, net), 1);

  memset(str, 'X', sizeof str);
  CHECK_EQ(CVMAPIGetVersion(net, str), SUCCEED);
  CHECK(strcmp(str, "cvm_1.0.0") == 0);
  CHECK(str[10] == 'X'); /* 9 characters and a NUL, nothing more */
  memset(str, 'X', sizeof str);
  CHECK_EQ(CVMAPIGetPreprocessMethod(net, str), SUCCEED);
  CHECK(str[0] == '\0' && str[1] == 'X'); /* no postprocess key: "" */

  /* -128 saturates to -R(8) = -127, relu gives 0; -1 -> 0; 0 -> 0; 127 -> 127. */
  memset(out, 0xAA, sizeof out);
  CHECK_EQ(CVMAPIInference(net, (char*)in, 4, (char*)out), SUCCEED);
  CHECK(out[0] == 0 && out[1] == 0 && out[2] == 0 && out[3] == 127);
  /* Nothing is carried between inferences: the same bytes again. */
  memset(out2, 0xAA, sizeof out2);
  CHECK_EQ(CVMAPIInference(net, (char*)in, 4, (char*)out2), SUCCEED);
  CHECK(memcmp(out, out2, 4) == 0);
  /* The input buffer is not modified. */
  CHECK(in[0] == 0x80 && in[1] == 0xFF && in[2] == 0x00 && in[3] == 0x7F);

  /* Device 0 (the CPU backend) gives the same bytes as device 2 (the reference). */
  CHECK_EQ(load(relu_json, &params, 0, &net2), SUCCEED);
  if (net2 != NULL) {
    memset(out2, 0xAA, sizeof out2);
    CHECK_EQ(CVMAPIInference(net2, (char*)in, 4, (char*)out2), SUCCEED);
    CHECK(memcmp(out, out2, 4) == 0);
    CHECK_EQ(CVMAPIFreeModel(net2), SUCCEED);
  }

  /* The gas of the symbol alone (NUL-terminated) is the same 44. */
  CHECK_EQ(CVMAPIGetGasFromGraphFile(relu_json, &gas), SUCCEED);
  CHECK_EQ(gas, 44);

  CHECK_EQ(CVMAPIFreeModel(net), SUCCEED);
}

static void test_relu_variants(void) {
  Buf params;
  void* net = NULL;
  char str[34];
  unsigned char in[4] = {0x80, 0xFF, 0x00, 0x7F};
  unsigned char out[16];
  unsigned char in16[16];
  unsigned long long gas = 0;
  int i;

  build_empty_params(&params);

  /* No version key: "cvm_1.0.0". */
  check_version(relu_noversion_json, &params, "cvm_1.0.0");

  /* version cvm_1.1.0 is returned as written. */
  check_version(relu_v11_json, &params, "cvm_1.1.0");

  /* A 40-character postprocess: at most 32 bytes and a NUL are written, so
   * byte 33 of the caller's 34-byte buffer is untouched. */
  CHECK_EQ(load(relu_longpp_json, &params, 2, &net), SUCCEED);
  if (net != NULL) {
    memset(str, 'X', sizeof str);
    CHECK_EQ(CVMAPIGetPreprocessMethod(net, str), SUCCEED);
    CHECK(strcmp(str, "abcdefghijklmnopqrstuvwxyz012345") == 0); /* 26 + 6 = 32 characters */
    CHECK(str[32] == '\0' && str[33] == 'X');
    /* Not a known post-processing: the output is the head as is (width 1, length 4). */
    CHECK_EQ(get(CVMAPIGetOutputLength, net), 4);
    memset(out, 0xAA, sizeof out);
    CHECK_EQ(CVMAPIInference(net, (char*)in, 4, (char*)out), SUCCEED);
    CHECK(out[0] == 0 && out[1] == 0 && out[2] == 0 && out[3] == 127);
    CHECK_EQ(CVMAPIFreeModel(net), SUCCEED);
    net = NULL;
  }

  /* argmax (spec/model/inference.rst): one head of shape (4), so L = 4 and
   * R = 1 row; output width 4, length 4 * 1 = 4 bytes. relu gives
   * (0, 0, 0, 127) whose first maximum is at index 3: bytes 03 00 00 00. */
  CHECK_EQ(load(relu_argmax_json, &params, 2, &net), SUCCEED);
  if (net != NULL) {
    memset(str, 'X', sizeof str);
    CHECK_EQ(CVMAPIGetPreprocessMethod(net, str), SUCCEED);
    CHECK(strcmp(str, "argmax") == 0);
    CHECK_EQ(get(CVMAPIGetOutputTypeSize, net), 4);
    CHECK_EQ(get(CVMAPIGetOutputLength, net), 4);
    memset(out, 0xAA, sizeof out);
    CHECK_EQ(CVMAPIInference(net, (char*)in, 4, (char*)out), SUCCEED);
    CHECK_EQ(le_i32(out), 3);
    CHECK(out[4] == 0xAA); /* nothing past the output length */
    CHECK_EQ(CVMAPIFreeModel(net), SUCCEED);
    net = NULL;
  }

  /* detection with a single head loads (upstream checks at inference), and
   * every inference is infer_c2, a logic error; the output is left alone. */
  CHECK_EQ(load(relu_detection_json, &params, 2, &net), SUCCEED);
  if (net != NULL) {
    memset(out, 0xAA, sizeof out);
    CHECK_EQ(CVMAPIInference(net, (char*)in, 4, (char*)out), ERROR_LOGIC);
    for (i = 0; i < 16; ++i) CHECK(out[i] == 0xAA);
    CHECK_EQ(CVMAPIFreeModel(net), SUCCEED);
    net = NULL;
  }

  /* Precision 16 (> 8): the input and output widths are 4, lengths 4 * 4 = 16.
   * Gas and storage do not depend on precision: 44 and 32. Input int32
   * (-40000, 40000, -5, 300) saturates to R(16) = 32767: (-32767, 32767, -5,
   * 300); relu: (0, 32767, 0, 300). */
  CHECK_EQ(load(relu16_json, &params, 2, &net), SUCCEED);
  if (net != NULL) {
    CHECK_EQ(get(CVMAPIGetInputTypeSize, net), 4);
    CHECK_EQ(get(CVMAPIGetInputLength, net), 16);
    CHECK_EQ(get(CVMAPIGetOutputTypeSize, net), 4);
    CHECK_EQ(get(CVMAPIGetOutputLength, net), 16);
    CHECK_EQ(get(CVMAPIGetGasFromModel, net), 44);
    CHECK_EQ(get(CVMAPIGetStorageSize, net), 32);
    set_le_i32(in16 + 0, -40000);
    set_le_i32(in16 + 4, 40000);
    set_le_i32(in16 + 8, -5);
    set_le_i32(in16 + 12, 300);
    memset(out, 0xAA, sizeof out);
    CHECK_EQ(CVMAPIInference(net, (char*)in16, 16, (char*)out), SUCCEED);
    CHECK_EQ(le_i32(out + 0), 0);
    CHECK_EQ(le_i32(out + 4), 32767);
    CHECK_EQ(le_i32(out + 8), 0);
    CHECK_EQ(le_i32(out + 12), 300);
    /* 4 bytes per element: 4 bytes is the wrong length (infer_c1). */
    CHECK_EQ(CVMAPIInference(net, (char*)in16, 4, (char*)out), ERROR_LOGIC);
    CHECK_EQ(CVMAPIFreeModel(net), SUCCEED);
    net = NULL;
  }

  /* No variable named data: the symbol alone is valid and its gas is 44
   * (params and data are not looked at), but it is no model (model_c1). */
  gas = 0;
  CHECK_EQ(CVMAPIGetGasFromGraphFile(relu_nodata_json, &gas), SUCCEED);
  CHECK_EQ(gas, 44);
  net = &net;
  CHECK_EQ(load(relu_nodata_json, &params, 2, &net), ERROR_RUNTIME); /* a fatal log upstream */
  CHECK(net == &net);
}

static void test_dense(void) {
  Buf params, empty;
  void* net = NULL;
  void* net0 = NULL;
  unsigned long long gas = 0;
  /* data (2, 5), int8 (precision 8 <= 8: width 1):
   *   x = [[   1, 2,   3,  4, 5],
   *        [-128, 0, 127, -1, 2]]      -128 saturates to -127 */
  unsigned char in[10] = {1, 2, 3, 4, 5, 0x80, 0, 127, 0xFF, 2};
  unsigned char out[24 + 4], out0[24 + 4];
  /* y[m][n] = sum_k x[m][k] * w[n][k] + b[n]:
   *   y[0][0] = 1 + 10 = 11
   *   y[0][1] = (1 + 2 + 3 + 4 + 5) - 100 = 15 - 100 = -85
   *   y[0][2] = 127 - 2 + 0 + 12 - 635 + 127 = -498 + 127 = -371
   *   y[1][0] = -127 + 10 = -117
   *   y[1][1] = (-127 + 0 + 127 - 1 + 2) - 100 = 1 - 100 = -99
   *   y[1][2] = -127*127 + 0 + 0 - 3 - 254 + 127 = -16129 - 257 + 127 = -16259 */
  static const int64_t expected[6] = {11, -85, -371, -117, -99, -16259};
  int i;

  build_dense_params(&params);
  CHECK_EQ(load(dense_json, &params, 2, &net), SUCCEED);
  CHECK(net != NULL);
  if (net == NULL) return;

  /* spec/model/gas.rst: mem = 5 * (10 + 15 + 3 + 6) = 170, weight 3 * 5 + 1 = 16,
   * ops = 16 * 6 = 96: 266. */
  CHECK_EQ(get(CVMAPIGetGasFromModel, net), 266);
  /* Four storage ids: 4 * (10 + 15 + 3 + 6) = 136 bytes. */
  CHECK_EQ(get(CVMAPIGetStorageSize, net), 136);
  CHECK_EQ(get(CVMAPIGetInputTypeSize, net), 1);
  CHECK_EQ(get(CVMAPIGetInputLength, net), 10); /* 2 * 5 elements * 1 byte */
  /* Output precision: p = 8 + 8 + bits(5) = 8 + 8 + 3 = 19, with the bias
   * max(19, 8) + 1 = 20 > 8: width 4; 2 * 3 elements: 24 bytes. */
  CHECK_EQ(get(CVMAPIGetOutputTypeSize, net), 4);
  CHECK_EQ(get(CVMAPIGetOutputLength, net), 24);

  memset(out, 0xAA, sizeof out);
  CHECK_EQ(CVMAPIInference(net, (char*)in, 10, (char*)out), SUCCEED);
  for (i = 0; i < 6; ++i) CHECK_EQ(le_i32(out + 4 * i), expected[i]);
  for (i = 24; i < 28; ++i) CHECK(out[i] == 0xAA); /* nothing past the output length */

  /* Device 0 gives the same bytes as device 2. */
  CHECK_EQ(load(dense_json, &params, 0, &net0), SUCCEED);
  if (net0 != NULL) {
    memset(out0, 0xAA, sizeof out0);
    CHECK_EQ(CVMAPIInference(net0, (char*)in, 10, (char*)out0), SUCCEED);
    CHECK(memcmp(out, out0, sizeof out) == 0);
    CHECK_EQ(CVMAPIFreeModel(net0), SUCCEED);
  }

  CHECK_EQ(CVMAPIGetGasFromGraphFile(dense_json, &gas), SUCCEED);
  CHECK_EQ(gas, 266);

  /* Without params, w and b have no values (model_c3): a logic error. */
  build_empty_params(&empty);
  net0 = &net0;
  CHECK_EQ(load(dense_json, &empty, 2, &net0), ERROR_LOGIC);
  CHECK(net0 == &net0);

  CHECK_EQ(CVMAPIFreeModel(net), SUCCEED);
}

static void test_errors(void) {
  Buf params;
  void* net = NULL;
  void* sentinel = &params;
  void* out_net;
  unsigned long long v;
  unsigned char in[5] = {1, 2, 3, 4, 5};
  unsigned char out[8];
  char str[34];
  int i;
  const int relu_len = (int)strlen(relu_json);
  const char* pbytes = (const char*)params.bytes;
  int plen;

  build_empty_params(&params);
  plen = (int)params.n;

  /* CVMAPIFreeModel(NULL) is allowed. */
  CHECK_EQ(CVMAPIFreeModel(NULL), SUCCEED);

  /* api_c1: null pointers and negative lengths at load; *net is untouched. */
  out_net = sentinel;
  CHECK_EQ(CVMAPILoadModel(NULL, relu_len, pbytes, plen, &out_net, 2, 0), ERROR_RUNTIME);
  CHECK_EQ(CVMAPILoadModel(relu_json, relu_len, NULL, plen, &out_net, 2, 0), ERROR_RUNTIME);
  CHECK_EQ(CVMAPILoadModel(relu_json, relu_len, pbytes, plen, NULL, 2, 0), ERROR_RUNTIME);
  CHECK_EQ(CVMAPILoadModel(relu_json, -1, pbytes, plen, &out_net, 2, 0), ERROR_RUNTIME);
  CHECK_EQ(CVMAPILoadModel(relu_json, relu_len, pbytes, -1, &out_net, 2, 0), ERROR_RUNTIME);
  CHECK(out_net == sentinel);

  /* api_c2: device_type outside {0, 1, 2}. */
  CHECK_EQ(load(relu_json, &params, 7, &out_net), ERROR_RUNTIME);
  CHECK_EQ(load(relu_json, &params, -1, &out_net), ERROR_RUNTIME);
  CHECK(out_net == sentinel);
  /* api_c2: device_type 1 (GPU) without a CUDA backend built in. */
  if (!CVM_C_API_TEST_CUDA) {
    CHECK_EQ(load(relu_json, &params, 1, &out_net), ERROR_RUNTIME);
    CHECK(out_net == sentinel);
  }

  /* Malformed JSON is graph_c1: a runtime error (upstream's JSON reader
   * CHECKs), at load and for the gas. */
  CHECK_EQ(load(malformed_json, &params, 2, &out_net), ERROR_RUNTIME);
  CHECK(out_net == sentinel);
  v = 12345;
  CHECK_EQ(CVMAPIGetGasFromGraphFile(malformed_json, &v), ERROR_RUNTIME);
  CHECK_EQ(v, 12345);
  /* The symbol cut one byte short is malformed too: graph_strlen is obeyed. */
  CHECK_EQ(CVMAPILoadModel(relu_json, relu_len - 1, pbytes, plen, &out_net, 2, 0), ERROR_RUNTIME);
  CHECK(out_net == sentinel);

  /* Empty params (params_c1): a logic error. */
  CHECK_EQ(CVMAPILoadModel(relu_json, relu_len, pbytes, 0, &out_net, 2, 0), ERROR_LOGIC);
  CHECK(out_net == sentinel);

  /* GetGasFromGraphFile null pointers: api_c1. */
  CHECK_EQ(CVMAPIGetGasFromGraphFile(NULL, &v), ERROR_RUNTIME);
  CHECK_EQ(CVMAPIGetGasFromGraphFile(relu_json, NULL), ERROR_RUNTIME);
  CHECK_EQ(v, 12345);

  /* Null net in every function taking one: api_c1. */
  memset(out, 0xAA, sizeof out);
  CHECK_EQ(CVMAPIInference(NULL, (char*)in, 4, (char*)out), ERROR_RUNTIME);
  CHECK_EQ(CVMAPIGetVersion(NULL, str), ERROR_RUNTIME);
  CHECK_EQ(CVMAPIGetPreprocessMethod(NULL, str), ERROR_RUNTIME);
  CHECK_EQ(CVMAPIGetInputLength(NULL, &v), ERROR_RUNTIME);
  CHECK_EQ(CVMAPIGetOutputLength(NULL, &v), ERROR_RUNTIME);
  CHECK_EQ(CVMAPIGetInputTypeSize(NULL, &v), ERROR_RUNTIME);
  CHECK_EQ(CVMAPIGetOutputTypeSize(NULL, &v), ERROR_RUNTIME);
  CHECK_EQ(CVMAPIGetStorageSize(NULL, &v), ERROR_RUNTIME);
  CHECK_EQ(CVMAPIGetGasFromModel(NULL, &v), ERROR_RUNTIME);
  CHECK_EQ(v, 12345);

  CHECK_EQ(load(relu_json, &params, 2, &net), SUCCEED);
  if (net == NULL) return;

  /* Null out pointers: api_c1. */
  CHECK_EQ(CVMAPIGetVersion(net, NULL), ERROR_RUNTIME);
  CHECK_EQ(CVMAPIGetPreprocessMethod(net, NULL), ERROR_RUNTIME);
  CHECK_EQ(CVMAPIGetInputLength(net, NULL), ERROR_RUNTIME);
  CHECK_EQ(CVMAPIGetOutputLength(net, NULL), ERROR_RUNTIME);
  CHECK_EQ(CVMAPIGetInputTypeSize(net, NULL), ERROR_RUNTIME);
  CHECK_EQ(CVMAPIGetOutputTypeSize(net, NULL), ERROR_RUNTIME);
  CHECK_EQ(CVMAPIGetStorageSize(net, NULL), ERROR_RUNTIME);
  CHECK_EQ(CVMAPIGetGasFromModel(net, NULL), ERROR_RUNTIME);
  CHECK_EQ(CVMAPIInference(net, NULL, 4, (char*)out), ERROR_RUNTIME);
  CHECK_EQ(CVMAPIInference(net, (char*)in, 4, NULL), ERROR_RUNTIME);
  /* A negative input length: api_c1. */
  CHECK_EQ(CVMAPIInference(net, (char*)in, -4, (char*)out), ERROR_RUNTIME);

  /* The wrong input length (the model takes 4 bytes) is infer_c1: logic. */
  CHECK_EQ(CVMAPIInference(net, (char*)in, 3, (char*)out), ERROR_LOGIC);
  CHECK_EQ(CVMAPIInference(net, (char*)in, 5, (char*)out), ERROR_LOGIC);
  CHECK_EQ(CVMAPIInference(net, (char*)in, 0, (char*)out), ERROR_LOGIC);
  for (i = 0; i < 8; ++i) CHECK(out[i] == 0xAA); /* failures leave the output alone */

  /* The handle still works after all those failures: 1, 2, 3, 4 pass relu. */
  CHECK_EQ(CVMAPIInference(net, (char*)in, 4, (char*)out), SUCCEED);
  CHECK(out[0] == 1 && out[1] == 2 && out[2] == 3 && out[3] == 4);
  CHECK(out[4] == 0xAA);

  CHECK_EQ(CVMAPIFreeModel(net), SUCCEED);
}

/* CVMAPIGetLastError (cvm's extension): the calling thread's last message,
 * "FUNCTION: LABEL: DETAIL", set by a failing call and cleared by a
 * successful one; truncated like snprintf. */
static void test_last_error(void) {
  static const char expected[] = "CVMAPIGetGasFromModel: api_c1: net is null";
  const unsigned long long full = sizeof expected; /* strlen + 1 */
  Buf params, empty;
  void* net = NULL;
  void* out_net = NULL;
  unsigned long long v = 0, needed = 0;
  char msg[256];
  char str[34];

  build_empty_params(&params);
  CHECK_EQ(load(relu_json, &params, 2, &net), SUCCEED);
  if (net == NULL) return;

  /* After a successful call the message is empty: needed is 1, buf "". */
  CHECK_EQ(CVMAPIGetVersion(net, str), SUCCEED);
  needed = 0;
  memset(msg, 'X', sizeof msg);
  CHECK_EQ(CVMAPIGetLastError(msg, sizeof msg, &needed), SUCCEED);
  CHECK_EQ(needed, 1);
  CHECK(msg[0] == '\0' && msg[1] == 'X');

  /* A failing call: the whole message, names the function and the label. */
  CHECK_EQ(CVMAPIGetGasFromModel(NULL, &v), ERROR_RUNTIME);
  memset(msg, 'X', sizeof msg);
  CHECK_EQ(CVMAPIGetLastError(msg, sizeof msg, &needed), SUCCEED);
  CHECK(strcmp(msg, expected) == 0);
  CHECK_EQ(needed, full);
  CHECK(msg[full] == 'X'); /* nothing past the NUL */

  /* Reading it does not change it; needed may be null. */
  memset(msg, 'X', sizeof msg);
  CHECK_EQ(CVMAPIGetLastError(msg, sizeof msg, NULL), SUCCEED);
  CHECK(strcmp(msg, expected) == 0);

  /* A size query: buf_len 0 writes nothing, buf may then be null. */
  needed = 0;
  CHECK_EQ(CVMAPIGetLastError(NULL, 0, &needed), SUCCEED);
  CHECK_EQ(needed, full);
  memset(msg, 'X', sizeof msg);
  CHECK_EQ(CVMAPIGetLastError(msg, 0, &needed), SUCCEED);
  CHECK(msg[0] == 'X');

  /* Truncated: buf_len 10 gets the first 9 bytes and a NUL, nothing more;
   * needed still says how much the whole message takes. */
  memset(msg, 'X', sizeof msg);
  needed = 0;
  CHECK_EQ(CVMAPIGetLastError(msg, 10, &needed), SUCCEED);
  CHECK(memcmp(msg, expected, 9) == 0 && msg[9] == '\0' && msg[10] == 'X');
  CHECK_EQ(needed, full);
  /* buf_len 1: only the NUL. */
  memset(msg, 'X', sizeof msg);
  CHECK_EQ(CVMAPIGetLastError(msg, 1, NULL), SUCCEED);
  CHECK(msg[0] == '\0' && msg[1] == 'X');
  /* Exactly the needed size: whole, no truncation. */
  memset(msg, 'X', sizeof msg);
  CHECK_EQ(CVMAPIGetLastError(msg, full, NULL), SUCCEED);
  CHECK(strcmp(msg, expected) == 0);
  /* One byte short: the last character is cut. */
  memset(msg, 'X', sizeof msg);
  CHECK_EQ(CVMAPIGetLastError(msg, full - 1, NULL), SUCCEED);
  CHECK(strncmp(msg, expected, full - 2) == 0 && msg[full - 2] == '\0' && msg[full - 1] == 'X');

  /* A null buf with a non-zero length is api_c1; the message stays. */
  CHECK_EQ(CVMAPIGetLastError(NULL, 8, &needed), ERROR_RUNTIME);
  memset(msg, 'X', sizeof msg);
  CHECK_EQ(CVMAPIGetLastError(msg, sizeof msg, NULL), SUCCEED);
  CHECK(strcmp(msg, expected) == 0);

  /* A logic error names its label: no values for w and b (model_c3). */
  build_empty_params(&empty);
  CHECK_EQ(load(dense_json, &empty, 2, &out_net), ERROR_LOGIC);
  memset(msg, 0, sizeof msg);
  CHECK_EQ(CVMAPIGetLastError(msg, sizeof msg, NULL), SUCCEED);
  CHECK(strncmp(msg, "CVMAPILoadModel: model_c3: ", 27) == 0);
  /* Malformed JSON: graph_c1, a runtime error. */
  CHECK_EQ(CVMAPIGetGasFromGraphFile(malformed_json, &v), ERROR_RUNTIME);
  CHECK_EQ(CVMAPIGetLastError(msg, sizeof msg, NULL), SUCCEED);
  CHECK(strncmp(msg, "CVMAPIGetGasFromGraphFile: graph_c1: ", 37) == 0);

  /* A successful call clears it; CVMAPIFreeModel(NULL) succeeds too. */
  CHECK_EQ(CVMAPIFreeModel(NULL), SUCCEED);
  CHECK_EQ(CVMAPIGetLastError(msg, sizeof msg, &needed), SUCCEED);
  CHECK_EQ(needed, 1);
  CHECK(msg[0] == '\0');

  CHECK_EQ(CVMAPIFreeModel(net), SUCCEED);
}

int main(void) {
  test_params_sizes();
  test_relu();
  test_relu_variants();
  test_dense();
  test_errors();
  test_last_error();
  if (failures != 0) {
    fprintf(stderr, "c_api_test: %d of %d checks FAILED\n", failures, checks);
    return 1;
  }
  printf("c_api_test: all %d checks passed\n", checks);
  return 0;
}
