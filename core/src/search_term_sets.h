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
// One entry per term, under one budget: a term whose wdfs were asked for
// is kept once, its wdfs with their bitmap, and that bitmap answers the
// counting pass too. Two caches (one of sets, one of wdfs with a bitmap and
// a rank table of their own, 32 MB each) held a frequent term's bitmap two
// and a half times over, and at 100,000 practices both filled: bp-server
// kept 182 MB resident against issue 6's 150 (docs/performance.md, "Fifth
// round").
//
// Shared: one cache per database revision for the whole process
// (RevisionCache, like FacetCache), held by shared_ptr to const: what it
// answers is the same whether it holds a term or not, so finding and keeping
// are const; they take a mutex.
// Bounded: at most max_bytes() of entries, least recently used dropped first.
//
// It also remembers the terms' frequencies (termfreq()), whatever their
// size: query understanding, the counting pass and the weights each ask
// for them, several times per search.
#pragma once

#include <algorithm>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <list>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>
#include <xapian.h>

#include "search_docset.h"
#include "search_revision_cache.h"

namespace bp::search {

// A term's postings with their wdf: `wdf[i]` is the wdf of the i-th
// document of `docs` (ascending), 255 meaning 255 or more.
struct TermWdfs {
  DocSet docs;
  std::vector<std::uint8_t> wdf;

