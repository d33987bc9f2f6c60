// The cache of frequent terms' postings: one budget for sets and wdfs, a
// term held once, and the same answers from a cache too small to hold the
// query's terms as from one that holds them all.
#include "search_term_sets.h"

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "search_match_set.h"
#include "search_ranking.h"
#include "search_weights.h"
#include "temp_dir.h"

namespace bp::search {
namespace {

using Q = Xapian::Query;

class TermCacheTest : public ::testing::Test {
 protected:
  void SetUp() override {
    db_ = Xapian::WritableDatabase(std::string(), Xapian::DB_BACKEND_INMEMORY);
    // Document i (1-based) holds "w<k>" for each k dividing i, with a wdf
    // of 1 + (i / k) % 4.
    for (int i = 1; i <= 1000; ++i) {
      Xapian::Document doc;
      for (int k = 1; k <= 9; ++k)
        if (i % k == 0) doc.add_term("w" + std::to_string(k), static_cast<Xapian::termcount>(1 + (i / k) % 4));
      db_.add_document(doc);
    }
    db_.delete_document(13);  // a hole in the ids
    db_.commit();
    last_ = db_.get_lastdocid();
  }

  // Every posting of `term` with its wdf (saturated at 255), read from Xapian.
  std::vector<std::pair<Xapian::docid, int>> postings(const std::string& term) const {
    std::vector<std::pair<Xapian::docid, int>> out;
    for (auto it = db_.postlist_begin(term); it != db_.postlist_end(term); ++it)
      out.emplace_back(*it, static_cast<int>(std::min<Xapian::termcount>(it.get_wdf(), 255)));
    return out;
  }

  std::shared_ptr<const TermWdfs> wdfs_of(const std::string& term) const {
    auto t = std::make_shared<TermWdfs>(TermWdfs{DocSet(last_), {}});
    for (const auto& [did, wdf] : postings(term)) {
      t->docs.add(did);
      t->wdf.push_back(static_cast<std::uint8_t>(wdf));
    }
    return t;
  }

  std::shared_ptr<const DocSet> set_of(const std::string& term) const {
    auto s = std::make_shared<DocSet>(last_);
    for (const auto& [did, wdf] : postings(term)) s->add(did);
    return s;
  }

  static std::vector<Xapian::docid> ids(const DocSet& s) {
    std::vector<Xapian::docid> out;
    s.for_each([&](Xapian::docid d) { out.push_back(d); });
    return out;
  }

