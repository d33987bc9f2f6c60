#include "pg_pool.h"

#include <stdexcept>

namespace bp::registration::pg {

Pool::Pool(std::string url, int size, std::chrono::milliseconds wait)
    : url_(std::move(url)), size_(size < 1 ? 1 : size), wait_(wait) {}

std::unique_ptr<pqxx::connection> Pool::open_connection() {
  auto c = std::make_unique<pqxx::connection>(url_);
  // A statement waiting for a row lock longer than this fails (SQLSTATE
  // 55P03) and the request answers 503, as SQLite's busy_timeout does.
  pqxx::nontransaction setup(*c);
  setup.exec("SET lock_timeout = '10s'");
  return c;
}

std::unique_ptr<pqxx::connection> Pool::acquire() {
  std::unique_lock<std::mutex> lock(mu_);
  if (!returned_.wait_for(lock, wait_, [&] { return !idle_.empty() || open_ < size_; }))
    throw std::runtime_error("tutte le connessioni al database sono occupate");
  if (!idle_.empty()) {
    auto c = std::move(idle_.back());
    idle_.pop_back();
    return c;
  }
  ++open_;  // reserved before connecting, so the pool never grows past size_
  lock.unlock();
  try {
    return open_connection();
  } catch (...) {
    lock.lock();
    --open_;
    returned_.notify_one();
    throw;
  }
}

void Pool::release(std::unique_ptr<pqxx::connection> c, bool broken) {
  std::lock_guard<std::mutex> lock(mu_);
  if (!c) return;
  if (broken || !c->is_open()) {
    --open_;
    c.reset();
  } else {
    idle_.push_back(std::move(c));
  }
  returned_.notify_one();
}

}  // namespace bp::registration::pg
