// One Searcher per server thread (a Searcher is not thread-safe), opened
// lazily, refreshed before each request and reopened after reload().
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <unordered_map>

#include "bp/search.h"
#include "bp/server/server.h"

namespace bp::server {

class SearcherPool {
 public:
  explicit SearcherPool(SearcherFactory factory) : factory_(std::move(factory)) {}

  // The calling thread's Searcher, refreshed (picks up a new index), or
  // nullptr when no index can be opened (the next call tries again; a
  // reason other than NotFound is logged on stderr once, until it changes). The
  // pointer stays valid on this thread until its next acquire().
  Searcher* acquire();

  // Every thread drops its Searcher and opens a new one on its next acquire().
  void invalidate() { generation_.fetch_add(1, std::memory_order_relaxed); }

 private:
  struct Slot {
    std::unique_ptr<Searcher> searcher;
    std::uint64_t generation = 0;
  };

  SearcherFactory factory_;
  std::atomic<std::uint64_t> generation_{1};
  std::mutex mutex_;        // guards the map and last_error_, not the Searchers
  std::string last_error_;  // the last reason an index did not open, as logged
  std::unordered_map<std::thread::id, Slot> slots_;
};

}  // namespace bp::server
