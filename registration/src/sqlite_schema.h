// The mapping between SQLite rows and the Store's structs (the migrations,
// shared with PostgreSQL, are in schema_migrations.h).
#pragma once

#include <cstddef>

#include "bp/registration/store.h"
#include "schema_migrations.h"
#include "sqlite_util.h"

namespace bp::registration::schema {

Registration read_registration(const sql::Stmt& s);
OutboxMessage read_message(const sql::Stmt& s);

}  // namespace bp::registration::schema
