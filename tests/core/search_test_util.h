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

// A Searcher over the starter library (library-content/), indexed once per
// test suite: for what the shipped case files and taxonomy must answer.
class StarterLibraryTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    library_ = std::filesystem::path(BP_SOURCE_DIR) / "library-content";
    dir_ = std::make_unique<bp::test_util::TempDir>("bp-search-starter");
    build(library_, dir_->path() / "index");
    taxonomy_ = std::make_unique<Taxonomy>(load_taxonomy(library_));
  }
  static void TearDownTestSuite() {
    dir_.reset();
    taxonomy_.reset();
  }
  void SetUp() override {
    auto s = Searcher::open(dir_->path() / "index", *taxonomy_);
    ASSERT_TRUE(s.ok()) << s.status().message();
    searcher_ = std::move(*s);
  }
  // The whole starter library, 50 a page.
  SearchResponse query(const std::string& q) { return search(*searcher_, q, 50); }
  // Where `slug` is among the results (0 first), or -1.
  static int rank_of(const SearchResponse& r, const std::string& slug) {
    const auto all = slugs(r);
    auto it = std::find(all.begin(), all.end(), slug);
    return it == all.end() ? -1 : static_cast<int>(it - all.begin());
  }

  static inline std::filesystem::path library_;
  static inline std::unique_ptr<bp::test_util::TempDir> dir_;
  static inline std::unique_ptr<Taxonomy> taxonomy_;
  std::unique_ptr<Searcher> searcher_;
};

}  // namespace bp::testing
