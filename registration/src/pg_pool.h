// A bounded pool of libpqxx connections for the PostgreSQL store.
// libpqxx does no locking of its own, so a connection is never shared: a
// request borrows one for its whole duration and gives it back.
#pragma once

#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <pqxx/pqxx>
#include <string>
#include <vector>

namespace bp::registration::pg {

class Pool {
 public:
  // At most `size` connections are open at once (at least 1); a borrower
  // waits up to `wait` for one to come back. Connections are opened lazily.
  Pool(std::string url, int size, std::chrono::milliseconds wait);

  // A connection ready for use. Throws pqxx::broken_connection when the
  // server cannot be reached, std::runtime_error when every connection stays
  // busy for longer than `wait`.
  std::unique_ptr<pqxx::connection> acquire();

  // Gives `c` back; a connection that is closed or `broken` is dropped, so
  // the next borrower opens a fresh one (how the pool survives a restart of
  // PostgreSQL).
  void release(std::unique_ptr<pqxx::connection> c, bool broken);

 private:
  std::unique_ptr<pqxx::connection> open_connection();

  const std::string url_;
  const int size_;
  const std::chrono::milliseconds wait_;
  std::mutex mu_;
  std::condition_variable returned_;
  std::vector<std::unique_ptr<pqxx::connection>> idle_;
  int open_ = 0;  // idle + borrowed
};

// One borrowed connection, given back on destruction.
class Lease {
 public:
  explicit Lease(Pool& pool) : pool_(pool), c_(pool.acquire()) {}
  ~Lease() { pool_.release(std::move(c_), broken_); }
  Lease(const Lease&) = delete;
  Lease& operator=(const Lease&) = delete;
  pqxx::connection& get() { return *c_; }
  // The connection failed: close it instead of giving it back.
  void discard() { broken_ = true; }

 private:
  Pool& pool_;
  std::unique_ptr<pqxx::connection> c_;
  bool broken_ = false;
};

}  // namespace bp::registration::pg
