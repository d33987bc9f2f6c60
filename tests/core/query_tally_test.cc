// What people search, counted in memory (bp/query_tally.h): queries as the
// search folds them, personal data never kept, figures per day.
#include "bp/query_tally.h"

#include <gtest/gtest.h>

#include <thread>

namespace bp {
namespace {

std::int64_t g_now = 1795000000;  // 2026-11-18, mid-morning in Rome
std::int64_t fake_clock() { return g_now; }

TEST(NormaliseQuery, FoldsTrimsAndCollapsesAsTheSearchDoes) {
  EXPECT_EQ(normalise_query("  Città   Sostenibili\t"), "citta sostenibili");
  EXPECT_EQ(normalise_query("PERCHÉ"), "perche");
  EXPECT_EQ(normalise_query("dell'ambiente"), "dell ambiente");
  EXPECT_EQ(normalise_query("come si fa un orto?"), "come si fa un orto");
  EXPECT_EQ(normalise_query("\"orti sociali\""), "orti sociali");
  EXPECT_EQ(normalise_query("   "), "");
}

TEST(NormaliseQuery, CutsLongQueriesAtACharacterBoundary) {
  std::string long_query;
  for (int i = 0; i < 60; ++i) long_query += "è";  // two bytes each, folded to one
  EXPECT_EQ(normalise_query(long_query).size(), 60u);
  std::string accents;
  for (int i = 0; i < 80; ++i) accents += "ø";  // two bytes each, kept
  const std::string cut = normalise_query(accents);
  EXPECT_LE(cut.size(), kMaxTalliedQueryBytes);
  EXPECT_EQ(cut.size() % 2, 0u) << "a UTF-8 sequence was split";
}

TEST(NormaliseQuery, NeverKeepsEmailAddressesOrPhoneNumbers) {
  EXPECT_EQ(normalise_query("mario.rossi@example.org"), "");
  EXPECT_EQ(normalise_query("chiamare 333 1234567"), "");
  EXPECT_EQ(normalise_query("+39 06 1234 5678"), "");
  EXPECT_EQ(normalise_query("agenda 2030"), "agenda 2030");
}

TEST(QueryTally, CountsSearchesWithNoAndFewResultsPerDay) {
  QueryTally tally(100, fake_clock);
  tally.record_search("Orti  Sociali", 0);
  tally.record_search("orti sociali", 2);
  tally.record_search("orti sociali", 12, {{"hub", "sud"}, {"theme", "agricoltura-sociale"}, {"region", "puglia"}});
  tally.record_click("orti sociali", 3);
  tally.record_click("orti sociali", 77);
  const TallyBatch b = tally.drain();
  ASSERT_EQ(b.queries.size(), 1u);
  const auto& [key, c] = *b.queries.begin();
  EXPECT_EQ(key.first, "2026-11-18");
  EXPECT_EQ(key.second, "orti sociali");
  EXPECT_EQ(c.searches, 3);
  EXPECT_EQ(c.zero_results, 1);
  EXPECT_EQ(c.few_results, 1);
  EXPECT_EQ(c.clicks, 2);
  EXPECT_EQ(b.positions.at({"2026-11-18", 3}), 1);
  EXPECT_EQ(b.positions.at({"2026-11-18", kMaxTalliedPosition}), 1);
  EXPECT_EQ(b.filters.size(), 2u) << "only hub and theme are kept";
  EXPECT_TRUE(tally.drain().empty());
}

TEST(QueryTally, SplitsTheDaysAtRomeMidnight) {
  QueryTally tally(100, fake_clock);
  g_now = 1795042800 - 61;  // 2026-11-18 23:58:59 in Rome (UTC+1)
  tally.record_search("energia", 4);
  g_now = 1795042800 + 5;   // 2026-11-19 00:00:05 in Rome
  tally.record_search("energia", 4);
  const TallyBatch b = tally.drain();
  EXPECT_EQ(b.queries.count({"2026-11-18", "energia"}), 1u);
  EXPECT_EQ(b.queries.count({"2026-11-19", "energia"}), 1u);
  g_now = 1795000000;
}

TEST(QueryTally, RestoredBatchesAddToNewCounts) {
  QueryTally tally(100, fake_clock);
  tally.record_search("gas", 5);
  const TallyBatch failed = tally.drain();
  tally.record_search("gas", 5);
  tally.restore(failed);
  EXPECT_EQ(tally.drain().queries.at({"2026-11-18", "gas"}).searches, 2);
}

TEST(QueryTally, HoldsAtMostMaxKeysQueries) {
  QueryTally tally(3, fake_clock);
  for (int i = 0; i < 10; ++i) tally.record_search("parola" + std::string(1, static_cast<char>('a' + i)), 1);
  tally.record_search("parolaa", 1);  // already held: still counted
  const TallyBatch b = tally.drain();
  EXPECT_EQ(b.queries.size(), 3u);
  EXPECT_EQ(b.queries.at({"2026-11-18", "parolaa"}).searches, 2);
}

TEST(QueryTally, ManyThreadsLoseNoCount) {
  QueryTally tally(100, fake_clock);
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([&] {
      for (int i = 0; i < 500; ++i) tally.record_search("riuso", 7);
    });
  for (auto& t : threads) t.join();
  EXPECT_EQ(tally.drain().queries.at({"2026-11-18", "riuso"}).searches, 2000);
}

}  // namespace
}  // namespace bp
