// The C API of libcvm.so (include/cvm/c_api.h, spec/model/c_api.rst).
//
// Every exported function runs its body through guarded(), which turns any
// exception into a return code (LogicError -> ERROR_LOGIC, everything else ->
// ERROR_RUNTIME), prints "ERROR: <function>: <what>" to stderr and records
// "<function>: <what>" as the calling thread's last error
// (CVMAPIGetLastError), so no exception ever reaches the C caller. Output
// arguments are written only after everything that can fail has run.
#include "cvm/c_api.h"

#include <cstdint>
#include <cstdio>
#include <cstring>
#include <exception>
#include <memory>
#include <string>
#include <string_view>
#include <utility>

#include "cvm/backend.h"
#include "cvm/errors.h"
#include "cvm/model.h"
#include "cvm/runtime.h"

namespace {

/// What a `void* net` handle points to: the engine (which owns the loaded
/// model) and the two strings the getters return, copied once at load.
struct Net {
  Net(std::shared_ptr<const cvm::Model> model, const cvm::Backend& backend)
      : runtime(std::move(model), backend),
        version(runtime.model().graph().version),
        postprocess(runtime.model().graph().postprocess_name) {}

  cvm::Runtime runtime;
  std::string version;
  std::string postprocess;
};

/// The upstream caller passes 34-byte buffers; upstream's strings are at most
/// 32 bytes, so at most that many are copied, then a NUL.
constexpr size_t kMaxStringBytes = 32;

/// The calling thread's last error (CVMAPIGetLastError): the message of the
/// last of the upstream functions called on this thread, empty when it
/// succeeded. `lost` is set instead when recording the message itself ran out
/// of memory.
struct LastError {
  std::string text;
  bool lost = false;
};
thread_local LastError t_last_error;

constexpr std::string_view kLostMessage = "cvm: out of memory while recording the error message";

void clear_last_error() noexcept {
  t_last_error.text.clear();  // keeps the capacity: no allocation, no throw
  t_last_error.lost = false;
}

void report(const char* fn, const char* what) noexcept {
  std::fprintf(stderr, "ERROR: %s: %s\n", fn, what);
  try {
    t_last_error.text.assign(fn);
    t_last_error.text.append(": ");
    t_last_error.text.append(what);
    t_last_error.lost = false;
  } catch (...) {
    t_last_error.text.clear();
    t_last_error.lost = true;
  }
}

bool is_utf8_continuation(char c) noexcept {
  return (static_cast<unsigned char>(c) & 0xC0u) == 0x80u;
}

/// Where to cut s to at most n bytes without splitting a UTF-8 character, so
/// a truncated message is still valid UTF-8 when the message was (node names
/// come from the symbol and may be UTF-8): n, or the start of the character
/// that s[n] continues. Bytes that are not valid UTF-8 are cut at n.
size_t utf8_cut(std::string_view s, size_t n) noexcept {
  if (n >= s.size()) return s.size();
  if (!is_utf8_continuation(s[n])) return n;
  // The lead byte is at most 3 bytes before a continuation byte.
  size_t lead = n;
  for (int k = 0; k < 3 && lead > 0; ++k) {
    --lead;
    if (!is_utf8_continuation(s[lead])) break;
  }
  const unsigned char c = static_cast<unsigned char>(s[lead]);
  if (is_utf8_continuation(s[lead]) || c < 0xC0u) return n;
  const size_t len = c >= 0xF0u ? 4 : c >= 0xE0u ? 3 : 2;
  return lead + len > n ? lead : n;
}

/// Runs `body` (which returns nothing and reports failure by throwing) and
/// maps the outcome to a C API return code.
template <class F>
int guarded(const char* fn, F&& body) noexcept {
  clear_last_error();
  try {
    std::forward<F>(body)();
    return SUCCEED;
  } catch (const cvm::LogicError& e) {
    report(fn, e.what());
    return ERROR_LOGIC;
  } catch (const cvm::RuntimeError& e) {
    report(fn, e.what());
    return ERROR_RUNTIME;
  } catch (const std::exception& e) {  // std::bad_alloc among them: runtime, not the caller's fault
    report(fn, e.what());
    return ERROR_RUNTIME;
  } catch (...) {
    report(fn, "unknown exception");
    return ERROR_RUNTIME;
  }
}

/// api_c1: a pointer argument is null.
void require_pointer(const void* p, const char* what) {
  if (p == nullptr) cvm::throw_runtime("api_c1", cvm::str(what, " is null"));
}

/// api_c1: a length argument is negative.
void require_length(int n, const char* what) {
  if (n < 0) cvm::throw_runtime("api_c1", cvm::str(what, " is negative (", n, ")"));
}

Net& handle(void* net) {
  require_pointer(net, "net");
  return *static_cast<Net*>(net);
}

const cvm::Model& model_of(void* net) { return handle(net).runtime.model(); }

/// api_c2: device_type selects a backend that is built into this library.
const cvm::Backend& select_backend(int device_type) {
  const cvm::Backend* backend = nullptr;
  switch (device_type) {
    case 0:  // CPU: the fastest CPU backend built in, else the reference
      backend = cvm::find_backend("fast");
      if (backend == nullptr) backend = &cvm::reference_backend();
      break;
    case 1:  // GPU
      backend = cvm::find_backend("cuda");
      if (backend == nullptr)
        cvm::throw_runtime("api_c2",
                           "device_type 1 (GPU): no CUDA backend is built into this library, or no "
                           "CUDA device is present");
      break;
    case 2:  // formal: the reference
      backend = &cvm::reference_backend();
      break;
    default:
      cvm::throw_runtime("api_c2", cvm::str("device_type ", device_type, " is not 0, 1 or 2"));
  }
  return *backend;
}

void copy_string(const std::string& s, char* out) {
  const size_t n = s.size() < kMaxStringBytes ? s.size() : kMaxStringBytes;
  std::memcpy(out, s.data(), n);
  out[n] = '\0';
}

/// The shared shape of the unsigned long long getters.
template <class G>
int get_u64(const char* fn, void* net, unsigned long long* out, const char* out_name,
            G&& getter) noexcept {
  return guarded(fn, [&] {
    const cvm::Model& model = model_of(net);
    require_pointer(out, out_name);
    const unsigned long long value = static_cast<unsigned long long>(getter(model));
    *out = value;
  });
}

}  // namespace

