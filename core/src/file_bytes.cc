#include "bp/file_bytes.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>

namespace bp {

Result<std::string> read_file(const std::filesystem::path& file) {
  // One open, one fstat and one read for the whole file (an istream read
  // it byte by byte through its buffer: 2 % of a full build).
  const int fd = ::open(file.c_str(), O_RDONLY | O_CLOEXEC);
  std::error_code ec;
  if (fd < 0) {
    if (std::filesystem::is_directory(file, ec))
      return Status::io(file.generic_string() + " è una cartella, non un file");
    return Status::io("impossibile aprire " + file.generic_string());
  }
  struct stat st {};
  if (::fstat(fd, &st) != 0) {
    ::close(fd);
    return Status::io("impossibile leggere " + file.generic_string());
  }
  if (S_ISDIR(st.st_mode)) {
    ::close(fd);
    return Status::io(file.generic_string() + " è una cartella, non un file");
  }
  std::string bytes;
  // The size fstat gives, plus one byte to see the end at once (a file
  // that grew meanwhile is read to its end).
  std::size_t capacity = static_cast<std::size_t>(st.st_size > 0 ? st.st_size : 0) + 1;
  bytes.resize(capacity);
  std::size_t used = 0;
  for (;;) {
    if (used == capacity) {
      capacity = capacity * 2;
      bytes.resize(capacity);
    }
    const ssize_t got = ::read(fd, bytes.data() + used, capacity - used);
    if (got < 0) {
      if (errno == EINTR) continue;
      ::close(fd);
      return Status::io("impossibile leggere " + file.generic_string());
    }
    if (got == 0) break;
    used += static_cast<std::size_t>(got);
  }
  ::close(fd);
  bytes.resize(used);
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
