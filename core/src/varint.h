// Unsigned varints (LEB128: 7 bits a byte, low bits first, the high bit set
// on every byte but the last), as the result record and the snippet word
// table store their numbers. Header-only: both are read on every hit.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace bp {

inline void put_varint(std::string* out, std::uint64_t v) {
  while (v >= 0x80) {
    out->push_back(static_cast<char>((v & 0x7F) | 0x80));
    v >>= 7;
  }
  out->push_back(static_cast<char>(v));
}

// Reads the varint at `*at` of `s` into `*v` and moves `*at` past it; false
// (with `*at` somewhere inside) when `s` ends first or it exceeds 64 bits.
inline bool read_varint(std::string_view s, std::size_t* at, std::uint64_t* v) {
  *v = 0;
  for (int shift = 0; shift < 64 && *at < s.size(); shift += 7) {
    const auto byte = static_cast<unsigned char>(s[(*at)++]);
    *v |= static_cast<std::uint64_t>(byte & 0x7F) << shift;
    if ((byte & 0x80) == 0) return true;
  }
  return false;
}

}  // namespace bp