  Xapian::WritableDatabase db_;
  Xapian::docid last_ = 0;
};

TEST_F(TermCacheTest, WdfsWithinAScopeAreThoseOfThePostings) {
  const std::shared_ptr<const TermWdfs> w2 = wdfs_of("w2");
  DocSet scope(last_);
  for (Xapian::docid d = 1; d <= last_; d += 3) scope.add(d);  // crosses words, leaves gaps
  std::vector<std::pair<Xapian::docid, int>> expected;
  for (const auto& [did, wdf] : postings("w2"))
    if (scope.contains(did)) expected.emplace_back(did, wdf);
  std::vector<std::pair<Xapian::docid, int>> found;
  w2->for_each_in(scope, [&](Xapian::docid did, std::uint8_t wdf) { found.emplace_back(did, wdf); });
  EXPECT_EQ(found, expected);
  ASSERT_FALSE(found.empty());
}

TEST_F(TermCacheTest, ATermWithItsWdfsIsKeptOnceAndAnswersForItsSet) {
  TermCache cache(1u << 20);
  cache.keep_set("w2", set_of("w2"));
  const std::size_t set_bytes = cache.bytes();
  EXPECT_EQ(set_bytes, cached_bytes(*set_of("w2")));
  EXPECT_EQ(cache.find_wdfs("w2"), nullptr) << "only its set was kept";

  const std::shared_ptr<const TermWdfs> w2 = wdfs_of("w2");
  cache.keep_wdfs("w2", w2);
  EXPECT_EQ(cache.bytes(), cached_bytes(*w2)) << "the set alone is replaced, not kept beside the wdfs";
  EXPECT_EQ(cache.find_wdfs("w2"), w2);
  const std::shared_ptr<const DocSet> set = cache.find_set("w2");
  ASSERT_NE(set, nullptr);
  EXPECT_EQ(ids(*set), ids(*set_of("w2")));

  cache.keep_set("w2", set_of("w2"));  // the counting pass after the ranking
  EXPECT_EQ(cache.find_wdfs("w2"), w2) << "a set does not replace the wdfs";
  EXPECT_EQ(cache.bytes(), cached_bytes(*w2));
}

TEST_F(TermCacheTest, NeverHoldsMoreThanItsBudget) {
  // Room for about three of these entries.
  const std::size_t budget = 3 * cached_bytes(*wdfs_of("w1")) + 10;
  TermCache cache(budget);
  const std::vector<std::string> terms = {"w1", "w2", "w3", "w4", "w5", "w6", "w7", "w8", "w9"};
  for (int round = 0; round < 3; ++round)
    for (std::size_t i = 0; i < terms.size(); ++i) {
      if ((i + round) % 2 == 0) cache.keep_wdfs(terms[i], wdfs_of(terms[i]));
      else cache.keep_set(terms[i], set_of(terms[i]));
      EXPECT_LE(cache.bytes(), budget) << terms[i];
      EXPECT_NE(cache.find_set(terms[i]), nullptr) << "the term just kept is there: " << terms[i];
    }
  EXPECT_GT(cache.bytes(), 0u);

  // Room for two: the least recently used goes first.
  TermCache two(cached_bytes(*wdfs_of("w1")) + cached_bytes(*wdfs_of("w2")));
  two.keep_wdfs("w1", wdfs_of("w1"));
  two.keep_wdfs("w2", wdfs_of("w2"));
  two.keep_wdfs("w3", wdfs_of("w3"));
  EXPECT_EQ(two.find_set("w1"), nullptr);
  EXPECT_NE(two.find_wdfs("w2"), nullptr);
  EXPECT_NE(two.find_wdfs("w3"), nullptr);
}

TEST_F(TermCacheTest, ATooSmallCacheGivesTheSameAnswers) {
  const std::vector<Q> parts = {Q(Q::OP_AND, Q("w2"), Q("w7")), Q("w9"), Q("w4")};
  const std::vector<Q> queries = {
      Q(Q::OP_OR, Q("w2"), Q("w3")),
      Q(Q::OP_AND, Q("w2"), Q(Q::OP_SYNONYM, Q("w3"), Q("w5"))),
      Q(Q::OP_SYNONYM, parts.begin(), parts.end()),
      Q(Q::OP_OR, Q("w1"), Q(Q::OP_AND, Q("w6"), Q("w4"))),
  };
  TermCache roomy(64u << 20);
  TermCache tiny(cached_bytes(DocSet(last_)) + 8);  // one bitmap: every entry with wdfs is refused
  TermCache none(0);
  const std::shared_ptr<const DocLengths> lengths = DocLengths::of(db_);
  for (const Q& q : queries) {
    const DocSet reference = match_set(db_, q, last_);
    for (const TermCache* cache : {&roomy, &tiny, &none}) {
      for (int twice = 0; twice < 2; ++twice) {  // filling the cache, then from it
        const DocSet found = match_set(db_, q, last_, cache);
        EXPECT_EQ(ids(found), ids(reference)) << q.get_description();
        const auto exact = query_weights(db_, q, reference, *cache, *lengths, WeightMode::kExact);
        const auto expected = query_weights(db_, q, reference, none, *lengths, WeightMode::kExact);
        ASSERT_TRUE(exact && expected) << q.get_description();
        EXPECT_EQ(exact->weight, expected->weight) << q.get_description();
        EXPECT_LE(cache->bytes(), cache->max_bytes());
      }
    }
  }
  EXPECT_GT(roomy.bytes(), tiny.bytes());
  EXPECT_NE(roomy.find_wdfs("w2"), nullptr);
}

TEST(TermCacheFrequencies, FollowTheRevisionOfTheDatabase) {
  bp::test_util::TempDir tmp("bp-term-cache-test");
  const std::string path = (tmp.path() / "db").string();
  Xapian::WritableDatabase writer(path, Xapian::DB_CREATE_OR_OPEN);
  auto add = [&](int n) {
    for (int i = 0; i < n; ++i) {
      Xapian::Document doc;
      doc.add_term("word");
      writer.add_document(doc);
    }
    writer.commit();
  };
  add(2);
  Xapian::Database reader(path);
  const std::shared_ptr<const TermCache> first = TermCache::of(reader);
  EXPECT_EQ(first->termfreq(reader, "word"), 2u);
  EXPECT_EQ(first->termfreq(reader, "word"), 2u);  // remembered
  EXPECT_EQ(first->termfreq(reader, "absent"), 0u);
  add(3);
  ASSERT_TRUE(reader.reopen());
  // The cache of the old revision asks the database again...
  EXPECT_EQ(first->termfreq(reader, "word"), 5u);
  // ...and the new revision has a cache of its own.
  const std::shared_ptr<const TermCache> second = TermCache::of(reader);
  EXPECT_NE(first.get(), second.get());
  EXPECT_EQ(second->termfreq(reader, "word"), 5u);
  EXPECT_EQ(second->termfreq(reader, "word"), 5u);
  EXPECT_EQ(termfreq(reader, nullptr, "word"), 5u);
}

}  // namespace
}  // namespace bp::search
