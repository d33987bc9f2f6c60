// Immutable data derived from one revision of a database (the facet values,
// the synonym table), built once and shared by every Searcher of the
// process: each server thread has its own Searcher, and they all read the
// same index. Without sharing, each of the eight threads built and kept its
// own copy, on its own first request after every index change, and the
// requests that rotate over the threads touched eight copies instead of one.
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <xapian.h>

namespace bp::search {

// "<uuid>:<revision>" of `db`, or "" when the database has no UUID (then
// nothing can be shared safely). May throw Xapian::Error.
inline std::string revision_key(const Xapian::Database& db) {
  const std::string uuid = db.get_uuid();
  return uuid.empty() ? std::string() : uuid + ":" + std::to_string(db.get_revision());
}

// A registry of T by key, holding them weakly: an entry lives as long as a
// Searcher holds it. Thread-safe.
template <typename T>
class RevisionCache {
 public:
  // The live T of `key`, or the one `make()` builds (an empty key is never
  // shared). Built under the lock: threads that would build the same T at
  // the same time wait for it instead of each spending the time and the
  // memory. Whatever `make` throws is passed on and nothing is kept.
  template <typename Make>
  std::shared_ptr<const T> get(const std::string& key, Make&& make) {
    if (key.empty()) return make();
    std::lock_guard<std::mutex> lock(mutex_);
    if (auto it = entries_.find(key); it != entries_.end())
      if (auto live = it->second.lock()) return live;
    std::shared_ptr<const T> built = make();
    std::erase_if(entries_, [](const auto& entry) { return entry.second.expired(); });
    entries_[key] = built;
    return built;
  }

 private:
  std::mutex mutex_;
  std::map<std::string, std::weak_ptr<const T>> entries_;
};

}  // namespace bp::search
