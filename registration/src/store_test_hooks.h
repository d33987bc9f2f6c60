// Test-only entry points of the registration module: hooks into the SQLite
// store that widen the race window between the seat check and the insert, or
// disable the store's protection against overbooking (the control run of
// tests/registration/concurrency_test.cc, which must show the race). This
// header is private (registration/src): bp-server and the public Options
// cannot reach the hooks.
#pragma once

#include <filesystem>
#include <functional>
#include <memory>

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
};

// open_sqlite_store() with `hooks` (same contract otherwise).
Result<std::unique_ptr<Store>> open_sqlite_store_with_hooks(const std::filesystem::path& data_dir,
                                                            Composer compose, StoreTestHooks hooks);

// mount() with a store opened with `hooks` (same contract otherwise).
Result<std::unique_ptr<Module>> mount_with_hooks(httplib::Server& server, const Options& options,
                                                 StoreTestHooks hooks);

}  // namespace bp::registration
