// Safe lookup of static files (the front end under web/, practice media under
// library-content/practices/) and their HTTP caching metadata. No HTTP types.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

namespace bp::server {

// The real path of `relative` ('/'-separated, already URL-decoded) inside
// `root`, or nullopt when it must not be served: empty, absolute, with an
// empty, "." or ".." segment or one starting with '.', a backslash or a NUL,
// or resolving (through symlinks) outside the real `root`. Does not check
// that the file exists.
std::optional<std::filesystem::path> resolve_under(const std::filesystem::path& root,
                                                   std::string_view relative);

// Content type by extension; text types carry "; charset=utf-8". JSON, SVG
// and JavaScript get bare types cpp-httplib recognises as compressible.
std::string content_type_for(const std::filesystem::path& file);

struct StaticFile {
  std::filesystem::path path;
  std::uint64_t size = 0;
  std::int64_t mtime = 0;     // seconds since the epoch
  std::string etag;           // weak (W/"..."), from size and mtime (ns)
  std::string last_modified;  // IMF-fixdate
  std::string content_type;
};

// Metadata of a regular file; nullopt for anything else or on error.
std::optional<StaticFile> stat_file(const std::filesystem::path& path);

// True when the client's copy is current: If-None-Match lists the ETag (or
// "*"), or, without If-None-Match, If-Modified-Since is not before mtime.
bool not_modified(const StaticFile& file, const std::string& if_none_match,
                  const std::string& if_modified_since);

// Whole file contents (bp::read_file); nullopt on error.
std::optional<std::string> read_file(const std::filesystem::path& path);

// IMF-fixdate ("Sun, 06 Nov 1994 08:49:37 GMT") of a time in seconds since the epoch.
std::string http_date(std::int64_t seconds);

}  // namespace bp::server
