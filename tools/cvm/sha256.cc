#include "sha256.h"

#include <openssl/evp.h>

#include "cvm/errors.h"

namespace cvm::tool {

std::string sha256_hex(std::string_view bytes) {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int md_len = 0;
  if (EVP_Digest(bytes.data(), bytes.size(), md, &md_len, EVP_sha256(), nullptr) != 1 ||
      md_len != 32)
    throw_runtime("sha256", "OpenSSL EVP_Digest(SHA-256) failed");
  static constexpr char kHex[] = "0123456789abcdef";
  std::string hex(2 * md_len, '0');
  for (unsigned int i = 0; i < md_len; ++i) {
    hex[2 * i] = kHex[md[i] >> 4];
    hex[2 * i + 1] = kHex[md[i] & 0xF];
  }
  return hex;
}

std::string int32_le_bytes(std::span<const int32_t> values) {
  std::string out(4 * values.size(), '\0');
  for (size_t i = 0; i < values.size(); ++i) {
    const auto u = static_cast<uint32_t>(values[i]);
    for (size_t b = 0; b < 4; ++b) out[4 * i + b] = static_cast<char>((u >> (8 * b)) & 0xFFu);
  }
  return out;
}

std::string sha256_int32_hex(std::span<const int32_t> values) {
  return sha256_hex(int32_le_bytes(values));
}

}  // namespace cvm::tool
