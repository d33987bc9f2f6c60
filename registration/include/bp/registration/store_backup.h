// Backing up and restoring a registration store (bp-admin backup / restore),
// on either engine: SQLite through its online backup API, PostgreSQL through
// pg_dump and pg_restore in their custom format (Debian's postgresql-client,
// found on PATH). Messages are in Italian, for the staff.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>

#include "bp/registration/store_copy.h"  // TableCounts
#include "bp/status.h"

namespace bp::registration {

// Where a store lives, as bp-server is told: `database_url` names a
// PostgreSQL database (the store is its current schema, as the URL's
// search_path says); empty means SQLite in `data_dir`
// (registrations.sqlite3).
struct StoreAddress {
  std::string database_url;
  std::filesystem::path data_dir;
};

// What a store or a backup holds: its schema version and its rows per table
// (every table of the store, by name; PostgreSQL's schema_migrations is the
// version, not a table here).
struct StoreSnapshot {
  std::int64_t schema_version = 0;
  TableCounts tables;
  std::int64_t rows(const std::string& table) const;  // 0 for a table it lacks
};

struct RestoreOptions {
  // Restore over a store that holds registrations (or anything beyond its
  // editions), replacing all of it. Without it such a store is refused.
  bool force = false;
};

// A running server's claim on a SQLite store: while one is held, restore_store
// into that data folder is refused, and while a restore runs none can be
// taken. A shared lock (flock) on DATA_DIR/registrations.lock, released
// when the object is destroyed or the process ends, however it ends (no
// stale lock after a crash). Several servers on one folder each hold one.
// Empty (holds nothing) for a PostgreSQL store, whose servers may run on
// other machines: the operator stops them (docs/registration.md).
class ServerClaim {
 public:
  ServerClaim() = default;
  ServerClaim(ServerClaim&& other) noexcept;
  ServerClaim& operator=(ServerClaim&& other) noexcept;
  ServerClaim(const ServerClaim&) = delete;
  ServerClaim& operator=(const ServerClaim&) = delete;
  ~ServerClaim();

 private:
  friend Result<ServerClaim> claim_store_for_server(const StoreAddress& address);
  int fd_ = -1;
};

// Takes the claim for a server about to open the store at `address`
// (creating the data folder, mode 0700, when missing). Invalid (in Italian,
// for the operator) while bp-admin restore is replacing that store; Io when
// the lock file cannot be created.
Result<ServerClaim> claim_store_for_server(const StoreAddress& address);

// Writes a consistent copy of the store at `from` to the new file `to`
// (mode 0600; an existing file is refused, never overwritten) while servers
// may keep running: SQLite copies one read snapshot page by page; PostgreSQL
// runs pg_dump --format=custom on an exported snapshot. Returns what the
// copy holds, verified: the rows counted in that same snapshot of the store
// equal the rows found in the written file (otherwise Io and the file is
// removed). The copy is written as `<to>.incompleto` and takes the name
// `to` only once verified, so a backup killed half-way leaves no file under
// `to`. Invalid for a missing SQLite store, an existing `to` or an existing
// `<to>.incompleto`; Io when the store cannot be read, pg_dump is missing
// or fails.
Result<StoreSnapshot> backup_store(const StoreAddress& from, const std::filesystem::path& to);

// Replaces the store at `to` with the backup file `from` (made by
// backup_store on the same engine). The servers must be stopped: on SQLite
// a server's claim (claim_store_for_server) makes the restore Invalid,
// nothing changed, and the restore holds the folder's lock exclusively
// until it ends, so no server starts on it meanwhile. Refused
// (Invalid, nothing changed) when the file is not a backup of this engine,
// was written by a newer schema than this program knows, the store is at a
// newer schema version than the backup, or the store is not empty and
// options.force is false. Afterwards the store is read back and compared
// with the backup (rows per table, schema version): Io when they differ or
// the restore fails. A store restored from an older schema is brought up to
// date by the next server start, as always.
Result<StoreSnapshot> restore_store(const std::filesystem::path& from, const StoreAddress& to,
                                    const RestoreOptions& options);

}  // namespace bp::registration
