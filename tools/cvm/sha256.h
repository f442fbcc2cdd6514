// SHA-256 digests for `cvm trace` (OpenSSL libcrypto).
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

namespace cvm::tool {

/// The SHA-256 of `bytes` as 64 lowercase hex digits.
std::string sha256_hex(std::string_view bytes);

/// The values as little-endian two's-complement int32 bytes, 4 per value, in
/// order (independent of the host's byte order).
std::string int32_le_bytes(std::span<const int32_t> values);

/// sha256_hex(int32_le_bytes(values)): the hash `cvm trace` records for a tensor.
std::string sha256_int32_hex(std::span<const int32_t> values);

}  // namespace cvm::tool
