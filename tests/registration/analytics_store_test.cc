// What people search, kept in the store (bp/registration/analytics_store.h)
// on both engines: counts from several servers add up, rare queries stay out
// of reports, old days go, and nothing about the person is stored.
#include <gtest/gtest.h>

#include <algorithm>

#include "analytics_flusher.h"
#include "bp/registration/analytics_store.h"
#include "store_engines.h"

namespace bp::registration {
namespace {

using test::Engine;

std::int64_t g_now = 1795000000;  // Wednesday 2026-11-18 in Rome
std::int64_t fake_clock() { return g_now; }

class AnalyticsStoreTest : public ::testing::TestWithParam<Engine> {
 protected:
  void SetUp() override {
    BP_REQUIRE_ENGINE(loc_);
    store_ = open();
    ASSERT_TRUE(store_);
  }
  std::unique_ptr<Store> open() {
    auto s = loc_.open(test::label_composer());
    EXPECT_TRUE(s.ok()) << s.status().message();
    return s.ok() ? std::move(*s) : nullptr;
  }

  test::StoreLocation loc_{GetParam()};
  std::unique_ptr<Store> store_;
};

// Two server processes behind nginx on one database: each flushes its own
// tally through its own store, twice; the figures add up.
TEST_P(AnalyticsStoreTest, CountsFromTwoServersAndTwoFlushesAddUp) {
  auto second = open();
  ASSERT_TRUE(second);
  QueryTally a(100, fake_clock), b(100, fake_clock);
  AnalyticsFlusher fa(a, store_->analytics(), {}, fake_clock);
  AnalyticsFlusher fb(b, second->analytics(), {}, fake_clock);
  for (int round = 0; round < 2; ++round) {
    a.record_search("Orti sociali", 0, {{"theme", "agricoltura-sociale"}});
    a.record_search("orti sociali", 4);
    a.record_click("orti sociali", 1);
    b.record_search("orti  SOCIALI", 2, {{"theme", "agricoltura-sociale"}});
    b.record_click("orti sociali", 2);
    ASSERT_TRUE(fa.flush().is_ok());
    ASSERT_TRUE(fb.flush().is_ok());
  }
  auto r = store_->analytics().report("2026-11-16", "2026-11-22", 1);
  ASSERT_TRUE(r.ok()) << r.status().message();
  ASSERT_EQ(r->queries.size(), 1u);
  const QueryFigures& q = r->queries[0];
  EXPECT_EQ(q.query, "orti sociali");
  EXPECT_EQ(q.counts.searches, 6);
  EXPECT_EQ(q.counts.zero_results, 2);
  EXPECT_EQ(q.counts.few_results, 2);
  EXPECT_EQ(q.counts.clicks, 4);
  EXPECT_EQ(q.days, 1);
  EXPECT_EQ(r->positions.at(1), 2);
  EXPECT_EQ(r->positions.at(2), 2);
  EXPECT_EQ(r->filters.at({"theme", "agricoltura-sociale"}), 4);
  EXPECT_EQ(r->searches, 6);
}

TEST_P(AnalyticsStoreTest, RareQueriesStayOutOfReports) {
  QueryTally t(100, fake_clock);
  for (int i = 0; i < 3; ++i) t.record_search("energia", 5);
  t.record_search("via roma 12 di mario", 0);
  t.record_search("via roma 12 di mario", 0);
  ASSERT_TRUE(store_->analytics().add(t.drain()).is_ok());
  auto r = store_->analytics().report("2026-11-16", "2026-11-22", 3);
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r->queries.size(), 1u);
  EXPECT_EQ(r->queries[0].query, "energia");
  EXPECT_EQ(r->rare_queries, 1);
  EXPECT_EQ(r->searches, 5) << "rare queries still count in the totals";
  EXPECT_EQ(r->zero_results, 2);
}

TEST_P(AnalyticsStoreTest, RetentionDeletesTheOldDays) {
  QueryTally t(100, fake_clock);
  g_now = 1795000000 - 400 * 86400;  // October 2025: older than 13 months
  t.record_search("vecchia", 1);
  t.record_click("vecchia", 1);
  g_now = 1795000000 - 380 * 86400;  // early November 2025: kept
  t.record_search("recente", 1);
  g_now = 1795000000;
  ASSERT_TRUE(store_->analytics().add(t.drain()).is_ok());
  QueryTally live(100, fake_clock);
  AnalyticsFlusher flusher(live, store_->analytics(), {}, fake_clock);
  auto removed = flusher.forget_old_days();
  ASSERT_TRUE(removed.ok()) << removed.status().message();
  EXPECT_EQ(*removed, 2);
  auto r = store_->analytics().report("2025-01-01", "2026-12-31", 1);
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r->queries.size(), 1u);
  EXPECT_EQ(r->queries[0].query, "recente");
  EXPECT_TRUE(r->positions.empty());
}

// The tables hold the day, the query and numbers: no column for an
// address, a user agent, a cookie or a time of day, and the query is stored
// as normalised (never as typed).
TEST_P(AnalyticsStoreTest, NothingPersonalIsStored) {
  QueryTally t(100, fake_clock);
  t.record_search("  Città Sostenibili ", 3, {{"hub", "sud"}});
  t.record_search("scrivimi a anna@example.org", 0);
  t.record_click("città sostenibili", 1);
  ASSERT_TRUE(store_->analytics().add(t.drain()).is_ok());
  EXPECT_EQ(loc_.columns("search_queries"),
            (std::vector<std::string>{"day", "query", "searches", "zero_results", "few_results", "clicks"}));
  EXPECT_EQ(loc_.columns("search_positions"), (std::vector<std::string>{"day", "position", "clicks"}));
  EXPECT_EQ(loc_.columns("search_filters"), (std::vector<std::string>{"day", "facet", "value", "searches"}));
  EXPECT_EQ(loc_.query("SELECT query FROM search_queries"), std::vector<std::string>{"citta sostenibili"});
  EXPECT_EQ(loc_.query("SELECT day FROM search_queries"), std::vector<std::string>{"2026-11-18"});
}

TEST(RetentionStart, IsTheSameDayMonthsEarlier) {
  EXPECT_EQ(retention_start("2026-11-18", 13), "2025-10-18");
  EXPECT_EQ(retention_start("2026-03-31", 1), "2026-02-31");  // sorts after every February day
  EXPECT_EQ(retention_start("2026-01-05", 1), "2025-12-05");
  EXPECT_EQ(retention_start("2026-01-05", 25), "2023-12-05");
}

INSTANTIATE_TEST_SUITE_P(Engines, AnalyticsStoreTest, ::testing::Values(Engine::kSqlite, Engine::kPostgresql),
                         test::engine_name);

}  // namespace
}  // namespace bp::registration
