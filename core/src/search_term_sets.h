// The posting lists of frequent terms as DocSets, kept between searches.
//
// The counting pass (search_match_set.h) reads every posting of the terms
// a query names; for a common word or a prefix's 40 completions at 100,000
// practices that is most of its time (about 100 instructions a posting
// through Xapian's PostingIterator). Searches repeat their words, so the
// sets of the frequent ones are kept, as Lucene's query cache keeps the
// bitsets of frequent non-scoring clauses: a hit is a copy of the bitmap.
//
// Shared: one cache per database revision for the whole process
// (RevisionCache, like FacetCache), held by shared_ptr to const: what it
// answers is the same whether it holds a set or not, so finding and keeping
// are const; they take a mutex.
// Bounded: at most kMaxBytes of bitmaps, least recently used dropped first.
#pragma once

#include <cstddef>
#include <list>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <xapian.h>

#include "search_docset.h"

namespace bp::search {

class TermSetCache {
 public:
  // 12.5 KB a term at 100,000 practices: about 2,600 terms.
  static constexpr std::size_t kMaxBytes = 32u << 20;

  // The cache of `db` as it is now (created on first use, then shared).
  static std::shared_ptr<const TermSetCache> of(const Xapian::Database& db);

  // Whether a term found in `termfreq` of the `last` documents is kept: a
  // list shorter than its bitmap is as quick to read again.
  static bool worth_keeping(Xapian::doccount termfreq, Xapian::docid last) { return termfreq >= last / 64 + 16; }

  // The set of `term`, or null when it is not kept.
  std::shared_ptr<const DocSet> find(const std::string& term) const;
  void keep(const std::string& term, std::shared_ptr<const DocSet> docs) const;

 private:
  TermSetCache() = default;

  struct Entry {
    std::shared_ptr<const DocSet> docs;
    std::list<std::string>::iterator age;  // in lru_
  };
  mutable std::mutex mutex_;
  mutable std::unordered_map<std::string, Entry> entries_;
  mutable std::list<std::string> lru_;  // most recently used first
  mutable std::size_t bytes_ = 0;
};

}  // namespace bp::search
