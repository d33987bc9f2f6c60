// Moving a registration store from SQLite to PostgreSQL (bp-admin migrate).
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <utility>
#include <vector>

#include "bp/status.h"

namespace bp::registration {

// Rows per table, in copy order.
using TableCounts = std::vector<std::pair<std::string, std::int64_t>>;

// Copies every row of the SQLite store in `sqlite_dir` (registrations.sqlite3)
// into the PostgreSQL store at `url`, with the same ids, codes, token hashes,
// statuses, times and messages, in one PostgreSQL transaction. Both stores
// are first brought to the latest schema version. The target may already
// hold the editions (a server started on it): their capacity and seat
// counter are taken from SQLite. Returns the rows copied per table, checked
// by counting both sides before the commit. Invalid when the target already
// holds registrations, messages or idempotency keys (nothing is changed);
// Io when either store cannot be opened or the copy fails (nothing is
// changed either). The server should be stopped while it runs.
Result<TableCounts> copy_sqlite_to_postgresql(const std::filesystem::path& sqlite_dir, const std::string& url);

}  // namespace bp::registration
