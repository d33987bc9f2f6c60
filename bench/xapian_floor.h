// The engine's limit: the least a program must do with Xapian to answer the
// same request over the same index (bp-index build's database): fold the
// query (bp::text::fold_lower, as the indexer folds), QueryParser with
// Stem("italian"), the Italian stopwords, STEM_SOME, AND of the words and
// FLAG_PARTIAL on the last one (40 most frequent expansions, as the
// searcher), the same boolean filters (OR within a facet, AND across
// facets), exact disjunctive facet counts (a multi-value count spy over the
// eight facet slots on the main match, then one extra get_mset per active
// facet without its own filter), and the stored data of the 10 hits. No
// spelling correction, no relaxation, no synonyms, no snippets, no JSON.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <string>
#include <vector>
#include <xapian.h>

#include "harness.h"

namespace bp::bench {

class XapianFloor {
 public:
  // Opens DIR/<CURRENT> (or DIR itself when it is a database).
  explicit XapianFloor(const std::filesystem::path& index_dir);

  struct Answer {
    std::uint64_t total = 0;
    std::size_t data_bytes = 0;  // bytes of the hits' result records fetched
    std::map<std::string, std::map<std::string, std::uint64_t>> facets;
  };
  Answer search(const BenchQuery& q);

 private:
  Xapian::Database db_;
  Xapian::QueryParser parser_;
  Xapian::Stem stem_;
  Xapian::SimpleStopper stopper_;
};

}  // namespace bp::bench
