#include "bp/file_bytes.h"

#include <cstdint>
#include <fstream>
#include <iterator>

namespace bp {

Result<std::string> read_file(const std::filesystem::path& file) {
  std::error_code ec;
  if (std::filesystem::is_directory(file, ec))
    return Status::io(file.generic_string() + " è una cartella, non un file");
  std::ifstream in(file, std::ios::binary);
  if (!in) return Status::io("impossibile aprire " + file.generic_string());
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (in.bad()) return Status::io("impossibile leggere " + file.generic_string());
  return bytes;
}

std::string fnv1a_hex(std::string_view bytes) {
  std::uint64_t h = 0xcbf29ce484222325ULL;
  for (const unsigned char c : bytes) {
    h ^= c;
    h *= 0x100000001b3ULL;
  }
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out(16, '0');
  for (int i = 15; i >= 0; --i) {
    out[static_cast<std::size_t>(i)] = kHex[h & 0xf];
    h >>= 4;
  }
  return out;
}

}  // namespace bp