extern "C" {

int CVMAPILoadModel(const char* graph_json, int graph_strlen, const char* param_bytes,
                    int param_strlen, void** net, int device_type, int device_id) {
  return guarded(__func__, [&] {
    require_pointer(graph_json, "graph_json");
    require_pointer(param_bytes, "param_bytes");
    require_pointer(net, "net");
    require_length(graph_strlen, "graph_strlen");
    require_length(param_strlen, "param_strlen");
    // device_id selects a GPU; the Backend interface has no device choice
    // yet, and for the CPU and formal devices it is ignored, as upstream.
    (void)device_id;
    const cvm::Backend& backend = select_backend(device_type);
    std::shared_ptr<const cvm::Model> model =
        cvm::Model::load(std::string_view(graph_json, static_cast<size_t>(graph_strlen)),
                         std::string_view(param_bytes, static_cast<size_t>(param_strlen)));
    auto handle_ptr = std::make_unique<Net>(std::move(model), backend);
    *net = handle_ptr.release();
  });
}

int CVMAPIFreeModel(void* net) {
  return guarded(__func__, [&] { delete static_cast<Net*>(net); });
}

int CVMAPIInference(void* net, char* input_data, int input_len, char* output_data) {
  return guarded(__func__, [&] {
    Net& h = handle(net);
    require_pointer(input_data, "input_data");
    require_pointer(output_data, "output_data");
    require_length(input_len, "input_len");
    const std::string out =
        h.runtime.infer_bytes(std::string_view(input_data, static_cast<size_t>(input_len)));
    // The caller sized output_data from CVMAPIGetOutputLength; never write
    // past that, whatever the engine returned.
    const uint64_t expected = h.runtime.model().output_length();
    if (out.size() != expected)
      cvm::throw_runtime("api_output", cvm::str("the engine produced ", out.size(),
                                                " output bytes, not the output length ", expected));
    std::memcpy(output_data, out.data(), out.size());
  });
}

int CVMAPIGetVersion(void* net, char* version) {
  return guarded(__func__, [&] {
    const Net& h = handle(net);
    require_pointer(version, "version");
    copy_string(h.version, version);
  });
}

int CVMAPIGetPreprocessMethod(void* net, char* method) {
  return guarded(__func__, [&] {
    const Net& h = handle(net);
    require_pointer(method, "method");
    copy_string(h.postprocess, method);
  });
}

int CVMAPIGetInputLength(void* net, unsigned long long* size) {
  return get_u64(__func__, net, size, "size", [](const cvm::Model& m) { return m.input_length(); });
}

int CVMAPIGetOutputLength(void* net, unsigned long long* size) {
  return get_u64(__func__, net, size, "size",
                 [](const cvm::Model& m) { return m.output_length(); });
}

int CVMAPIGetInputTypeSize(void* net, unsigned long long* size) {
  return get_u64(__func__, net, size, "size", [](const cvm::Model& m) { return m.input_width(); });
}

int CVMAPIGetOutputTypeSize(void* net, unsigned long long* size) {
  return get_u64(__func__, net, size, "size", [](const cvm::Model& m) { return m.output_width(); });
}

int CVMAPIGetStorageSize(void* net, unsigned long long* gas) {
  return get_u64(__func__, net, gas, "gas", [](const cvm::Model& m) { return m.storage_size(); });
}

int CVMAPIGetGasFromModel(void* net, unsigned long long* gas) {
  return get_u64(__func__, net, gas, "gas", [](const cvm::Model& m) { return m.gas(); });
}

int CVMAPIGetGasFromGraphFile(const char* graph_json, unsigned long long* gas) {
  return guarded(__func__, [&] {
    require_pointer(graph_json, "graph_json");
    require_pointer(gas, "gas");
    const uint64_t value = cvm::load_graph(std::string_view(graph_json)).gas;
    *gas = static_cast<unsigned long long>(value);
  });
}

int CVMAPIGetLastError(char* buf, unsigned long long buf_len, unsigned long long* needed) {
  // Not run through guarded(): it must leave the recorded message alone, and
  // nothing in it can throw.
  if (buf == nullptr && buf_len != 0) {
    std::fprintf(stderr, "ERROR: %s: api_c1: buf is null and buf_len is %llu\n", __func__,
                 buf_len);
    return ERROR_RUNTIME;
  }
  const std::string_view text =
      t_last_error.lost ? kLostMessage : std::string_view(t_last_error.text);
  if (needed != nullptr) *needed = static_cast<unsigned long long>(text.size()) + 1;
  if (buf_len == 0) return SUCCEED;
  const size_t room = buf_len - 1 < text.size() ? static_cast<size_t>(buf_len - 1) : text.size();
  const size_t n = utf8_cut(text, room);
  std::memcpy(buf, text.data(), n);
  buf[n] = '\0';
  return SUCCEED;
}

}  // extern "C"