  // Calls f(did, wdf) for each document of `docs` that is also in `scope`,
  // ascending. The rank of a document in `docs` is counted on the way, so
  // no rank table is kept.
  template <typename F>
  void for_each_in(const DocSet& scope, F&& f) const {
    const std::size_t words = std::min(docs.word_count(), scope.word_count());
    std::size_t seen = 0;  // documents of `docs` in the words before w
    for (std::size_t w = 0; w < words; ++w) {
      const std::uint64_t all = docs.word(w);
      for (std::uint64_t bits = all & scope.word(w); bits != 0; bits &= bits - 1) {
        const int bit = std::countr_zero(bits);
        const std::uint64_t below = (std::uint64_t{1} << bit) - 1;
        f(static_cast<Xapian::docid>(w * 64 + static_cast<std::size_t>(bit)), wdf[seen + ones(all & below)]);
      }
      seen += ones(all);
    }
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
inline std::size_t cached_bytes(const TermWdfs& t) { return cached_bytes(t.docs) + t.wdf.size(); }

class TermCache {
 public:
  // 12.5 KB a bitmap at 100,000 practices, and a term with its wdfs a byte
  // more per posting: the bench mix's 931 frequent terms (904 with wdfs)
  // take 33 MB there (docs/performance.md, "Fifth round").
  static constexpr std::size_t kMaxBytes = 40u << 20;

  // At most this many terms' frequencies are remembered (then it starts
  // again empty): about 1.5 MB of them.
  static constexpr std::size_t kMaxFrequencies = 16384;
  // At most this many synonyms' measured weights (synonym_weight()): a
  // serialised prefix of 40 completions takes about 500 bytes, so at most
  // about 1 MB.
  static constexpr std::size_t kMaxSynonymWeights = 2048;

  // An empty cache holding at most `max_bytes` of entries (an entry larger
  // than that is not kept). It remembers frequencies only when given the
  // database revision it is for.
  explicit TermCache(std::size_t max_bytes = kMaxBytes, std::optional<Xapian::rev> revision = std::nullopt)
      : max_bytes_(max_bytes), revision_(revision) {}

  // The cache of `db` as it is now (created on first use, then shared).
  // May throw Xapian::Error.
  static std::shared_ptr<const TermCache> of(const Xapian::Database& db) {
    static RevisionCache<TermCache> caches;
    const std::string key = revision_key(db);
    // A database without a UUID (in memory) has no revision to key by.
    std::optional<Xapian::rev> revision;
    if (!key.empty()) revision = db.get_revision();
    return caches.get(key, [&] { return std::make_shared<const TermCache>(kMaxBytes, revision); });
  }

  // db.get_termfreq(term), remembered: each lookup is a descent of the
  // postings' B-tree, a few block reads (`pread`) that the page cache
  // answers, and query understanding, the counting pass and the weights
  // asked for the same terms up to five times per search, about 70 reads
  // at 10,000 practices (docs/performance.md, "Sixth round"). Asks `db`
  // itself when it is not at the revision the cache was made for.
  Xapian::doccount termfreq(const Xapian::Database& db, const std::string& term) const {
    if (!at_revision(db)) return db.get_termfreq(term);
    {
      std::lock_guard<std::mutex> lock(frequencies_mutex_);
      if (auto it = frequencies_.find(term); it != frequencies_.end()) return it->second;
    }
    const Xapian::doccount f = db.get_termfreq(term);  // outside the lock
    std::lock_guard<std::mutex> lock(frequencies_mutex_);
    if (frequencies_.size() >= kMaxFrequencies) frequencies_.clear();
    frequencies_.emplace(term, f);
    return f;
  }

  // Whether a term found in `termfreq` of the `last` documents is kept: a
  // list shorter than its bitmap is as quick to read again.
  static bool worth_keeping(Xapian::doccount termfreq, Xapian::docid last) { return termfreq >= last / 64 + 16; }

  // The set of `term` (kept alone or with its wdfs), or null when it is not
  // kept.
  std::shared_ptr<const DocSet> find_set(const std::string& term) const {
    std::lock_guard<std::mutex> lock(mutex_);
    const Entry* e = touch(term);
    return e != nullptr ? e->set : nullptr;
  }

  // The wdfs of `term`, or null when they are not kept (its set may be).
  std::shared_ptr<const TermWdfs> find_wdfs(const std::string& term) const {
    std::lock_guard<std::mutex> lock(mutex_);
    const Entry* e = touch(term);
    return e != nullptr ? e->wdfs : nullptr;
  }

  // Keeps the set of `term`, unless the term is kept already.
  void keep_set(const std::string& term, std::shared_ptr<const DocSet> set) const {
    std::lock_guard<std::mutex> lock(mutex_);
    if (entries_.count(term) != 0) return;
    add(term, Entry{std::move(set), nullptr, {}});
  }

  // Keeps the wdfs of `term` (and so its set), in place of its set alone.
  void keep_wdfs(const std::string& term, std::shared_ptr<const TermWdfs> wdfs) const {
    std::lock_guard<std::mutex> lock(mutex_);
    if (auto it = entries_.find(term); it != entries_.end()) {
      if (it->second.wdfs) return;
      drop(it);
    }
    std::shared_ptr<const DocSet> set(wdfs, &wdfs->docs);
    add(term, Entry{std::move(set), std::move(wdfs), {}});
  }

  // The term weight Xapian gave the synonym `query` (serialised) on the
  // document `probe` (Bounds::synonym_weight() in search_weights.cc),
  // when it was measured before in this revision: that measure is an
  // Enquire over the synonym's terms (a prefix's 40 completions open 40
  // posting lists), about 15 block reads per search at 10,000 practices.
  // At most kMaxSynonymWeights of them (then it starts again empty). Like
  // termfreq(), only for `db` at the cache's revision.
  std::optional<double> synonym_weight(const Xapian::Database& db, const std::string& query,
                                       Xapian::docid probe) const {
    if (!at_revision(db)) return std::nullopt;
    std::lock_guard<std::mutex> lock(frequencies_mutex_);
    auto it = synonym_weights_.find({query, probe});
    if (it == synonym_weights_.end()) return std::nullopt;
    return it->second;
  }
  void keep_synonym_weight(const Xapian::Database& db, const std::string& query, Xapian::docid probe,
                           double weight) const {
    if (!at_revision(db)) return;
    std::lock_guard<std::mutex> lock(frequencies_mutex_);
    if (synonym_weights_.size() >= kMaxSynonymWeights) synonym_weights_.clear();
    synonym_weights_.emplace(std::make_pair(query, probe), weight);
  }

  // What the entries take now, never more than max_bytes().
  std::size_t bytes() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return bytes_;
  }
  std::size_t max_bytes() const { return max_bytes_; }

 private:
  struct Entry {
    std::shared_ptr<const DocSet> set;    // always
    std::shared_ptr<const TermWdfs> wdfs;  // null when only the set is kept; then set->docs is its own
    std::list<std::string>::iterator age;  // in lru_
    std::size_t size() const { return wdfs ? cached_bytes(*wdfs) : cached_bytes(*set); }
  };
  using Map = std::unordered_map<std::string, Entry>;

  // The entry of `term`, made the most recently used; null when absent.
  const Entry* touch(const std::string& term) const {
    auto it = entries_.find(term);
    if (it == entries_.end()) return nullptr;
    lru_.splice(lru_.begin(), lru_, it->second.age);
    return &it->second;
  }

  void drop(Map::iterator it) const {
    bytes_ -= it->second.size();
    lru_.erase(it->second.age);
    entries_.erase(it);
  }

  void add(const std::string& term, Entry entry) const {
    const std::size_t size = entry.size();
    if (size > max_bytes_) return;
    while (bytes_ + size > max_bytes_ && !lru_.empty()) drop(entries_.find(lru_.back()));
    lru_.push_front(term);
    entry.age = lru_.begin();
    entries_.emplace(term, std::move(entry));
    bytes_ += size;
  }

  // Whether `db` is at the revision the memos are for.
  bool at_revision(const Xapian::Database& db) const { return revision_ && db.get_revision() == *revision_; }

  const std::size_t max_bytes_;
  const std::optional<Xapian::rev> revision_;
  mutable std::mutex frequencies_mutex_;
  mutable std::unordered_map<std::string, Xapian::doccount> frequencies_;
  mutable std::map<std::pair<std::string, Xapian::docid>, double> synonym_weights_;
  mutable std::mutex mutex_;
  mutable Map entries_;
  mutable std::list<std::string> lru_;  // most recently used first
  mutable std::size_t bytes_ = 0;
};

// cache->termfreq(db, term), or db.get_termfreq(term) without a cache.
inline Xapian::doccount termfreq(const Xapian::Database& db, const TermCache* cache, const std::string& term) {
  return cache != nullptr ? cache->termfreq(db, term) : db.get_termfreq(term);
}

}  // namespace bp::search
