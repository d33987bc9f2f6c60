// The embedded alternative a team would pick: SQLite FTS5 over the same case
// files (tokenize='unicode61 remove_diacritics 2': accents folded, no
// stemming, no spelling data), with facet counts by GROUP BY over a facet
// table joined to the matching rowids, the same filters (OR within a facet,
// AND across) and the same disjunctive counting (one more GROUP BY per
// active facet, without its own filter).
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <string>

#include "harness.h"

struct sqlite3;

namespace bp::bench {

struct Fts5BuildReport {
  std::size_t documents = 0;
  std::uint64_t markdown_bytes = 0;
  double seconds = 0;  // reading, front matter parsing, inserts, optimize, commit
};

// Builds `db_file` (replaced) from content_root/practices/**/*.md.
Fts5BuildReport build_fts5(const std::filesystem::path& content_root, const std::filesystem::path& db_file);

class Fts5Baseline {
 public:
  explicit Fts5Baseline(const std::filesystem::path& db_file);
  ~Fts5Baseline();
  Fts5Baseline(const Fts5Baseline&) = delete;
  Fts5Baseline& operator=(const Fts5Baseline&) = delete;

  struct Answer {
    std::uint64_t total = 0;
    std::size_t snippet_bytes = 0;
    std::map<std::string, std::map<std::string, std::uint64_t>> facets;
  };
  // Total, the 10 best by bm25 with a snippet each, and the facet counts.
  Answer search(const BenchQuery& q);

 private:
  sqlite3* db_ = nullptr;
};

}  // namespace bp::bench
