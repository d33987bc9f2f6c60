// Shared by the searcher tests: the fixture library built into a temporary
// index with the real builder.
#pragma once

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <memory>
#include <string>
#include <vector>

#include "temp_dir.h"

#include "bp/index_builder.h"
#include "bp/search.h"
#include "bp/taxonomy.h"

namespace bp::testing {

inline std::filesystem::path fixture_library() {
  return std::filesystem::path(BP_SOURCE_DIR) / "tests/fixtures/library";
}

inline Taxonomy load_taxonomy(const std::filesystem::path& library) {
  Diagnostics diagnostics;
  auto taxonomy = Taxonomy::load(library / "taxonomy.yaml", &diagnostics);
  EXPECT_TRUE(taxonomy.has_value());
  return taxonomy ? *taxonomy : Taxonomy();
}

inline void build(const std::filesystem::path& library, const std::filesystem::path& index,
                  bool rebuild = false) {
  BuildOptions options;
  options.content_root = library;
  options.index_dir = index;
  options.rebuild = rebuild;
  options.worker_threads = 1;
  auto report = build_index(options);
  ASSERT_TRUE(report.ok()) << report.status().message();
}

// Adds to `library` a copy of the ciclofficina practice under the slug
// tandem-prato, about tandems (the only practice with that word).
inline void add_tandem_practice(const std::filesystem::path& library) {
  std::ifstream in(library / "practices/centro/ciclofficina-firenze.md");
  std::stringstream text;
  text << in.rdbuf();
  std::string s = text.str();
  const std::string title = "title: \"La ciclofficina popolare di Firenze\"";
  s.replace(s.find(title), title.size(), "title: \"Tandem per tutti a Prato\"");
  s += "\nI tandem accompagnano le persone cieche.\n";
  std::ofstream(library / "practices/centro/tandem-prato.md") << s;
}

// The answer to `q` (an empty answer, and a test failure, on an error).
inline SearchResponse search(Searcher& searcher, const std::string& q, int per_page = 10) {
  SearchRequest request;
  request.q = q;
  request.per_page = per_page;
  auto r = searcher.search(request);
  EXPECT_TRUE(r.ok()) << r.status().message();
  return r.ok() ? *r : SearchResponse{};
}

inline std::vector<std::string> slugs(const SearchResponse& r) {
  std::vector<std::string> out;
  for (const auto& hit : r.results) out.push_back(hit.practice.slug);
  return out;
}

inline bool contains(const std::vector<std::string>& v, const std::string& s) {
  return std::find(v.begin(), v.end(), s) != v.end();
}

// Replaces the first `from` in `*s` with `to`; a test failure when absent.
inline void replace_once(std::string* s, const std::string& from, const std::string& to) {
  const std::size_t at = s->find(from);
  ASSERT_NE(at, std::string::npos) << from;
  s->replace(at, from.size(), to);
}

inline bool in_top(const SearchResponse& r, const std::string& slug, std::size_t n) {
  auto s = slugs(r);
  if (s.size() > n) s.resize(n);
  return contains(s, slug);
}

}  // namespace bp::testing
