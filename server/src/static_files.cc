#include "static_files.h"

#include "bp/file_bytes.h"

#include <sys/stat.h>

#include <algorithm>
#include <cstdio>
#include <ctime>
#include <map>

namespace bp::server {

namespace fs = std::filesystem;

std::optional<fs::path> resolve_under(const fs::path& root, std::string_view relative) {
  if (relative.empty() || relative.front() == '/') return std::nullopt;
  if (relative.find('\0') != std::string_view::npos ||
      relative.find('\\') != std::string_view::npos)
    return std::nullopt;
  std::size_t start = 0;
  while (start <= relative.size()) {
    std::size_t end = relative.find('/', start);
    if (end == std::string_view::npos) end = relative.size();
    std::string_view segment = relative.substr(start, end - start);
    if (segment.empty() || segment.front() == '.') return std::nullopt;
    start = end + 1;
  }

  std::error_code ec;
  const fs::path real_root = fs::canonical(root, ec);
  if (ec) return std::nullopt;
  const fs::path real = fs::weakly_canonical(real_root / fs::path(std::string(relative)), ec);
  if (ec) return std::nullopt;
  // Component-wise prefix: "/srv/web" must not accept "/srv/website".
  auto [r, p] = std::mismatch(real_root.begin(), real_root.end(), real.begin(), real.end());
  if (r != real_root.end() || p == real.end()) return std::nullopt;
  return real;
}

std::string content_type_for(const fs::path& file) {
  static const std::map<std::string, std::string> kTypes = {
      {".html", "text/html; charset=utf-8"},
      {".htm", "text/html; charset=utf-8"},
      {".css", "text/css; charset=utf-8"},
      {".js", "text/javascript; charset=utf-8"},
      {".mjs", "text/javascript; charset=utf-8"},
      {".json", "application/json"},
      {".map", "application/json"},
      {".webmanifest", "application/manifest+json"},
      {".txt", "text/plain; charset=utf-8"},
      {".md", "text/plain; charset=utf-8"},
      {".csv", "text/csv; charset=utf-8"},
      {".xml", "application/xml"},
      {".ics", "text/calendar; charset=utf-8"},
      {".svg", "image/svg+xml"},
      {".png", "image/png"},
      {".jpg", "image/jpeg"},
      {".jpeg", "image/jpeg"},
      {".gif", "image/gif"},
      {".webp", "image/webp"},
      {".avif", "image/avif"},
      {".ico", "image/x-icon"},
      {".woff2", "font/woff2"},
      {".woff", "font/woff"},
      {".ttf", "font/ttf"},
      {".pdf", "application/pdf"},
      {".mp4", "video/mp4"},
      {".webm", "video/webm"},
      {".mp3", "audio/mpeg"},
  };
  std::string ext = file.extension().string();
  std::transform(ext.begin(), ext.end(), ext.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  auto it = kTypes.find(ext);
  return it == kTypes.end() ? "application/octet-stream" : it->second;
}

std::string http_date(std::int64_t seconds) {
  std::time_t t = static_cast<std::time_t>(seconds);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[64];
  std::strftime(buf, sizeof buf, "%a, %d %b %Y %H:%M:%S GMT", &tm);
  return buf;
}

std::optional<StaticFile> stat_file(const fs::path& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) return std::nullopt;
  StaticFile file;
  file.path = path;
  file.size = static_cast<std::uint64_t>(st.st_size);
  file.mtime = static_cast<std::int64_t>(st.st_mtim.tv_sec);
  char etag[64];
  std::snprintf(etag, sizeof etag, "W/\"%llx-%llx\"", static_cast<unsigned long long>(file.size),
                static_cast<unsigned long long>(st.st_mtim.tv_sec) * 1000000000ULL +
                    static_cast<unsigned long long>(st.st_mtim.tv_nsec));
  file.etag = etag;
  file.last_modified = http_date(file.mtime);
  file.content_type = content_type_for(path);
  return file;
}

namespace {

std::optional<std::int64_t> parse_http_date(const std::string& s) {
  std::tm tm{};
  const char* end = strptime(s.c_str(), "%a, %d %b %Y %H:%M:%S GMT", &tm);
  if (!end || *end != '\0') return std::nullopt;
  return static_cast<std::int64_t>(timegm(&tm));
}

// Weak comparison (RFC 9110 8.8.3.2), as If-None-Match requires: the same
// file is sent gzip-compressed or not, so the tag is weak.
bool etag_listed(const std::string& header, std::string etag) {
  if (etag.rfind("W/", 0) == 0) etag = etag.substr(2);
  std::stringstream list(header);
  std::string item;
  while (std::getline(list, item, ',')) {
    auto b = item.find_first_not_of(" \t");
    auto e = item.find_last_not_of(" \t");
    if (b == std::string::npos) continue;
    item = item.substr(b, e - b + 1);
    if (item.rfind("W/", 0) == 0) item = item.substr(2);
    if (item == "*" || item == etag) return true;
  }
  return false;
}

}  // namespace

bool not_modified(const StaticFile& file, const std::string& if_none_match,
                  const std::string& if_modified_since) {
  if (!if_none_match.empty()) return etag_listed(if_none_match, file.etag);
  if (if_modified_since.empty()) return false;
  auto since = parse_http_date(if_modified_since);
  return since && file.mtime <= *since;
}

std::optional<std::string> read_file(const fs::path& path) {
  Result<std::string> bytes = bp::read_file(path);
  if (!bytes.ok()) return std::nullopt;
  return std::move(*bytes);
}

}  // namespace bp::server
