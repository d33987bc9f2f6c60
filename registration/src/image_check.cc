#include "image_check.h"

// clang-format off
#include <cstdio>   // jpeglib.h needs FILE and size_t first
#include <csetjmp>
#include <jpeglib.h>
// clang-format on
#include <png.h>
#include <webp/decode.h>

#include <cstring>

namespace bp::registration {
namespace {

// libjpeg reports errors through a callback that must not return: jump back.
struct JpegError {
  jpeg_error_mgr mgr;
  std::jmp_buf jump;
};

std::optional<ImageInfo> jpeg_info(std::string_view bytes) {
  jpeg_decompress_struct cinfo;
  JpegError err;
  cinfo.err = jpeg_std_error(&err.mgr);
  err.mgr.error_exit = [](j_common_ptr c) { std::longjmp(reinterpret_cast<JpegError*>(c->err)->jump, 1); };
  err.mgr.output_message = [](j_common_ptr) {};
  if (setjmp(err.jump)) {
    jpeg_destroy_decompress(&cinfo);
    return std::nullopt;
  }
  jpeg_create_decompress(&cinfo);
  jpeg_mem_src(&cinfo, reinterpret_cast<const unsigned char*>(bytes.data()), static_cast<unsigned long>(bytes.size()));
  const int rc = jpeg_read_header(&cinfo, TRUE);
  ImageInfo info{"image/jpeg", "jpg", static_cast<int>(cinfo.image_width), static_cast<int>(cinfo.image_height)};
  jpeg_destroy_decompress(&cinfo);
  if (rc != JPEG_HEADER_OK) return std::nullopt;
  return info;
}

struct PngReader {
  std::string_view bytes;
  std::size_t at = 0;
};

std::optional<ImageInfo> png_info(std::string_view bytes) {
  if (bytes.size() < 8 || png_sig_cmp(reinterpret_cast<png_const_bytep>(bytes.data()), 0, 8) != 0) return std::nullopt;
  png_structp png = png_create_read_struct(PNG_LIBPNG_VER_STRING, nullptr,
                                           [](png_structp p, png_const_charp) { png_longjmp(p, 1); },
                                           [](png_structp, png_const_charp) {});
  if (!png) return std::nullopt;
  png_infop info = png_create_info_struct(png);
  PngReader reader{bytes, 0};
  if (!info || setjmp(png_jmpbuf(png))) {
    png_destroy_read_struct(&png, info ? &info : nullptr, nullptr);
    return std::nullopt;
  }
  png_set_read_fn(png, &reader, [](png_structp p, png_bytep out, png_size_t n) {
    auto* r = static_cast<PngReader*>(png_get_io_ptr(p));
    if (r->bytes.size() - r->at < n) png_error(p, "truncated");
    std::memcpy(out, r->bytes.data() + r->at, n);
    r->at += n;
  });
  png_read_info(png, info);
  ImageInfo out{"image/png", "png", static_cast<int>(png_get_image_width(png, info)),
                static_cast<int>(png_get_image_height(png, info))};
  png_destroy_read_struct(&png, &info, nullptr);
  return out;
}

std::optional<ImageInfo> webp_info(std::string_view bytes) {
  int w = 0, h = 0;
  if (!WebPGetInfo(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size(), &w, &h)) return std::nullopt;
  return ImageInfo{"image/webp", "webp", w, h};
}

}  // namespace

std::optional<ImageInfo> recognise_image(std::string_view bytes) {
  std::optional<ImageInfo> info;
  if (bytes.size() >= 3 && std::memcmp(bytes.data(), "\xFF\xD8\xFF", 3) == 0) info = jpeg_info(bytes);
  else if (bytes.size() >= 8 && std::memcmp(bytes.data(), "\x89PNG", 4) == 0) info = png_info(bytes);
  else if (bytes.size() >= 12 && std::memcmp(bytes.data(), "RIFF", 4) == 0 && std::memcmp(bytes.data() + 8, "WEBP", 4) == 0)
    info = webp_info(bytes);
  if (!info || info->width <= 0 || info->height <= 0) return std::nullopt;
  return info;
}

}  // namespace bp::registration
