#include "searcher_pool.h"

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
    if (!opened.ok() || !*opened) return nullptr;
    slot->searcher = std::move(*opened);
    slot->generation = generation;
    return slot->searcher.get();
  }
  slot->searcher->refresh();
  return slot->searcher.get();
}

}  // namespace bp::server
