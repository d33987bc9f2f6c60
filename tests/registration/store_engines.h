// The engines of the registration store, for the conformance suite: every
// Store behaviour test is a TEST_P over Engine and runs on SQLite (a temporary
// folder) and on PostgreSQL (a private schema in the database named by
// BP_TEST_DATABASE_URL, which scripts/test starts). Without that variable the
// PostgreSQL cases are skipped with the reason; with it set but the server
// unreachable they fail, so a broken setup is never reported as a pass.
#pragma once

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <cstdlib>
#include <memory>
#include <pqxx/pqxx>
#include <random>
#include <string>
#include <vector>

#include "bp/registration/store.h"
#include "store_test_hooks.h"
#include "temp_dir.h"

namespace bp::registration::test {

enum class Engine { kSqlite, kPostgresql };

inline std::string engine_name(const ::testing::TestParamInfo<Engine>& info) {
  return info.param == Engine::kSqlite ? "SQLite" : "PostgreSQL";
}

// The throwaway test database's URL, or "" when none was given.
inline std::string test_database_url() {
  const char* v = std::getenv("BP_TEST_DATABASE_URL");
  return v ? v : "";
}

inline const char* kNoPostgres =
    "PostgreSQL non disponibile: BP_TEST_DATABASE_URL non è impostata (scripts/test avvia un "
    "PostgreSQL temporaneo e la imposta; a mano: BP_TEST_DATABASE_URL=postgresql://… ctest)";

// A schema of its own in the test database, dropped on destruction; url()
// points the store at it (search_path), so tests running in parallel never
// see each other's tables.
class PgSchema {
 public:
  PgSchema() {
    const std::string base = test_database_url();
    if (base.empty()) return;
    std::random_device rd;
    name_ = "t" + std::to_string(rd()) + "_" + std::to_string(::getpid());
    try {
      pqxx::connection c(base);
      pqxx::nontransaction tx(c);
      tx.exec("CREATE SCHEMA " + name_);
    } catch (const std::exception& e) {
      error_ = std::string("PostgreSQL di prova non raggiungibile: ") + e.what();
      name_.clear();
      return;
    }
    url_ = base + (base.find('?') == std::string::npos ? "?" : "&") + "options=-csearch_path%3D" + name_;
  }
  ~PgSchema() {
    if (name_.empty()) return;
    try {
      pqxx::connection c(test_database_url());
      pqxx::nontransaction tx(c);
      tx.exec("DROP SCHEMA " + name_ + " CASCADE");
    } catch (const std::exception&) {
      // The cluster is removed by scripts/test anyway.
    }
  }
  PgSchema(const PgSchema&) = delete;
  PgSchema& operator=(const PgSchema&) = delete;

  const std::string& url() const { return url_; }
  const std::string& name() const { return name_; }
  const std::string& error() const { return error_; }

 private:
  std::string name_, url_, error_;
};

// Where one test keeps its store, on one engine.
class StoreLocation {
 public:
  explicit StoreLocation(Engine engine) : engine_(engine), dir_("bp-registration-test") {
    if (engine_ == Engine::kPostgresql) pg_ = std::make_unique<PgSchema>();
  }

  Engine engine() const { return engine_; }
  // Why the test cannot run here ("" when it can): call first, then GTEST_SKIP.
  std::string skip_reason() const {
    return engine_ == Engine::kPostgresql && test_database_url().empty() ? kNoPostgres : "";
  }
  // Why the engine is configured but broken ("" when fine): ASSERT on it.
  std::string error() const { return pg_ ? pg_->error() : ""; }

  const std::filesystem::path& data_dir() const { return dir_.path(); }
  std::string database_url() const { return pg_ ? pg_->url() : ""; }

  Result<std::unique_ptr<Store>> open(Composer compose, StoreOptions options = {},
                                      StoreTestHooks hooks = {}) const {
    return open_store_with_hooks(database_url(), data_dir(), std::move(compose), std::move(options),
                                 std::move(hooks));
  }

  // Runs `sql` on the engine directly, behind the store's back (for the
  // backstops the store itself never trips). Conflict for a constraint or
  // trigger refusal, Io for anything else.
  Status exec(const std::string& sql) const {
    if (engine_ == Engine::kSqlite) {
      sqlite3* db = nullptr;
      sqlite3_open((data_dir() / "registrations.sqlite3").c_str(), &db);
      const int rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr);
      const std::string msg = sqlite3_errmsg(db);
      sqlite3_close(db);
      if (rc == SQLITE_OK) return Status::ok();
      return (rc & 0xff) == SQLITE_CONSTRAINT ? Status::conflict(msg) : Status::io(msg);
    }
    try {
      pqxx::connection c(database_url());
      pqxx::work tx(c);
      tx.exec(sql);
      tx.commit();
      return Status::ok();
    } catch (const pqxx::integrity_constraint_violation& e) {
      return Status::conflict(e.what());
    } catch (const std::exception& e) {
      return Status::io(e.what());
    }
  }

