// One small SQL interface over both engines, for the tables whose statements
// are the same text on SQLite and PostgreSQL (accounts, sessions, API tokens,
// the audit log, meeting attendance, tutoring cases): the logic is written
// once (account_store.cc, back_office_store.cc) and each engine only runs the
// statements. Parameters are written $1, $2, … in both dialects (SQLite reads
// "$1" as a named parameter, bound here by name). Values are integers, text
// or NULL (and bytes, for the proposals' images); hashes are stored as lower-case hex text, flags as 0/1, times as
// UTC ISO text or seconds since the epoch, as in the rest of the schema.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <variant>
#include <vector>

#include "bp/status.h"

namespace bp::registration::sql_runner {

// Bytes for a BLOB (SQLite) or BYTEA (PostgreSQL) column: a cover image, a
// token's raw digest. Such columns read back as text holding the bytes.
struct Blob {
  std::string bytes;
};

using Value = std::variant<std::nullptr_t, std::int64_t, std::string, Blob>;

// One result row; NULL reads as "" or 0.
struct Row {
  std::vector<Value> cells;
  std::string text(std::size_t i) const;
  std::int64_t integer(std::size_t i) const;
  bool is_null(std::size_t i) const;
};

// The statements of one transaction. Throws the engine's own exceptions,
// which SqlRunner::transact turns into a Status.
class Tx {
 public:
  virtual ~Tx() = default;
  virtual std::vector<Row> query(const std::string& sql, const std::vector<Value>& params = {}) = 0;
  // Rows changed by the statement.
  virtual std::int64_t exec(const std::string& sql, const std::vector<Value>& params = {}) = 0;
  // Waits until no other transaction holds `key`, and holds it until this
  // one ends: a check and the write it decides run as one step across
  // processes. A no-op on SQLite, where a write transaction (BEGIN
  // IMMEDIATE) already excludes every other; a transaction-scoped advisory
  // lock on PostgreSQL.
  virtual void serialise(const std::string& key) = 0;
};

class SqlRunner {
 public:
  virtual ~SqlRunner() = default;
  // Runs `f` in one write transaction (BEGIN IMMEDIATE on SQLite, Read
  // Committed on PostgreSQL, retried there on serialisation failures and
  // dropped connections, so `f` must be repeatable) and commits it.
  // Conflict when a constraint refuses a statement, Io when the engine
  // fails; nothing is written then.
  virtual Status transact(const std::function<void(Tx&)>& f) = 0;
};

}  // namespace bp::registration::sql_runner
