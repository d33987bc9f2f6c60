#include "search_term_sets.h"

#include <map>

namespace bp::search {

std::shared_ptr<TermSetCache> TermSetCache::of(const Xapian::Database& db) {
  static std::mutex mutex;
  static std::map<std::string, std::weak_ptr<TermSetCache>> caches;
  const std::string uuid = db.get_uuid();
  if (uuid.empty()) return std::shared_ptr<TermSetCache>(new TermSetCache());
  const std::string key = uuid + ":" + std::to_string(db.get_revision());
  std::lock_guard<std::mutex> lock(mutex);
  if (auto it = caches.find(key); it != caches.end())
    if (auto cache = it->second.lock()) return cache;
  std::shared_ptr<TermSetCache> cache(new TermSetCache());
  std::erase_if(caches, [](const auto& entry) { return entry.second.expired(); });
  caches[key] = cache;
  return cache;
}

std::shared_ptr<const DocSet> TermSetCache::find(const std::string& term) {
  std::lock_guard<std::mutex> lock(mutex_);
  auto it = entries_.find(term);
  if (it == entries_.end()) return nullptr;
  lru_.splice(lru_.begin(), lru_, it->second.age);
  return it->second.docs;
}

void TermSetCache::keep(const std::string& term, std::shared_ptr<const DocSet> docs) {
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
