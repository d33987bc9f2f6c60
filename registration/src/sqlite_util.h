// Thin RAII helpers over the SQLite C API, and the connection pool.
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <filesystem>
#include <mutex>
#include <stdexcept>
#include <string>
#include <vector>

#include "bp/status.h"

namespace bp::registration::sql {

// Thrown inside the store and turned into a Status at its edge.
struct Error : std::runtime_error {
  Error(const std::string& what, int code) : std::runtime_error(what), code(code) {}
  int code;  // extended SQLite result code
};

class Stmt {
 public:
  Stmt(sqlite3* db, const char* sql);
  ~Stmt();
  Stmt(const Stmt&) = delete;
  Stmt& operator=(const Stmt&) = delete;

  Stmt& bind(int i, const std::string& v);
  Stmt& bind_blob(int i, const std::string& v);
  Stmt& bind(int i, std::int64_t v);
  Stmt& bind(int i, int v) { return bind(i, static_cast<std::int64_t>(v)); }
  Stmt& bind_null(int i);
  // Binds NULL for an empty string.
  Stmt& bind_opt(int i, const std::string& v) { return v.empty() ? bind_null(i) : bind(i, v); }
  Stmt& bind_blob_opt(int i, const std::string& v) { return v.empty() ? bind_null(i) : bind_blob(i, v); }

  bool step();  // true while a row is available
  void run();   // steps to completion
  std::string text(int col) const;
  std::string blob(int col) const;
  std::int64_t integer(int col) const;
  bool is_null(int col) const;
  // The statement itself, for column metadata (store_copy.cc).
  sqlite3_stmt* raw() const { return stmt_; }

 private:
  sqlite3* db_;
  sqlite3_stmt* stmt_ = nullptr;
};

void exec(sqlite3* db, const char* sql);

// PRAGMA wal_checkpoint(TRUNCATE) outside any transaction: copies the WAL
// into the database and empties the -wal file, waiting for readers up to
// the busy timeout. False when it could not complete (retried a few times).
bool checkpoint_truncate(sqlite3* db);

// Makes the data folder `dir` when missing, mode 0700. Io with an Italian
// message on failure.
Status prepare_private_dir(const std::filesystem::path& dir);

// Makes `dir` (prepare_private_dir) and creates the database `file`
// with mode 0600 before SQLite does, so its -wal and -shm files (which
// SQLite creates with the database's mode) are private too. Existing files
// wider than 0600 are narrowed. Io with an Italian message on failure.
Status prepare_private_files(const std::filesystem::path& dir, const std::filesystem::path& file);

// Connections are not shared between threads: a request borrows one from the
// pool for its whole duration and gives it back. New ones are opened (with
// the per-connection pragmas) when all are busy, so the pool grows to the
// number of concurrent server threads.
class Pool {
 public:
  explicit Pool(std::filesystem::path file) : file_(std::move(file)) {}
  ~Pool();
  sqlite3* acquire();
  void release(sqlite3* db);

 private:
  std::filesystem::path file_;
  std::mutex mu_;
  std::vector<sqlite3*> idle_;
};

class Lease {
 public:
  explicit Lease(Pool& pool) : pool_(pool), db_(pool.acquire()) {}
  ~Lease() { pool_.release(db_); }
  Lease(const Lease&) = delete;
  Lease& operator=(const Lease&) = delete;
  sqlite3* get() const { return db_; }

 private:
  Pool& pool_;
  sqlite3* db_;
};

// BEGIN (IMMEDIATE or DEFERRED) ... COMMIT, rolled back unless committed.
class Transaction {
 public:
  Transaction(sqlite3* db, bool immediate);
  ~Transaction();
  void commit();

 private:
  sqlite3* db_;
  bool done_ = false;
};

}  // namespace bp::registration::sql
