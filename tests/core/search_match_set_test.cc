// The counting pass: the bitmap evaluation of a query matches exactly what
// Xapian's matcher matches, and the facet counts are the disjunctive ones.
#include "search_match_set.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "schema.h"
#include "search_facets.h"

namespace bp::search {
namespace {

using Q = Xapian::Query;

class MatchSetTest : public ::testing::Test {
 protected:
  void SetUp() override {
    db_ = Xapian::WritableDatabase(std::string(), Xapian::DB_BACKEND_INMEMORY);
    // Document i (1-based) holds "w<k>" for each k dividing i, "all", and
    // the phrase "economia circolare" when i is a multiple of 3 (the words
    // apart when i is a multiple of 5); hub by i mod 3, themes by i mod 4.
    for (int i = 1; i <= 200; ++i) {
      Xapian::Document doc;
      Xapian::termpos pos = 1;
      doc.add_posting("all", pos++);
      for (int k = 1; k <= 12; ++k)
        if (i % k == 0) doc.add_posting("w" + std::to_string(k), pos++);
      if (i % 3 == 0) {
        doc.add_posting("economia", pos++);
        doc.add_posting("circolare", pos++);
      }
      if (i % 5 == 0) {
        doc.add_posting("circolare", pos++);
        doc.add_posting("filler", pos++);
        doc.add_posting("economia", pos++);
      }
      const std::string hub = i % 3 == 0 ? "nord" : i % 3 == 1 ? "centro" : "sud";
      doc.add_value(schema::kSlotHub, hub);
      doc.add_boolean_term(std::string(schema::kHubPrefix) + hub);
      std::string themes = i % 4 == 0 ? "acqua" : "terra";
      // A repeated value counts once.
      if (i % 2 == 0) themes += std::string(1, schema::kFacetSeparator) + "fuoco" + schema::kFacetSeparator + "fuoco";
      doc.add_value(schema::kSlotTheme, themes);
      doc.add_value(schema::kSlotYear, Xapian::sortable_serialise(2000 + i % 10));
      db_.add_document(doc);
    }
    db_.delete_document(7);  // a hole in the ids
    db_.commit();
  }

  // What Xapian's matcher finds.
  std::vector<Xapian::docid> xapian(const Q& q) {
    Xapian::Enquire e(db_);
    e.set_query(q);
    e.set_weighting_scheme(Xapian::BoolWeight());
    std::vector<Xapian::docid> out;
    const Xapian::MSet m = e.get_mset(0, db_.get_doccount());
    for (auto it = m.begin(); it != m.end(); ++it) out.push_back(*it);
    std::sort(out.begin(), out.end());
    return out;
  }
  std::vector<Xapian::docid> ours(const Q& q, const TermCache* cache = nullptr) {
    std::vector<Xapian::docid> out;
    match_set(db_, q, db_.get_lastdocid(), cache).for_each([&](Xapian::docid d) { out.push_back(d); });
    return out;
  }

  Xapian::WritableDatabase db_;
};

TEST_F(MatchSetTest, MatchesWhatXapianMatches) {
  const std::vector<std::string> words = {"economia", "circolare"};
  const Q phrase(Q::OP_PHRASE, words.begin(), words.end(), 2);
  const std::vector<Q> queries = {
      Q("w2"),
      Q("absent"),
      Q(std::string()),
      Q(Q::OP_AND, Q("w2"), Q("w3")),
      Q(Q::OP_OR, Q("w5"), Q("w7")),
      Q(Q::OP_SYNONYM, Q("w5"), Q("w11")),
      Q(Q::OP_AND_NOT, Q("w2"), Q("w4")),
      Q(Q::OP_AND_MAYBE, Q("w3"), Q("w2")),
      Q(Q::OP_SCALE_WEIGHT, Q("w6"), 0.0),
      Q(Q::OP_FILTER, Q("all"), Q(std::string(schema::kHubPrefix) + "nord")),
      phrase,
      Q(Q::OP_OR, Q("w4"), phrase),
      Q(Q::OP_AND, Q("w2"), Q(Q::OP_OR, Q("w4"), phrase)),
      Q(Q::OP_AND_NOT, Q("all"), phrase),
      Q(Q::OP_AND, Q("w1"), Q(Q::OP_NEAR, Q("economia"), Q("circolare"))),
      Q(Q::OP_WILDCARD, "w1", 0, Q::WILDCARD_LIMIT_ERROR),
      // The searcher's wildcard of one term (and of none), and its theme
      // bonus: a FixedWeightPostingSource, alone and under an AND.
      Q(Q::OP_WILDCARD, "filler", 40, Q::WILDCARD_LIMIT_MOST_FREQUENT),
      Q(Q::OP_OR, Q("w7"), Q(Q::OP_WILDCARD, "absent", 40, Q::WILDCARD_LIMIT_MOST_FREQUENT)),
      Q((new Xapian::FixedWeightPostingSource(1.0))->release()),
      Q(Q::OP_OR, Q("w11"),
        Q(Q::OP_AND, Q(Q::OP_SCALE_WEIGHT, Q("w4"), 0.0), Q((new Xapian::FixedWeightPostingSource(1.0))->release()))),
      Q(Q::OP_FILTER, Q("w2"), Q(Q::OP_VALUE_RANGE, schema::kSlotYear, Xapian::sortable_serialise(2003),
                                 Xapian::sortable_serialise(2005))),
  };
  const auto cache = TermCache::of(db_);
  for (const Q& q : queries) {
    EXPECT_FALSE(xapian(q).empty() && q.get_description().find("absent") == std::string::npos)
        << "a query of the test should match something: " << q.get_description();
    EXPECT_EQ(ours(q), xapian(q)) << q.get_description();
    EXPECT_EQ(ours(q, cache.get()), xapian(q)) << "cached, " << q.get_description();
    EXPECT_EQ(ours(q, cache.get()), xapian(q)) << "from the cache, " << q.get_description();
  }
}

TEST_F(MatchSetTest, FacetCountsAreDisjunctive) {
  const auto cache = FacetCache::of(db_);
  const std::size_t hub = 0, theme = 2;
  ASSERT_EQ(schema::kFacets[hub].name, "hub");
  ASSERT_EQ(schema::kFacets[theme].name, "theme");
  const DocSet matches = match_set(db_, Q("w2"), cache->last_docid());  // the 100 even ids
  const FacetTally tally = count_facets(*cache, matches, {{hub, {"nord"}}, {theme, {"acqua"}}});
  // Even, multiple of 3 and of 4: multiples of 12.
  EXPECT_EQ(tally.total, 16u);
  // The hub's counts ignore the hub filter: even multiples of 4, by i mod 3.
  EXPECT_EQ(tally.facets.at("hub"), (std::map<std::string, std::uint64_t>{{"nord", 16}, {"centro", 17}, {"sud", 17}}));
  // The themes' counts ignore the theme filter: even multiples of 3; "fuoco"
  // once per document although the slot repeats it.
  EXPECT_EQ(tally.facets.at("theme"),
            (std::map<std::string, std::uint64_t>{{"acqua", 16}, {"terra", 17}, {"fuoco", 33}}));
  EXPECT_TRUE(tally.facets.at("region").empty());
}

}  // namespace
}  // namespace bp::search
