#include "sqlite_util.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <thread>

namespace bp::registration::sql {

namespace {
[[noreturn]] void fail(sqlite3* db, const std::string& what) {
  throw Error(what + ": " + sqlite3_errmsg(db), sqlite3_extended_errcode(db));
}
}  // namespace

Stmt::Stmt(sqlite3* db, const char* sql) : db_(db) {
  if (sqlite3_prepare_v2(db, sql, -1, &stmt_, nullptr) != SQLITE_OK) fail(db, "prepare");
}

Stmt::~Stmt() { sqlite3_finalize(stmt_); }

Stmt& Stmt::bind(int i, const std::string& v) {
  if (sqlite3_bind_text(stmt_, i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT) != SQLITE_OK)
    fail(db_, "bind");
  return *this;
}

Stmt& Stmt::bind_blob(int i, const std::string& v) {
  if (sqlite3_bind_blob(stmt_, i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT) != SQLITE_OK)
    fail(db_, "bind");
  return *this;
}

Stmt& Stmt::bind(int i, std::int64_t v) {
  if (sqlite3_bind_int64(stmt_, i, v) != SQLITE_OK) fail(db_, "bind");
  return *this;
}

Stmt& Stmt::bind_null(int i) {
  if (sqlite3_bind_null(stmt_, i) != SQLITE_OK) fail(db_, "bind");
  return *this;
}

bool Stmt::step() {
  int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  fail(db_, "step");
}

void Stmt::run() {
  while (step()) {
  }
}

std::string Stmt::text(int col) const {
  const unsigned char* p = sqlite3_column_text(stmt_, col);
  if (!p) return {};
  return std::string(reinterpret_cast<const char*>(p),
                     static_cast<std::size_t>(sqlite3_column_bytes(stmt_, col)));
}

std::string Stmt::blob(int col) const {
  const void* p = sqlite3_column_blob(stmt_, col);
  if (!p) return {};
  return std::string(static_cast<const char*>(p),
                     static_cast<std::size_t>(sqlite3_column_bytes(stmt_, col)));
}

std::int64_t Stmt::integer(int col) const { return sqlite3_column_int64(stmt_, col); }

bool Stmt::is_null(int col) const { return sqlite3_column_type(stmt_, col) == SQLITE_NULL; }

void exec(sqlite3* db, const char* sql) {
  char* err = nullptr;
  if (sqlite3_exec(db, sql, nullptr, nullptr, &err) != SQLITE_OK) {
    std::string msg = err ? err : "exec";
    sqlite3_free(err);
    throw Error(msg, sqlite3_extended_errcode(db));
  }
}

bool checkpoint_truncate(sqlite3* db) {
  for (int attempt = 0; attempt < 5; ++attempt) {
    int log = -1, done = -1;
    const int rc = sqlite3_wal_checkpoint_v2(db, nullptr, SQLITE_CHECKPOINT_TRUNCATE, &log, &done);
    if (rc == SQLITE_OK && log == 0) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(50 << attempt));
  }
  return false;
}

Status prepare_private_dir(const std::filesystem::path& dir) {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (!fs::exists(dir, ec)) {
    fs::create_directories(dir, ec);
    if (!ec) fs::permissions(dir, fs::perms::owner_all, fs::perm_options::replace, ec);
    if (ec)
      return Status::io("impossibile creare la cartella dei dati " + dir.string() + ": " + ec.message());
  }
  return Status::ok();
}

Status prepare_private_files(const std::filesystem::path& dir, const std::filesystem::path& file) {
  if (auto s = prepare_private_dir(dir); !s.is_ok()) return s;
  const int fd = ::open(file.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0)
    return Status::io("impossibile creare l'archivio " + file.string() + ": " + std::strerror(errno));
  ::close(fd);
  for (const char* suffix : {"", "-wal", "-shm"}) {
    const std::string f = file.string() + suffix;
    struct stat st {};
    if (::stat(f.c_str(), &st) == 0 && (st.st_mode & 0077) != 0 && ::chmod(f.c_str(), 0600) != 0)
      return Status::io("impossibile rendere privato il file " + f + ": " + std::strerror(errno));
  }
  return Status::ok();
}

Pool::~Pool() {
  for (sqlite3* db : idle_) sqlite3_close_v2(db);
}

sqlite3* Pool::acquire() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (!idle_.empty()) {
      sqlite3* db = idle_.back();
      idle_.pop_back();
      return db;
    }
  }
  sqlite3* db = nullptr;
  int rc = sqlite3_open_v2(file_.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr);
  if (rc != SQLITE_OK) {
    std::string msg = db ? sqlite3_errmsg(db) : "out of memory";
    sqlite3_close_v2(db);
    throw Error("open " + file_.string() + ": " + msg, rc);
  }
  try {
    // The busy timeout first: the other pragmas may already wait for a lock.
    sqlite3_busy_timeout(db, 10000);
    exec(db,
         "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON;"
         " PRAGMA secure_delete=ON;");
  } catch (...) {
    sqlite3_close_v2(db);
    throw;
  }
  return db;
}

void Pool::release(sqlite3* db) {
  if (sqlite3_get_autocommit(db) == 0) {
    // A transaction left open by an error path: never hand it to someone else.
    sqlite3_exec(db, "ROLLBACK", nullptr, nullptr, nullptr);
  }
  std::lock_guard<std::mutex> lock(mu_);
  idle_.push_back(db);
}

Transaction::Transaction(sqlite3* db, bool immediate) : db_(db) {
  exec(db, immediate ? "BEGIN IMMEDIATE" : "BEGIN DEFERRED");
}

Transaction::~Transaction() {
  if (!done_) sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
}

void Transaction::commit() {
  exec(db_, "COMMIT");
  done_ = true;
}

}  // namespace bp::registration::sql
