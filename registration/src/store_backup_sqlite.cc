// bp-admin backup / restore on SQLite: sqlite3_backup_* copies pages between
// two connections, so a backup is one consistent read snapshot even while a
// server writes (WAL), and a restore goes through SQLite's own locking and
// journal instead of replacing files under it.
#include <sqlite3.h>

#include <system_error>

#include "sqlite_util.h"
#include "store_backup_impl.h"

namespace bp::registration::backup {

namespace {

constexpr const char* kStoreFile = "registrations.sqlite3";

struct Db {
  sqlite3* db = nullptr;
  ~Db() { sqlite3_close(db); }
};

// Opens `file` (read-only or read-write, never creating it).
Status open_db(Db& out, const std::filesystem::path& file, bool write) {
  const int flags = write ? SQLITE_OPEN_READWRITE : SQLITE_OPEN_READONLY;
  if (sqlite3_open_v2(file.c_str(), &out.db, flags, nullptr) != SQLITE_OK)
    return Status::io("impossibile aprire " + file.string() + ": " + sqlite3_errmsg(out.db));
  sqlite3_busy_timeout(out.db, 10000);
  return Status::ok();
}

// Every table with its rows, and PRAGMA user_version (throws sql::Error).
StoreSnapshot snapshot(sqlite3* db) {
  StoreSnapshot snap;
  {
    sql::Stmt v(db, "PRAGMA user_version");
    if (v.step()) snap.schema_version = v.integer(0);
  }
  std::vector<std::string> names;
  {
    sql::Stmt t(db, "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name");
    while (t.step()) names.push_back(t.text(0));
  }
  for (const auto& name : names) {
    sql::Stmt c(db, ("SELECT COUNT(*) FROM \"" + name + "\"").c_str());
    c.step();
    snap.tables.emplace_back(name, c.integer(0));
  }
  return snap;
}

// Copies every page of `src` into `dst` in one step (both opened).
Status copy_pages(sqlite3* dst, sqlite3* src, const std::string& busy_message) {
  sqlite3_backup* b = sqlite3_backup_init(dst, "main", src, "main");
  if (!b) return Status::io(std::string("copia non avviata: ") + sqlite3_errmsg(dst));
  const int rc = sqlite3_backup_step(b, -1);
  sqlite3_backup_finish(b);
  if (rc == SQLITE_DONE) return Status::ok();
  if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED) return Status::io(busy_message);
  return Status::io(std::string("copia non riuscita: ") + sqlite3_errstr(rc));
}

}  // namespace

Result<StoreSnapshot> sqlite_backup(const std::filesystem::path& data_dir, const std::filesystem::path& to) {
  const auto file = data_dir / kStoreFile;
  if (!std::filesystem::exists(file))
    return Status::invalid("non trovo l'archivio SQLite " + file.string() + " (la cartella dei dati è giusta?)");
  if (auto s = create_private_file(to); !s.is_ok()) return s;
  auto result = [&]() -> Result<StoreSnapshot> {
    Db src, dst;
    if (auto s = open_db(src, file, false); !s.is_ok()) return s;
    if (auto s = open_db(dst, to, true); !s.is_ok()) return s;
    try {
      // The counts and the copy read the same snapshot: the backup reuses
      // the read transaction its source connection has open.
      sql::exec(src.db, "BEGIN");
      const StoreSnapshot counted = snapshot(src.db);
      if (auto s = copy_pages(dst.db, src.db, "l'archivio è occupato da una scrittura lunga: riprovare"); !s.is_ok())
        return s;
      sql::exec(src.db, "COMMIT");
      // One self-contained file, with no -wal beside it.
      sql::exec(dst.db, "PRAGMA journal_mode=DELETE");
      sql::Stmt check(dst.db, "PRAGMA quick_check");
      if (!check.step() || check.text(0) != "ok")
        return Status::io("la copia scritta non supera il controllo di integrità di SQLite");
      const StoreSnapshot written = snapshot(dst.db);
      if (auto s = compare(counted, written, "copia non verificata"); !s.is_ok()) return s;
      return written;
    } catch (const sql::Error& e) {
      return Status::io(std::string("copia non riuscita: ") + e.what());
    }
  }();
  if (!result.ok()) {
    std::error_code ec;
    std::filesystem::remove(to, ec);
  }
  return result;
}

Result<StoreSnapshot> sqlite_restore(const std::filesystem::path& from, const std::filesystem::path& data_dir,
                                     const RestoreOptions& options) {
  if (auto s = expect_kind(from, FileKind::kSqlite); !s.is_ok()) return s;
  const auto file = data_dir / kStoreFile;
  if (auto s = sql::prepare_private_files(data_dir, file); !s.is_ok()) return s;
  auto lock = RestoreLock::take(data_dir);  // held until the restore is verified
  if (!lock.ok()) return lock.status();
  try {
    Db src, dst;
    if (auto s = open_db(src, from, false); !s.is_ok()) return s;
    const StoreSnapshot backup = snapshot(src.db);
    if (auto s = open_db(dst, file, true); !s.is_ok()) return s;
    if (auto s = check_restore(backup, snapshot(dst.db), options); !s.is_ok()) return s;
    if (auto s = copy_pages(dst.db, src.db,
                            "l'archivio è in uso (un bp-server acceso su questa cartella?): fermare il server e riprovare");
        !s.is_ok())
      return s;
    sql::exec(dst.db, "PRAGMA journal_mode=WAL");
    Db check;
    if (auto s = open_db(check, file, false); !s.is_ok()) return s;
    const StoreSnapshot restored = snapshot(check.db);
    if (auto s = compare(backup, restored, "ripristino non verificato"); !s.is_ok()) return s;
    return restored;
  } catch (const sql::Error& e) {
    return Status::io(std::string("ripristino non riuscito: ") + e.what());
  }
}

}  // namespace bp::registration::backup
