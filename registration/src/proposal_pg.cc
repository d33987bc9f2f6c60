// ProposalStore on PostgreSQL: each "$N" placeholder becomes a literal
// escaped by libpq (quote, quote_raw for BYTEA), in one pass over the
// statement's own text, so a value is never read as SQL.
#include <pqxx/pqxx>

#include "proposal_sql.h"

namespace bp::registration::proposal_sql {
namespace {

constexpr unsigned kByteaOid = 17;

class PgSession final : public Session {
 public:
  explicit PgSession(pqxx::transaction_base& tx) : tx_(tx) {}

  std::vector<Row> query(std::string_view sql, const std::vector<Value>& params) override {
    std::string text;
    for_each_placeholder(sql, [&](std::string_view t) { text += t; },
                         [&](int n) { text += literal(params.at(static_cast<std::size_t>(n - 1))); });
    const pqxx::result result = tx_.exec(text);
    std::vector<Row> rows;
    for (const auto& r : result) {
      Row row;
      for (const auto& f : r) {
        if (f.is_null()) row.emplace_back(std::nullopt);
        else if (f.type() == kByteaOid) row.emplace_back(pqxx::binarystring(f).str());
        else row.emplace_back(std::string(f.c_str()));
      }
      rows.push_back(std::move(row));
    }
    return rows;
  }

 private:
  std::string literal(const Value& v) {
    switch (v.kind) {
      case Value::Kind::kNull: return "NULL";
      case Value::Kind::kInt: return std::to_string(v.i);
      case Value::Kind::kText: return tx_.quote(v.s);
      case Value::Kind::kBlob:
        return tx_.quote_raw(reinterpret_cast<const unsigned char*>(v.s.data()), v.s.size());
    }
    return "NULL";
  }

  pqxx::transaction_base& tx_;
};

}  // namespace

std::unique_ptr<Engine> pg_engine(PgRunner run, Clock now) {
  return make_engine(
      [run = std::move(run)](const std::function<Status(Session&)>& f) {
        return run([&](pqxx::transaction_base& tx) {
          PgSession session(tx);
          return f(session);
        });
      },
      std::move(now));
}

}  // namespace bp::registration::proposal_sql
