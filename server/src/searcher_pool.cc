#include "searcher_pool.h"

#include <iostream>

namespace bp::server {

Searcher* SearcherPool::acquire() {
  Slot* slot = nullptr;
  {
    // Only this thread ever touches its slot's contents; the lock protects
    // the map itself, whose nodes do not move on insertion.
    std::lock_guard lock(mutex_);
    slot = &slots_[std::this_thread::get_id()];
  }
  const auto generation = generation_.load(std::memory_order_relaxed);
  if (slot->searcher && slot->generation != generation) slot->searcher.reset();
  if (!slot->searcher) {
    auto opened = factory_();
    if (!opened.ok() || !*opened) {
      // A missing index is said at start (main.cc); any other reason (an
      // index the service user cannot read, a damaged one) would otherwise
      // be only a 503 on every search: said once, until it changes.
      if (!opened.ok() && opened.status().code() != Code::kNotFound) {
        std::lock_guard lock(mutex_);
        if (opened.status().message() != last_error_) {
          last_error_ = opened.status().message();
          std::cerr << "bp-server: l'indice non si apre: " << last_error_ << "\n";
        }
      }
      return nullptr;
    }
    slot->searcher = std::move(*opened);
    slot->generation = generation;
    return slot->searcher.get();
  }
  slot->searcher->refresh();
  return slot->searcher.get();
}

}  // namespace bp::server
