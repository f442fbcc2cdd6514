/* Loads MODEL_DIR/{symbol,params} through the C API (libcvm.so), runs it on
 * the input pattern and prints the gas and the output bytes as hex. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cvm/c_api.h>

#include "input_pattern.h"

static char* read_file(const char* dir, const char* name, int* len) {
  char path[4096];
  snprintf(path, sizeof path, "%s/%s", dir, name);
  FILE* f = fopen(path, "rb");
  if (!f) return NULL;
  fseek(f, 0, SEEK_END);
  long n = ftell(f);
  fseek(f, 0, SEEK_SET);
  char* buf = malloc((size_t)n + 1);
  if (buf && fread(buf, 1, (size_t)n, f) != (size_t)n) {
    free(buf);
    buf = NULL;
  }
  fclose(f);
  if (buf) buf[n] = '\0';
  *len = (int)n;
  return buf;
}

int main(int argc, char** argv) {
  if (argc != 2) {
    fprintf(stderr, "usage: c_consumer MODEL_DIR\n");
    return 2;
  }
  int json_len = 0, params_len = 0;
  char* json = read_file(argv[1], "symbol", &json_len);
  char* params = read_file(argv[1], "params", &params_len);
  if (!json || !params) {
    fprintf(stderr, "c_consumer: cannot read the model in %s\n", argv[1]);
    return 2;
  }
  void* net = NULL;
  int rc = CVMAPILoadModel(json, json_len, params, params_len, &net, 0, 0);
  if (rc != SUCCEED) {
    fprintf(stderr, "c_consumer: CVMAPILoadModel returned %d\n", rc);
    return 1;
  }
  unsigned long long gas = 0, in_len = 0, in_width = 0, out_len = 0;
  if (CVMAPIGetGasFromModel(net, &gas) != SUCCEED || CVMAPIGetInputLength(net, &in_len) != SUCCEED ||
      CVMAPIGetInputTypeSize(net, &in_width) != SUCCEED || CVMAPIGetOutputLength(net, &out_len) != SUCCEED) {
    fprintf(stderr, "c_consumer: a getter failed\n");
    return 1;
  }
  char* in = malloc(in_len);
  char* out = malloc(out_len);
  for (unsigned long long i = 0; i < in_len / in_width; ++i) {
    int v = consumer_input_value(i);
    if (in_width == 1) {
      in[i] = (char)v;
    } else {
      memcpy(in + 4 * i, &v, 4); /* little-endian hosts only, as the C API */
    }
  }
  rc = CVMAPIInference(net, in, (int)in_len, out);
  if (rc != SUCCEED) {
    fprintf(stderr, "c_consumer: CVMAPIInference returned %d\n", rc);
    return 1;
  }
  printf("gas %llu\noutput ", gas);
  for (unsigned long long i = 0; i < out_len; ++i) printf("%02x", (unsigned char)out[i]);
  printf("\n");
  CVMAPIFreeModel(net);
  free(in);
  free(out);
  free(json);
  free(params);
  return 0;
}
