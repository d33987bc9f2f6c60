#include "search_term_sets.h"

#include "search_revision_cache.h"

namespace bp::search {

std::shared_ptr<const TermSetCache> TermSetCache::of(const Xapian::Database& db) {
  static RevisionCache<TermSetCache> caches;
  return caches.get(revision_key(db), [] { return std::shared_ptr<const TermSetCache>(new TermSetCache()); });
}

std::shared_ptr<const DocSet> TermSetCache::find(const std::string& term) const {
  std::lock_guard<std::mutex> lock(mutex_);
  auto it = entries_.find(term);
  if (it == entries_.end()) return nullptr;
  lru_.splice(lru_.begin(), lru_, it->second.age);
  return it->second.docs;
}

void TermSetCache::keep(const std::string& term, std::shared_ptr<const DocSet> docs) const {
  const std::size_t size = docs->word_count() * sizeof(std::uint64_t);
  if (size > kMaxBytes) return;
  std::lock_guard<std::mutex> lock(mutex_);
  if (entries_.count(term) != 0) return;
  while (bytes_ + size > kMaxBytes && !lru_.empty()) {
    auto old = entries_.find(lru_.back());
    bytes_ -= old->second.docs->word_count() * sizeof(std::uint64_t);
    entries_.erase(old);
    lru_.pop_back();
  }
  lru_.push_front(term);
  entries_.emplace(term, Entry{std::move(docs), lru_.begin()});
  bytes_ += size;
}

}  // namespace bp::search
