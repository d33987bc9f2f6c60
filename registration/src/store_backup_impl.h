// The engines' halves of bp-admin backup / restore (store_backup.h): one
// file per engine, the shared checks in store_backup.cc.
#pragma once

#include <filesystem>
#include <memory>
#include <string>

#include "bp/registration/store_backup.h"

namespace bp::registration::backup {

// SQLite (store_backup_sqlite.cc) and PostgreSQL (store_backup_pg.cc).
Result<StoreSnapshot> sqlite_backup(const std::filesystem::path& data_dir, const std::filesystem::path& to);
Result<StoreSnapshot> sqlite_restore(const std::filesystem::path& from, const std::filesystem::path& data_dir,
                                     const RestoreOptions& options);
Result<StoreSnapshot> pg_backup(const std::string& url, const std::filesystem::path& to);
Result<StoreSnapshot> pg_restore(const std::filesystem::path& from, const std::string& url,
                                 const RestoreOptions& options);

// The data folder's lock file, held exclusively by a SQLite restore while
// it runs (ServerClaim holds it shared). Released on destruction.
class RestoreLock {
 public:
  // Invalid when a server holds its claim on `data_dir`, Io when the lock
  // file cannot be created; the folder must exist.
  static Result<std::unique_ptr<RestoreLock>> take(const std::filesystem::path& data_dir);
  ~RestoreLock();

 private:
  explicit RestoreLock(int fd) : fd_(fd) {}
  int fd_;
};

// Creates `path` empty with mode 0600 (backups hold personal data). Invalid
// when it exists already, Io when it cannot be created.
Status create_private_file(const std::filesystem::path& path);

// The backup file's kind, from its first bytes.
enum class FileKind { kSqlite, kPgDump, kOther, kMissing };
FileKind file_kind(const std::filesystem::path& path);
// Invalid with the reason when `path` is not a backup of the `expected` kind.
Status expect_kind(const std::filesystem::path& path, FileKind expected);

// The checks every restore makes before changing anything: the backup is a
// registration store this program can read, the store is not newer than it,
// and it is empty unless options.force. Invalid with the reason otherwise.
Status check_restore(const StoreSnapshot& backup, const StoreSnapshot& store, const RestoreOptions& options);

// Ok when `got` holds the same schema version and rows per table as
// `expected`; otherwise Io naming the first difference (`what` says what was
// compared with what, for the message).
Status compare(const StoreSnapshot& expected, const StoreSnapshot& got, const std::string& what);

}  // namespace bp::registration::backup
