// The on-disk layout of an index folder (schema.h): DIR/CURRENT names the
// live database folder DIR/db-NNNNNN. Shared by the builder and the searcher.
#pragma once

#include <filesystem>
#include <optional>
#include <string>

#include "bp/status.h"

namespace bp::index_store {

// Name in DIR/CURRENT ("db-000003"), or "" when the file is missing, empty
// or does not hold a plain folder name. Never throws.
std::string read_current(const std::filesystem::path& index_dir);

// DIR/<name from CURRENT> when that folder exists, else nullopt.
std::optional<std::filesystem::path> current_database(const std::filesystem::path& index_dir);

// Points CURRENT at `name` atomically: writes CURRENT.tmp, flushes it to
// disk, renames it over CURRENT and flushes the folder. A reader sees the
// old name or the new one, never a partial file. kIo on failure.
Status write_current(const std::filesystem::path& index_dir, const std::string& name);

// Points the symbolic link DIR/live (schema.h) at `name` atomically
// (live.tmp, then rename), so xapian-replicate-server always serves the live
// database under one name. Nothing happens when it already points there.
// kIo on failure.
Status link_live(const std::filesystem::path& index_dir, const std::string& name);

// "db-NNNNNN" with NNNNNN one above the highest db-* folder in DIR.
std::string next_database_name(const std::filesystem::path& index_dir);

// Removes every db-* folder of DIR except `keep`, and the leftover shards
// ("db-N.shard-K") of an interrupted full build. Readers that still have
// an old database open keep reading it (the files stay alive while open).
// Returns how many folders were removed; errors are ignored.
int remove_databases_except(const std::filesystem::path& index_dir, const std::string& keep);

}  // namespace bp::index_store
