// ProposalStore on SQLite: "$N" placeholders bound as "?N".
#include <sqlite3.h>

#include "proposal_sql.h"
#include "sqlite_util.h"

namespace bp::registration::proposal_sql {
namespace {

class SqliteSession final : public Session {
 public:
  explicit SqliteSession(sqlite3* db) : db_(db) {}

  std::vector<Row> query(std::string_view sql, const std::vector<Value>& params) override {
    std::string text;
    for_each_placeholder(sql, [&](std::string_view t) { text += t; },
                         [&](int n) { text += "?" + std::to_string(n); });
    sql::Stmt st(db_, text.c_str());
    for (std::size_t i = 0; i < params.size(); ++i) {
      const int at = static_cast<int>(i) + 1;
      const Value& v = params[i];
      switch (v.kind) {
        case Value::Kind::kNull: st.bind_null(at); break;
        case Value::Kind::kInt: st.bind(at, v.i); break;
        case Value::Kind::kText: st.bind(at, v.s); break;
        case Value::Kind::kBlob: st.bind_blob(at, v.s); break;
      }
    }
    std::vector<Row> rows;
    while (st.step()) {
      const int n = sqlite3_column_count(st.raw());
      Row row;
      for (int c = 0; c < n; ++c) {
        const int type = sqlite3_column_type(st.raw(), c);
        if (type == SQLITE_NULL) row.emplace_back(std::nullopt);
        else if (type == SQLITE_BLOB) row.emplace_back(st.blob(c));
        else row.emplace_back(st.text(c));
      }
      rows.push_back(std::move(row));
    }
    return rows;
  }

 private:
  sqlite3* db_;
};

}  // namespace

std::unique_ptr<Engine> sqlite_engine(SqliteRunner run, Clock now) {
  return make_engine(
      [run = std::move(run)](const std::function<Status(Session&)>& f) {
        return run([&](sqlite3* db) {
          SqliteSession session(db);
          return f(session);
        });
      },
      std::move(now));
}

}  // namespace bp::registration::proposal_sql
