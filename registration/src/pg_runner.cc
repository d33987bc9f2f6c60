// The SqlRunner of the PostgreSQL engine: the store's run() (pooled
// connection, retries, error mapping) around one pqxx::work. Parameters are
// quoted into the text by the connection (tx.quote), so one statement text
// serves both engines.
#include <cctype>

#include "pg_store_impl.h"
#include "staff_stores.h"

namespace bp::registration {

namespace pg {

namespace {

using sql_runner::Row;
using sql_runner::Value;

class PgTx final : public sql_runner::Tx {
 public:
  explicit PgTx(pqxx::work& tx) : tx_(tx) {}

  std::vector<Row> query(const std::string& text, const std::vector<Value>& params) override {
    std::vector<Row> rows;
    for (const auto& r : tx_.exec(expand(text, params))) {
      Row row;
      for (const auto& f : r) {
        if (f.is_null()) row.cells.emplace_back(nullptr);
        else if (is_integer_type(f.type())) row.cells.emplace_back(f.as<std::int64_t>());
        else if (f.type() == kByteaOid) row.cells.emplace_back(pqxx::binarystring(f).str());
        else row.cells.emplace_back(std::string(f.c_str()));
      }
      rows.push_back(std::move(row));
    }
    return rows;
  }

  std::int64_t exec(const std::string& text, const std::vector<Value>& params) override {
    return static_cast<std::int64_t>(tx_.exec(expand(text, params)).affected_rows());
  }

  void serialise(const std::string& key) override {
    tx_.exec("SELECT pg_advisory_xact_lock(hashtextextended(" + tx_.quote(key) + ", 0))");
  }

 private:
  // int2, int4, int8 (pg_type OIDs).
  static bool is_integer_type(pqxx::oid t) { return t == 20 || t == 21 || t == 23; }
  static constexpr pqxx::oid kByteaOid = 17;

  std::string literal(const Value& v) {
    if (const auto* n = std::get_if<std::int64_t>(&v)) return std::to_string(*n);
    if (const auto* t = std::get_if<std::string>(&v)) return tx_.quote(*t);
    if (const auto* b = std::get_if<sql_runner::Blob>(&v))
      return tx_.quote_raw(reinterpret_cast<const unsigned char*>(b->bytes.data()), b->bytes.size());
    return "NULL";
  }

  // $N replaced by the quoted N-th parameter (statements are ours: a "$"
  // never appears in them otherwise).
  std::string expand(const std::string& text, const std::vector<Value>& params) {
    std::string out;
    for (std::size_t i = 0; i < text.size(); ++i) {
      if (text[i] == '$' && i + 1 < text.size() && std::isdigit(static_cast<unsigned char>(text[i + 1]))) {
        std::size_t j = i + 1;
        std::size_t n = 0;
        while (j < text.size() && std::isdigit(static_cast<unsigned char>(text[j]))) n = n * 10 + (text[j++] - '0');
        out += n >= 1 && n <= params.size() ? literal(params[n - 1]) : "NULL";
        i = j - 1;
      } else {
        out += text[i];
      }
    }
    return out;
  }

  pqxx::work& tx_;
};

}  // namespace

class PgRunner final : public sql_runner::SqlRunner {
 public:
  explicit PgRunner(PgStore& store) : store_(store) {}

  Status transact(const std::function<void(sql_runner::Tx&)>& f) override {
    return store_.run([&](pqxx::connection& c) -> Status {
      pqxx::work tx(c);
      PgTx t(tx);
      f(t);
      tx.commit();
      return Status::ok();
    });
  }

 private:
  PgStore& store_;
};

}  // namespace pg

std::unique_ptr<sql_runner::SqlRunner> make_pg_runner(pg::PgStore& store) {
  return std::make_unique<pg::PgRunner>(store);
}

}  // namespace bp::registration
