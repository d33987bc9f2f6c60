// Shared by the searcher tests: the fixture library built into a temporary
// index with the real builder.
#pragma once

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
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

inline std::vector<std::string> slugs(const SearchResponse& r) {
  std::vector<std::string> out;
  for (const auto& hit : r.results) out.push_back(hit.practice.slug);
  return out;
}

inline bool contains(const std::vector<std::string>& v, const std::string& s) {
  return std::find(v.begin(), v.end(), s) != v.end();
}

inline bool in_top(const SearchResponse& r, const std::string& slug, std::size_t n) {
  auto s = slugs(r);
  if (s.size() > n) s.resize(n);
  return contains(s, slug);
}

}  // namespace bp::testing
