// The SQLite schema of the registration store: versioned migrations and
// the mapping between rows and the Store's structs.
#pragma once

#include <cstddef>

#include "bp/registration/store.h"
#include "sqlite_util.h"

namespace bp::registration::schema {

// Migrations in order; PRAGMA user_version records how many were applied.
// Add new ones at the end; never edit an applied one.
extern const char* const kMigrations[];
extern const std::size_t kMigrationCount;

// Column lists matching read_registration() and read_message().
extern const char* const kRegistrationColumns;
extern const char* const kMessageColumns;

Registration read_registration(const sql::Stmt& s);
OutboxMessage read_message(const sql::Stmt& s);

}  // namespace bp::registration::schema
