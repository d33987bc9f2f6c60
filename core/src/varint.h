// Unsigned varints (LEB128: 7 bits a byte, low bits first, the high bit set
// on every byte but the last), as the result record and the snippet word
// table store their numbers, and length-prefixed strings and lists of them
// (the result record, the stored taxonomy). Header-only: both are read on
// every hit.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace bp {

inline void put_varint(std::string* out, std::uint64_t v) {
  while (v >= 0x80) {
    out->push_back(static_cast<char>((v & 0x7F) | 0x80));
    v >>= 7;
  }
  out->push_back(static_cast<char>(v));
}

// A string as its length (a varint) then its bytes.
inline void put_string(std::string* out, std::string_view s) {
  put_varint(out, s.size());
  out->append(s);
}

// A list as its count (a varint) then each string as put_string writes it.
inline void put_strings(std::string* out, const std::vector<std::string>& list) {
  put_varint(out, list.size());
  for (const auto& s : list) put_string(out, s);
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
