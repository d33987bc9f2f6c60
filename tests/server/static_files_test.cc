// Unit tests of the static-file helpers (no socket).
#include "static_files.h"

#include <gtest/gtest.h>

#include "test_server.h"

namespace bp::server {
namespace {

using bp::test::TempDir;
using bp::test::write_file;
namespace fs = std::filesystem;

TEST(ResolveUnder, AcceptsFilesInsideTheRoot) {
  TempDir tmp;
  write_file(tmp.path() / "web/css/a.css", "x");
  auto real = resolve_under(tmp.path() / "web", "css/a.css");
  ASSERT_TRUE(real);
  EXPECT_EQ(*real, fs::canonical(tmp.path() / "web/css/a.css"));
}

TEST(ResolveUnder, RefusesEscapesAndOddSegments) {
  TempDir tmp;
  write_file(tmp.path() / "web/a.html", "x");
  write_file(tmp.path() / "secret", "x");
  write_file(tmp.path() / "website/b.html", "x");
  fs::create_symlink(tmp.path() / "secret", tmp.path() / "web/out");
  fs::create_symlink(tmp.path() / "website", tmp.path() / "web/sibling");
  const fs::path root = tmp.path() / "web";
  const std::vector<std::string> bads = {"", "/etc/passwd", "../secret", "a/../../secret", "./a.html", "a//b",
                          "a.html/", ".hidden", "..\\secret", "out", "sibling/b.html",
                          std::string("a.html\0x", 8)};
  for (const auto& bad : bads)
    EXPECT_FALSE(resolve_under(root, bad)) << bad;
}

TEST(ContentType, ByExtensionWithCharsetForText) {
  EXPECT_EQ(content_type_for("a/b.HTML"), "text/html; charset=utf-8");
  EXPECT_EQ(content_type_for("x.mjs"), "text/javascript; charset=utf-8");
  EXPECT_EQ(content_type_for("x.json"), "application/json");
  EXPECT_EQ(content_type_for("x.svg"), "image/svg+xml");
  EXPECT_EQ(content_type_for("x.webp"), "image/webp");
  EXPECT_EQ(content_type_for("x.woff2"), "font/woff2");
  EXPECT_EQ(content_type_for("x.ics"), "text/calendar; charset=utf-8");
  EXPECT_EQ(content_type_for("x.pdf"), "application/pdf");
  EXPECT_EQ(content_type_for("x.unknown"), "application/octet-stream");
}

TEST(NotModified, MatchesETagListsAndDates) {
  StaticFile f;
  f.etag = "W/\"1-2\"";
  f.mtime = 1700000000;
  EXPECT_TRUE(not_modified(f, "\"1-2\"", ""));
  EXPECT_TRUE(not_modified(f, "\"x\", W/\"1-2\"", ""));
  EXPECT_TRUE(not_modified(f, "*", ""));
  EXPECT_FALSE(not_modified(f, "\"1-3\"", http_date(f.mtime)));  // ETag wins over the date
  EXPECT_TRUE(not_modified(f, "", http_date(f.mtime)));
  EXPECT_TRUE(not_modified(f, "", http_date(f.mtime + 10)));
  EXPECT_FALSE(not_modified(f, "", http_date(f.mtime - 10)));
  EXPECT_FALSE(not_modified(f, "", "not a date"));
  EXPECT_EQ(http_date(0), "Thu, 01 Jan 1970 00:00:00 GMT");
}

}  // namespace
}  // namespace bp::server
