// One Searcher per server thread (a Searcher is not thread-safe), opened
// lazily, refreshed before each request and reopened after reload(); and,
// between requests, refreshed by the pool's own thread, so that a thread
// that serves nothing for hours does not keep a rebuilt index's deleted
// database open (its disk space is freed only when the last reader closes
// it: 140 MB at 2k practices after three rebuilds, before this).
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
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
  // `idle_refresh` is how often the Searchers of threads that are not in a
  // request are refreshed (or closed, after reload()); zero never.
  SearcherPool(SearcherFactory factory, std::chrono::milliseconds idle_refresh);
  ~SearcherPool();
  SearcherPool(const SearcherPool&) = delete;
  SearcherPool& operator=(const SearcherPool&) = delete;

  // The calling thread's Searcher, refreshed (picks up a new index), or
  // nullptr when no index can be opened (the next call tries again; a
  // reason other than NotFound is logged on stderr once, until it changes).
  // The pointer stays valid on this thread until the end of the current
  // Request scope, or for good when called outside one.
  Searcher* acquire();

  // Marks one request on this thread: from acquire() to the scope's end the
  // thread's Searcher is its own; after it, the pool's thread may refresh
  // it. The server opens one around every route handler.
  class Request {
   public:
    explicit Request(SearcherPool& pool) : pool_(pool) {}
    ~Request() { pool_.end_request(); }
    Request(const Request&) = delete;
    Request& operator=(const Request&) = delete;

   private:
    SearcherPool& pool_;
  };

  // Every thread drops its Searcher and opens a new one on its next
  // acquire(); idle threads' Searchers are closed at the next refresh.
  void invalidate() { generation_.fetch_add(1, std::memory_order_relaxed); }

 private:
  struct Slot {
    std::unique_ptr<Searcher> searcher;
    std::uint64_t generation = 0;
    bool busy = false;      // its thread is between acquire() and the end of its request
    bool sweeping = false;  // the pool's thread holds `searcher` (busy is then false)
  };

  void end_request();
  // The pool's thread: every idle_refresh_, refresh_idle().
  void run();
  // Refreshes (or, after invalidate(), closes) each Searcher whose thread
  // is not in a request, one at a time: the map's lock is not held while a
  // Searcher opens a new database.
  void refresh_idle();

  SearcherFactory factory_;
  const std::chrono::milliseconds idle_refresh_;
  std::atomic<std::uint64_t> generation_{1};
  std::mutex mutex_;            // guards the map, each slot's flags and last_error_
  std::condition_variable cv_;  // a sweep ended (sweeping), or stop_
  bool stop_ = false;
  std::string last_error_;  // the last reason an index did not open, as logged
  std::unordered_map<std::thread::id, Slot> slots_;
  std::thread refresher_;
};

}  // namespace bp::server
