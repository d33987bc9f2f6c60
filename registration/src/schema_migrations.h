// The registration store's schema, one list for both engines: version N is
// the same tables, columns, constraints and indexes on SQLite and on
// PostgreSQL, written once per dialect side by side, so a table added for
// one engine (accounts, sessions, the audit log, proposals) cannot be
// forgotten on the other. The conformance suite checks that both engines end
// with the same columns.
//
// Rules: versions are the positions in kMigrations (1-based); add new ones at
// the end and never edit one that has shipped. Each entry runs in the same
// transaction as the version bump: on SQLite under BEGIN IMMEDIATE with
// PRAGMA user_version as the version; on PostgreSQL under
// pg_advisory_xact_lock(kMigrationLockKey) with the schema_migrations table,
// so that servers starting together apply each version exactly once.
#pragma once

#include <cstddef>
#include <cstdint>

namespace bp::registration::schema {

struct Migration {
  const char* summary;     // one line, recorded in schema_migrations (PostgreSQL)
  const char* sqlite;      // statements for SQLite (run with foreign keys off)
  const char* postgresql;  // statements for PostgreSQL
};

extern const Migration kMigrations[];
extern const std::size_t kMigrationCount;

// Column lists in the order the row readers of both engines expect
// (sqlite_schema.h, pg_store_impl.h).
extern const char* const kRegistrationColumns;
extern const char* const kMessageColumns;

// The key of the PostgreSQL advisory lock held while migrating ("bp-reg").
constexpr std::int64_t kMigrationLockKey = 0x62702d726567;

}  // namespace bp::registration::schema
