// Recognising an uploaded cover image by decoding its header with the
// codecs' own libraries (libjpeg, libpng, libwebp), never by its name or
// declared type: only a JPEG, PNG or WebP whose header decodes to a
// positive size is accepted.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace bp::registration {

inline constexpr std::size_t kMaxImageBytes = 5 * 1024 * 1024;

struct ImageInfo {
  std::string type;       // "image/jpeg" | "image/png" | "image/webp"
  std::string extension;  // "jpg" | "png" | "webp"
  int width = 0, height = 0;
};

// The image's kind and size, or nullopt when `bytes` is not a JPEG, PNG or
// WebP whose header decodes (a renamed text file, a truncated header, a GIF).
// Never throws; bounded work (only the header is read).
std::optional<ImageInfo> recognise_image(std::string_view bytes);

}  // namespace bp::registration
