// The posting lists of frequent terms, kept between searches: as DocSets
// for the counting pass, and with each document's wdf for the bounds of
// the two-stage ranking (search_ranking.h).
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
// Bounded: at most kMaxBytes of entries, least recently used dropped first.
#pragma once

#include <cstddef>
#include <cstdint>
#include <list>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>
#include <xapian.h>

#include "search_docset.h"
#include "search_revision_cache.h"

namespace bp::search {

// A term's postings with their wdf: `wdf[i]` is the wdf of the i-th
// document of `docs` (ascending), 255 meaning 255 or more; `before[w]` the
// number of documents of `docs` in its words before w.
struct TermWdfs {
  DocSet docs;
  std::vector<std::uint8_t> wdf;
  std::vector<std::uint32_t> before;

  // The wdf of `did`, which must be in `docs`.
  std::uint8_t wdf_of(Xapian::docid did) const {
    const std::size_t w = did >> 6;
    const std::uint64_t below = docs.word(w) & ((std::uint64_t{1} << (did & 63)) - 1);
    return wdf[before[w] + ones(below)];
  }

 private:
  // std::popcount without the POPCNT instruction is a call into libgcc.
  static std::size_t ones(std::uint64_t x) {
    x = x - ((x >> 1) & 0x5555555555555555u);
    x = (x & 0x3333333333333333u) + ((x >> 2) & 0x3333333333333333u);
    x = (x + (x >> 4)) & 0x0f0f0f0f0f0f0f0fu;
    return static_cast<std::size_t>((x * 0x0101010101010101u) >> 56);
  }
};

inline std::size_t cached_bytes(const DocSet& d) { return d.word_count() * sizeof(std::uint64_t); }
inline std::size_t cached_bytes(const TermWdfs& t) {
  return cached_bytes(t.docs) + t.wdf.size() + t.before.size() * sizeof(std::uint32_t);
}

// V is DocSet or TermWdfs.
template <typename V>
class TermCache {
 public:
  // 12.5 KB a bitmap at 100,000 practices: about 2,600 terms.
  static constexpr std::size_t kMaxBytes = 32u << 20;

  // The cache of `db` as it is now (created on first use, then shared).
  // May throw Xapian::Error.
  static std::shared_ptr<const TermCache> of(const Xapian::Database& db) {
    static RevisionCache<TermCache> caches;
    return caches.get(revision_key(db), [] { return std::shared_ptr<const TermCache>(new TermCache()); });
  }

  // Whether a term found in `termfreq` of the `last` documents is kept: a
  // list shorter than its bitmap is as quick to read again.
  static bool worth_keeping(Xapian::doccount termfreq, Xapian::docid last) { return termfreq >= last / 64 + 16; }

  // The entry of `term`, or null when it is not kept.
  std::shared_ptr<const V> find(const std::string& term) const {
    std::lock_guard<std::mutex> lock(mutex_);
    auto it = entries_.find(term);
    if (it == entries_.end()) return nullptr;
    lru_.splice(lru_.begin(), lru_, it->second.age);
    return it->second.value;
  }

  void keep(const std::string& term, std::shared_ptr<const V> value) const {
    const std::size_t size = cached_bytes(*value);
    if (size > kMaxBytes) return;
    std::lock_guard<std::mutex> lock(mutex_);
    if (entries_.count(term) != 0) return;
    while (bytes_ + size > kMaxBytes && !lru_.empty()) {
      auto old = entries_.find(lru_.back());
      bytes_ -= cached_bytes(*old->second.value);
      entries_.erase(old);
      lru_.pop_back();
    }
    lru_.push_front(term);
    entries_.emplace(term, Entry{std::move(value), lru_.begin()});
    bytes_ += size;
  }

 private:
  TermCache() = default;

  struct Entry {
    std::shared_ptr<const V> value;
    std::list<std::string>::iterator age;  // in lru_
  };
  mutable std::mutex mutex_;
  mutable std::unordered_map<std::string, Entry> entries_;
  mutable std::list<std::string> lru_;  // most recently used first
  mutable std::size_t bytes_ = 0;
};

using TermSetCache = TermCache<DocSet>;
using TermWdfCache = TermCache<TermWdfs>;

}  // namespace bp::search