  // The rows of a one-column query, as text (NULL as "").
  std::vector<std::string> query(const std::string& sql) const {
    std::vector<std::string> out;
    if (engine_ == Engine::kSqlite) {
      sqlite3* db = nullptr;
      sqlite3_open((data_dir() / "registrations.sqlite3").c_str(), &db);
      sqlite3_stmt* s = nullptr;
      if (sqlite3_prepare_v2(db, sql.c_str(), -1, &s, nullptr) == SQLITE_OK)
        while (sqlite3_step(s) == SQLITE_ROW) {
          const auto* t = sqlite3_column_text(s, 0);
          out.emplace_back(t ? reinterpret_cast<const char*>(t) : "");
        }
      sqlite3_finalize(s);
      sqlite3_close(db);
      return out;
    }
    pqxx::connection c(database_url());
    pqxx::work tx(c);
    for (const auto& row : tx.exec(sql)) out.emplace_back(row[0].is_null() ? "" : row[0].c_str());
    return out;
  }

  // The schema version the store recorded.
  int schema_version() const {
    const auto rows = query(engine_ == Engine::kSqlite ? "PRAGMA user_version"
                                                       : "SELECT MAX(version) FROM schema_migrations");
    return rows.empty() ? -1 : std::atoi(rows[0].c_str());
  }

  // The columns of `table`, in order.
  std::vector<std::string> columns(const std::string& table) const {
    if (engine_ == Engine::kSqlite) return query("SELECT name FROM pragma_table_info('" + table + "')");
    return query("SELECT column_name FROM information_schema.columns WHERE table_schema = '" + pg_->name() +
                 "' AND table_name = '" + table + "' ORDER BY ordinal_position");
  }

 private:
  Engine engine_;
  bp::test_util::TempDir dir_;
  std::unique_ptr<PgSchema> pg_;
};

// A composer that only labels the message (kind and code), for store tests.
inline Composer label_composer() {
  return [](MessageKind kind, const Registration& r) {
    OutboxMessage m;
    m.recipient = r.email;
    m.subject = std::to_string(static_cast<int>(kind)) + " " + r.code;
    m.body = "body";
    return m;
  };
}

// A complete, consenting adult registering on `edition` with `code`.
inline NewRegistration sample_person(const std::string& code, const std::string& edition, const std::string& email) {
  NewRegistration in;
  Registration& p = in.person;
  p.code = code;
  p.token_hash = std::string(31, 'x') + code.back();
  p.confirm_hash = std::string(32, 'c');
  p.edition_id = edition;
  p.first_name = "Giulia";
  p.last_name = "Ferrero";
  p.email = email;
  p.role = "volontario";
  p.region = "piemonte";
  p.age_band = "18-35";
  p.consent = true;
  p.consent_at = "2026-11-26T10:00:00Z";
  p.privacy_version = "2026-11";
  return in;
}

// The same rows, field by field (what a copy or a restore must keep).
inline void expect_same_registrations(const std::vector<Registration>& got, const std::vector<Registration>& want) {
  ASSERT_EQ(got.size(), want.size());
  for (std::size_t i = 0; i < got.size(); ++i) {
    EXPECT_EQ(got[i].id, want[i].id);
    EXPECT_EQ(got[i].code, want[i].code);
    EXPECT_EQ(got[i].token_hash, want[i].token_hash);
    EXPECT_EQ(got[i].confirm_hash, want[i].confirm_hash);
    EXPECT_EQ(got[i].status, want[i].status);
    EXPECT_EQ(got[i].position, want[i].position);
    EXPECT_EQ(got[i].email, want[i].email);
    EXPECT_EQ(got[i].hold_expires_at, want[i].hold_expires_at);
    EXPECT_EQ(got[i].erased_at, want[i].erased_at);
  }
}

// In a fixture's SetUp or a test body: skip (with the reason) when the
// engine is not available, fail when it is configured but broken.
#define BP_REQUIRE_ENGINE(location)                                           \
  do {                                                                        \
    if (const std::string why = (location).skip_reason(); !why.empty()) {    \
      GTEST_SKIP() << why;                                                    \
    }                                                                         \
    ASSERT_EQ((location).error(), "");                                        \
  } while (0)

}  // namespace bp::registration::test
