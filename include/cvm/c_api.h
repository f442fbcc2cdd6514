/** @file
 * @brief The C API of libcvm.so (spec/model/c_api.rst).
 *
 * Same function names, signatures and return codes as the upstream CVM
 * runtime's c_api.h, so a node can load libcvm.so in its place. Every
 * function returns SUCCEED, ERROR_LOGIC (the model or input is invalid) or
 * ERROR_RUNTIME (the environment or cvm itself failed); nothing throws. On
 * failure the message is printed to stderr and the output arguments are left
 * unchanged. CVMAPIGetLastError is cvm's own addition: it is not part of
 * upstream's API. */
#ifndef CVM_C_API_H_
#define CVM_C_API_H_

#ifndef CVM_DLL
/** Marks the exported functions (libcvm.so exports nothing else). */
#define CVM_DLL __attribute__((visibility("default")))
#endif

#ifdef __cplusplus
extern "C" {
#endif

/** The return codes. Upstream declares these as `const int`; an enum gives
 * the same names and values without a definition in every C translation
 * unit. */
enum {
  SUCCEED = 0,       /**< the call succeeded */
  ERROR_LOGIC = 1,   /**< the model, an argument value or the input is invalid: the caller's fault */
  ERROR_RUNTIME = 2  /**< a null pointer, an unusable device, an allocation or internal failure */
};

/** @brief Loads and validates a model (spec/model/load.rst) and makes a handle.
 *
 * @param graph_json    the symbol (graph JSON), graph_strlen bytes, not NUL-terminated
 * @param graph_strlen  its length in bytes
 * @param param_bytes   the params file, param_strlen bytes
 * @param param_strlen  its length in bytes
 * @param net           receives the new handle (free it with CVMAPIFreeModel); unchanged on failure
 * @param device_type   0 CPU (the fastest CPU backend), 1 GPU (the CUDA backend), 2 formal (the reference)
 * @param device_id     the GPU; ignored for the CPU and formal devices
 * @return SUCCEED, ERROR_LOGIC or ERROR_RUNTIME */
CVM_DLL int CVMAPILoadModel(const char* graph_json, int graph_strlen, const char* param_bytes,
                            int param_strlen, void** net, int device_type, int device_id);
/** @brief Frees a handle made by CVMAPILoadModel; a null handle is allowed.
 * @return SUCCEED */
CVM_DLL int CVMAPIFreeModel(void* net);
/** @brief Runs one inference (spec/model/inference.rst).
 *
 * @param net          the handle
 * @param input_data   the input, input_len bytes (CVMAPIGetInputLength), in the input width
 * @param input_len    its length in bytes
 * @param output_data  receives exactly CVMAPIGetOutputLength bytes; unchanged on failure
 * @return SUCCEED, ERROR_LOGIC or ERROR_RUNTIME */
CVM_DLL int CVMAPIInference(void* net, char* input_data, int input_len, char* output_data);
/** @brief Copies the symbol's version (at most 32 bytes, "cvm_1.0.0" when the
 * symbol has none) and a NUL to `version` (upstream's callers pass 34 bytes).
 * @return SUCCEED or ERROR_RUNTIME (a null pointer) */
CVM_DLL int CVMAPIGetVersion(void* net, char* version);
/** @brief Copies the symbol's postprocess string (at most 32 bytes) and a NUL
 * to `method` (upstream's name for it).
 * @return SUCCEED or ERROR_RUNTIME (a null pointer) */
CVM_DLL int CVMAPIGetPreprocessMethod(void* net, char* method);
/** @brief The input length in bytes (elements times the input width).
 * @return SUCCEED or ERROR_RUNTIME (a null pointer) */
CVM_DLL int CVMAPIGetInputLength(void* net, unsigned long long* size);
/** @brief The output length in bytes (post-processed elements times the output width).
 * @return SUCCEED or ERROR_RUNTIME (a null pointer) */
CVM_DLL int CVMAPIGetOutputLength(void* net, unsigned long long* size);
/** @brief The input width: 1 (precision at most 8) or 4 bytes per element.
 * @return SUCCEED or ERROR_RUNTIME (a null pointer) */
CVM_DLL int CVMAPIGetInputTypeSize(void* net, unsigned long long* size);
/** @brief The output width: 1 (output precision at most 8) or 4 bytes per element.
 * @return SUCCEED or ERROR_RUNTIME (a null pointer) */
CVM_DLL int CVMAPIGetOutputTypeSize(void* net, unsigned long long* size);
/** @brief The model's storage size in bytes (spec/model/gas.rst).
 * @return SUCCEED or ERROR_RUNTIME (a null pointer) */
CVM_DLL int CVMAPIGetStorageSize(void* net, unsigned long long* gas);
/** @brief The model's gas (spec/model/gas.rst).
 * @return SUCCEED, ERROR_LOGIC (a gas limit is broken) or ERROR_RUNTIME (a null pointer) */
CVM_DLL int CVMAPIGetGasFromModel(void* net, unsigned long long* gas);
/** @brief Validates a symbol alone and returns its gas; params, the data
 * variable and storage_c1 are not looked at, as upstream.
 * @param graph_json  the symbol, NUL-terminated
 * @param gas         receives the gas
 * @return SUCCEED, ERROR_LOGIC or ERROR_RUNTIME */
CVM_DLL int CVMAPIGetGasFromGraphFile(const char* graph_json, unsigned long long* gas);

/** @brief cvm's extension (not in upstream's API): the error message of the
 * calling thread's last failed call.
 *
 * Each thread has its own message. Every other function of this API sets it
 * when it fails and clears it (to the empty string) when it succeeds, so it
 * always describes the thread's most recent call of those; calling
 * CVMAPIGetLastError never changes it. The message is the line printed to
 * stderr without its "ERROR: " prefix: "FUNCTION: LABEL: DETAIL", e.g.
 * "CVMAPIGetGasFromModel: api_c1: net is null", where LABEL is the violated
 * constraint (spec/common.rst).
 *
 * Like snprintf, it writes at most buf_len bytes, always NUL-terminated when
 * buf_len is at least 1: the message, truncated to at most buf_len - 1 bytes
 * (at a UTF-8 character boundary), then a NUL.
 *
 * @param buf      receives the message; may be null only when buf_len is 0
 * @param buf_len  the size of buf in bytes; 0 writes nothing (a size query)
 * @param needed   if not null, receives the message's length plus 1 (for the
 *                 NUL): the buf_len that holds it whole; 1 when the last call
 *                 succeeded. A result above buf_len means it was truncated.
 * @return SUCCEED, or ERROR_RUNTIME when buf is null and buf_len is not 0
 *         (nothing is written then, the message stays as it was) */
CVM_DLL int CVMAPIGetLastError(char* buf, unsigned long long buf_len, unsigned long long* needed);

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* CVM_C_API_H_ */
