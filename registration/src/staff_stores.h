// The engine-independent AccountStore and BackOfficeStore (account_store.cc,
// back_office_store.cc) and the ProposalStore (proposal_store.cc) over a SqlRunner, and each engine's runner. A store
// engine owns its runner and the two stores built on it.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>

#include "bp/registration/account_store.h"
#include "bp/registration/analytics_store.h"
#include "bp/registration/back_office_store.h"
#include "bp/registration/proposal_store.h"
#include "sql_runner.h"

namespace bp::registration {

namespace sql {
class Pool;
}
namespace pg {
class PgStore;
}

// `clock` gives seconds since the epoch (the store's, replaceable in tests).
// The runner must outlive the stores.
std::unique_ptr<AccountStore> make_account_store(sql_runner::SqlRunner& runner,
                                                 std::function<std::int64_t()> clock);
std::unique_ptr<BackOfficeStore> make_back_office_store(sql_runner::SqlRunner& runner,
                                                        std::function<std::int64_t()> clock);
// The proposals of practices (proposal_store.cc).
std::unique_ptr<ProposalStore> make_proposal_store(sql_runner::SqlRunner& runner,
                                                   std::function<std::int64_t()> clock);

// What people search (analytics_store.cc).
std::unique_ptr<AnalyticsStore> make_analytics_store(sql_runner::SqlRunner& runner);

// The SQLite runner borrows connections from `pool` (sqlite_runner.cc).
std::unique_ptr<sql_runner::SqlRunner> make_sqlite_runner(sql::Pool& pool);
// The PostgreSQL runner goes through the store's retrying run() (pg_runner.cc).
std::unique_ptr<sql_runner::SqlRunner> make_pg_runner(pg::PgStore& store);

}  // namespace bp::registration
