// How ProposalStore's one set of statements (proposal_store.cc) runs on
// either engine: an Engine runs a function in one write transaction and a
// Session executes a statement in it. Statements use PostgreSQL's "$1".."$N"
// placeholders; the SQLite engine binds them as "?N".
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "bp/registration/proposal_store.h"
#include "bp/status.h"

struct sqlite3;
namespace pqxx {
class transaction_base;
}  // namespace pqxx

namespace bp::registration::proposal_sql {

struct Value {
  enum class Kind { kNull, kInt, kText, kBlob };
  Kind kind = Kind::kNull;
  std::int64_t i = 0;
  std::string s;

  static Value integer(std::int64_t v) { return {Kind::kInt, v, {}}; }
  static Value text(std::string v) { return {Kind::kText, 0, std::move(v)}; }
  // NULL for "" (optional columns).
  static Value text_or_null(std::string v) { return v.empty() ? Value{} : text(std::move(v)); }
  static Value blob(std::string v) { return {Kind::kBlob, 0, std::move(v)}; }
  static Value blob_or_null(std::string v) { return v.empty() ? Value{} : blob(std::move(v)); }
};

// A result row: NULL as nullopt, integers as decimal text, blobs as bytes.
using Row = std::vector<std::optional<std::string>>;

class Session {
 public:
  virtual ~Session() = default;
  // Runs one statement of the current transaction; throws the engine's
  // exceptions (turned into Status by Engine::write).
  virtual std::vector<Row> query(std::string_view sql, const std::vector<Value>& params) = 0;
};

class Engine {
 public:
  virtual ~Engine() = default;
  // Runs `f` in one write transaction, committed when it returns OK and
  // rolled back otherwise. The engine's exceptions become Status values as
  // for registrations (constraint -> Conflict, unreachable -> Io).
  virtual Status write(const std::function<Status(Session&)>& f) = 0;
  // The store's clock, UTC ISO.
  virtual std::string now_iso() const = 0;
};

// Splits `sql` at its "$N" placeholders: calls `text` with each run of
// statement text and `param` with each placeholder's number (1-based).
void for_each_placeholder(std::string_view sql, const std::function<void(std::string_view)>& text,
                          const std::function<void(int)>& param);

std::unique_ptr<ProposalStore> make_store(std::unique_ptr<Engine> engine);

// An Engine whose transactions `run` gives a Session of its own.
using SessionRunner = std::function<Status(const std::function<Status(Session&)>&)>;
using Clock = std::function<std::string()>;
std::unique_ptr<Engine> make_engine(SessionRunner run, Clock now);

// The engines. Each takes the store's own transaction runner, so that
// pooling, retries and the mapping of exceptions stay in one place per
// engine (SqliteStore::guard, PgStore::run), and the store's clock.
using SqliteRunner = std::function<Status(const std::function<Status(sqlite3*)>&)>;
using PgRunner = std::function<Status(const std::function<Status(pqxx::transaction_base&)>&)>;
std::unique_ptr<Engine> sqlite_engine(SqliteRunner run, Clock now);  // proposal_sqlite.cc
std::unique_ptr<Engine> pg_engine(PgRunner run, Clock now);          // proposal_pg.cc

}  // namespace bp::registration::proposal_sql
