#include "searcher_pool.h"

#include <iostream>
#include <vector>

namespace bp::server {

SearcherPool::SearcherPool(SearcherFactory factory, std::chrono::milliseconds idle_refresh)
    : factory_(std::move(factory)), idle_refresh_(idle_refresh) {
  if (idle_refresh_.count() > 0) refresher_ = std::thread([this] { run(); });
}

SearcherPool::~SearcherPool() {
  {
    std::lock_guard lock(mutex_);
    stop_ = true;
  }
  cv_.notify_all();
  if (refresher_.joinable()) refresher_.join();
}

Searcher* SearcherPool::acquire() {
  Slot* slot = nullptr;
  {
    // The map's nodes do not move on insertion. Once `busy` is set, only
    // this thread touches its slot's Searcher until end_request().
    std::unique_lock lock(mutex_);
    slot = &slots_[std::this_thread::get_id()];
    cv_.wait(lock, [&] { return !slot->sweeping; });
    slot->busy = true;
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

void SearcherPool::end_request() {
  std::lock_guard lock(mutex_);
  auto it = slots_.find(std::this_thread::get_id());
  if (it != slots_.end()) it->second.busy = false;
}

void SearcherPool::run() {
  std::unique_lock lock(mutex_);
  while (!stop_) {
    if (cv_.wait_for(lock, idle_refresh_, [&] { return stop_; })) break;
    lock.unlock();
    refresh_idle();
    lock.lock();
  }
}

void SearcherPool::refresh_idle() {
  std::vector<Slot*> slots;
  {
    std::lock_guard lock(mutex_);
    for (auto& [id, slot] : slots_) slots.push_back(&slot);
  }
  const auto generation = generation_.load(std::memory_order_relaxed);
  for (Slot* slot : slots) {
    std::unique_ptr<Searcher> searcher;
    {
      std::lock_guard lock(mutex_);
      if (stop_) return;
      if (slot->busy || !slot->searcher) continue;
      slot->sweeping = true;
      searcher = std::move(slot->searcher);
    }
    // Outside the lock: a new database may take milliseconds to open, and
    // the other threads' requests go on meanwhile. An exception here has no
    // request to become a 500 of: the Searcher is dropped, and its thread
    // opens a new one (and meets the error in a request) next time.
    try {
      if (slot->generation != generation)
        searcher.reset();
      else
        searcher->refresh();
    } catch (...) {
      searcher.reset();
    }
    {
      std::lock_guard lock(mutex_);
      slot->searcher = std::move(searcher);
      slot->sweeping = false;
    }
    cv_.notify_all();
  }
}

}  // namespace bp::server
