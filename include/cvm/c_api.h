/* The C API of libcvm.so (spec/model/c_api.rst).
 *
 * Same function names, signatures and return codes as the upstream CVM
 * runtime's c_api.h, so a node can load libcvm.so in its place. Every
 * function returns SUCCEED, ERROR_LOGIC (the model or input is invalid) or
 * ERROR_RUNTIME (the environment or cvm itself failed); nothing throws. */
#ifndef CVM_C_API_H_
#define CVM_C_API_H_

#ifndef CVM_DLL
#define CVM_DLL __attribute__((visibility("default")))
#endif

#ifdef __cplusplus
extern "C" {
#endif

/* Upstream declares these as `const int`; an enum gives the same names and
 * values without a definition in every C translation unit. */
enum { SUCCEED = 0, ERROR_LOGIC = 1, ERROR_RUNTIME = 2 };

/* device_type: 0 CPU, 1 GPU, 2 formal (the reference). */
CVM_DLL int CVMAPILoadModel(const char* graph_json, int graph_strlen, const char* param_bytes,
                            int param_strlen, void** net, int device_type, int device_id);
CVM_DLL int CVMAPIFreeModel(void* net);
CVM_DLL int CVMAPIInference(void* net, char* input_data, int input_len, char* output_data);
CVM_DLL int CVMAPIGetVersion(void* net, char* version);
/* Returns the symbol's postprocess string (upstream's name). */
CVM_DLL int CVMAPIGetPreprocessMethod(void* net, char* method);
CVM_DLL int CVMAPIGetInputLength(void* net, unsigned long long* size);
CVM_DLL int CVMAPIGetOutputLength(void* net, unsigned long long* size);
CVM_DLL int CVMAPIGetInputTypeSize(void* net, unsigned long long* size);
CVM_DLL int CVMAPIGetOutputTypeSize(void* net, unsigned long long* size);
CVM_DLL int CVMAPIGetStorageSize(void* net, unsigned long long* gas);
CVM_DLL int CVMAPIGetGasFromModel(void* net, unsigned long long* gas);
/* graph_json is NUL-terminated. */
CVM_DLL int CVMAPIGetGasFromGraphFile(const char* graph_json, unsigned long long* gas);

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* CVM_C_API_H_ */
