// Random identifiers and token hashing (OpenSSL).
#pragma once

#include <string>
#include <string_view>

namespace bp::registration {

// `bytes` random bytes from RAND_bytes, as lower-case base32 (RFC 4648
// alphabet, no padding). Throws std::runtime_error if the generator fails.
std::string random_base32(int bytes);

// Raw 32-byte SHA-256 digest.
std::string sha256(std::string_view data);

// Lower-case hex of `raw`.
std::string to_hex(std::string_view raw);

// Constant-time equality (CRYPTO_memcmp) of two equally long strings; false
// when the lengths differ.
bool constant_time_equal(std::string_view a, std::string_view b);

}  // namespace bp::registration
