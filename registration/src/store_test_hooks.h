// Test-only entry points of the registration module: hooks into the stores
// (SQLite and PostgreSQL) that widen the race window between the seat check
// and the insert, disable the store's protection against overbooking (the
// control run of tests/registration/concurrency_test.cc, which must show the
// race) or replace the clock. This header is private (registration/src):
// bp-server, the public Options and the public StoreOptions cannot reach the
// hooks.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>

#include "bp/registration/registration.h"
#include "bp/registration/store.h"
#include "bp/status.h"

namespace bp::registration {

struct StoreTestHooks {
  // Called between the seat check and the insert (to widen the race window).
  std::function<void()> after_seat_check;
  // Disables the protection against overbooking (BEGIN IMMEDIATE and the
  // seat counter with its CHECK): a control run that must show the race.
  bool unsafe_no_locking = false;
  // Seconds since the epoch; empty means the system clock.
  std::function<std::int64_t()> clock;
  // The desk's clock (deadlines, meetings begun) when open_with_hooks()
  // builds the module; empty means the system clock.
  std::function<std::int64_t()> desk_clock;
};

// open_sqlite_store() with `hooks` (same contract otherwise).
Result<std::unique_ptr<Store>> open_sqlite_store_with_hooks(const std::filesystem::path& data_dir,
                                                            Composer compose, StoreOptions options,
                                                            StoreTestHooks hooks);

// open_postgresql_store() with `hooks` (same contract otherwise).
Result<std::unique_ptr<Store>> open_postgresql_store_with_hooks(const std::string& url, Composer compose,
                                                                StoreOptions options, StoreTestHooks hooks);

// open_store() with `hooks` (same contract otherwise).
Result<std::unique_ptr<Store>> open_store_with_hooks(const std::string& database_url,
                                                     const std::filesystem::path& data_dir, Composer compose,
                                                     StoreOptions options, StoreTestHooks hooks);

// open() with a store opened with `hooks` (same contract otherwise).
Result<std::unique_ptr<Module>> open_with_hooks(const Options& options, const Taxonomy& taxonomy,
                                                const site::Pages& pages, StoreTestHooks hooks);

}  // namespace bp::registration
