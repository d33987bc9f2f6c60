// AnalyticsStore over a SqlRunner: one text of each statement for both
// engines (INSERT … ON CONFLICT … DO UPDATE is SQLite 3.24+ and PostgreSQL
// 9.5+ alike).
#include <algorithm>

#include "staff_stores.h"

namespace bp::registration {
namespace {

using sql_runner::Tx;

class SharedAnalyticsStore final : public AnalyticsStore {
 public:
  explicit SharedAnalyticsStore(sql_runner::SqlRunner& runner) : runner_(runner) {}

  Status add(const TallyBatch& batch) override {
    if (batch.empty()) return Status::ok();
    return runner_.transact([&](Tx& tx) {
      for (const auto& [key, c] : batch.queries)
        tx.exec("INSERT INTO search_queries(day, query, searches, zero_results, few_results, clicks)"
                " VALUES($1, $2, $3, $4, $5, $6) ON CONFLICT(day, query) DO UPDATE SET"
                " searches = search_queries.searches + excluded.searches,"
                " zero_results = search_queries.zero_results + excluded.zero_results,"
                " few_results = search_queries.few_results + excluded.few_results,"
                " clicks = search_queries.clicks + excluded.clicks",
                {key.first, key.second, c.searches, c.zero_results, c.few_results, c.clicks});
      for (const auto& [key, clicks] : batch.positions)
        tx.exec("INSERT INTO search_positions(day, position, clicks) VALUES($1, $2, $3)"
                " ON CONFLICT(day, position) DO UPDATE SET clicks = search_positions.clicks + excluded.clicks",
                {key.first, std::int64_t{key.second}, clicks});
      for (const auto& [key, searches] : batch.filters)
        tx.exec("INSERT INTO search_filters(day, facet, value, searches) VALUES($1, $2, $3, $4)"
                " ON CONFLICT(day, facet, value) DO UPDATE SET searches = search_filters.searches + excluded.searches",
                {std::get<0>(key), std::get<1>(key), std::get<2>(key), searches});
    });
  }

  Result<SearchReport> report(const std::string& from, const std::string& to, std::int64_t min_searches) override {
    SearchReport r;
    Status s = runner_.transact([&](Tx& tx) {
      r = SearchReport{};
      r.from = from;
      r.to = to;
      for (const auto& row : tx.query("SELECT query, SUM(searches), SUM(zero_results), SUM(few_results), SUM(clicks),"
                                      " COUNT(*) FROM search_queries WHERE day >= $1 AND day <= $2 GROUP BY query",
                                      {from, to})) {
        QueryFigures q;
        q.query = row.text(0);
        q.counts.searches = row.integer(1);
        q.counts.zero_results = row.integer(2);
        q.counts.few_results = row.integer(3);
        q.counts.clicks = row.integer(4);
        q.days = row.integer(5);
        r.searches += q.counts.searches;
        r.zero_results += q.counts.zero_results;
        r.few_results += q.counts.few_results;
        r.clicks += q.counts.clicks;
        if (q.counts.searches < min_searches) {
          ++r.rare_queries;
          continue;
        }
        r.queries.push_back(std::move(q));
      }
      for (const auto& row : tx.query("SELECT position, SUM(clicks) FROM search_positions WHERE day >= $1 AND day <= $2"
                                      " GROUP BY position",
                                      {from, to}))
        r.positions[static_cast<int>(row.integer(0))] = row.integer(1);
      for (const auto& row : tx.query("SELECT facet, value, SUM(searches) FROM search_filters WHERE day >= $1 AND"
                                      " day <= $2 GROUP BY facet, value",
                                      {from, to}))
        r.filters[{row.text(0), row.text(1)}] = row.integer(2);
    });
    if (!s.is_ok()) return s;
    std::sort(r.queries.begin(), r.queries.end(), [](const QueryFigures& a, const QueryFigures& b) {
      return a.counts.searches != b.counts.searches ? a.counts.searches > b.counts.searches : a.query < b.query;
    });
    return r;
  }

  Result<std::int64_t> forget_before(const std::string& day) override {
    std::int64_t removed = 0;
    Status s = runner_.transact([&](Tx& tx) {
      removed = 0;
      for (const char* table : {"search_queries", "search_positions", "search_filters"})
        removed += tx.exec(std::string("DELETE FROM ") + table + " WHERE day < $1", {day});
    });
    if (!s.is_ok()) return s;
    return removed;
  }

 private:
  sql_runner::SqlRunner& runner_;
};

}  // namespace

std::unique_ptr<AnalyticsStore> make_analytics_store(sql_runner::SqlRunner& runner) {
  return std::make_unique<SharedAnalyticsStore>(runner);
}

}  // namespace bp::registration
