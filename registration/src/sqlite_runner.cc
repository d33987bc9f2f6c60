// The SqlRunner of the SQLite engine: one pooled connection, BEGIN IMMEDIATE,
// parameters bound by their "$N" names.
#include <sqlite3.h>

#include "sqlite_store_impl.h"
#include "sqlite_util.h"
#include "staff_stores.h"

namespace bp::registration {
namespace {

using sql_runner::Row;
using sql_runner::Value;

class SqliteTx final : public sql_runner::Tx {
 public:
  explicit SqliteTx(sqlite3* db) : db_(db) {}

  std::vector<Row> query(const std::string& text, const std::vector<Value>& params) override {
    sql::Stmt s(db_, text.c_str());
    bind(s, params);
    std::vector<Row> rows;
    while (s.step()) {
      Row row;
      const int n = sqlite3_column_count(s.raw());
      for (int i = 0; i < n; ++i) {
        switch (sqlite3_column_type(s.raw(), i)) {
          case SQLITE_NULL: row.cells.emplace_back(nullptr); break;
          case SQLITE_INTEGER: row.cells.emplace_back(s.integer(i)); break;
          case SQLITE_BLOB: row.cells.emplace_back(s.blob(i)); break;
          default: row.cells.emplace_back(s.text(i));
        }
      }
      rows.push_back(std::move(row));
    }
    return rows;
  }

  std::int64_t exec(const std::string& text, const std::vector<Value>& params) override {
    sql::Stmt s(db_, text.c_str());
    bind(s, params);
    s.run();
    return sqlite3_changes(db_);
  }
  // BEGIN IMMEDIATE: no other write transaction runs meanwhile.
  void serialise(const std::string&) override {}

 private:
  static void bind(sql::Stmt& s, const std::vector<Value>& params) {
    for (std::size_t i = 0; i < params.size(); ++i) {
      const std::string name = "$" + std::to_string(i + 1);
      const int index = sqlite3_bind_parameter_index(s.raw(), name.c_str());
      if (index == 0) continue;  // a parameter the statement does not use
      if (const auto* n = std::get_if<std::int64_t>(&params[i])) s.bind(index, *n);
      else if (const auto* t = std::get_if<std::string>(&params[i])) s.bind(index, *t);
      else if (const auto* b = std::get_if<sql_runner::Blob>(&params[i])) s.bind_blob(index, b->bytes);
      else s.bind_null(index);
    }
  }

  sqlite3* db_;
};

class SqliteRunner final : public sql_runner::SqlRunner {
 public:
  explicit SqliteRunner(sql::Pool& pool) : pool_(pool) {}

  Status transact(const std::function<void(sql_runner::Tx&)>& f) override {
    try {
      sql::Lease db(pool_);
      sql::Transaction tx(db.get(), /*immediate=*/true);
      SqliteTx t(db.get());
      f(t);
      tx.commit();
      return Status::ok();
    } catch (const sql::Error& e) {
      if ((e.code & 0xff) == SQLITE_CONSTRAINT) return Status::conflict(e.what());
      return sqlite_detail::to_status(e);
    } catch (const std::exception& e) {
      return Status::io(std::string("archivio iscrizioni: ") + e.what());
    }
  }

 private:
  sql::Pool& pool_;
};

}  // namespace

std::unique_ptr<sql_runner::SqlRunner> make_sqlite_runner(sql::Pool& pool) {
  return std::make_unique<SqliteRunner>(pool);
}

}  // namespace bp::registration
