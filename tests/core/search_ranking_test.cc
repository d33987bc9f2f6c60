// The two-stage ranking of broad queries: its bounds are never below
// Xapian's weights, and its page is Xapian's page (same documents, same
// order, ties included, same weights).
#include "search_ranking.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "search_match_set.h"
#include "search_query.h"

namespace bp::search {
namespace {

using Q = Xapian::Query;

class RankingTest : public ::testing::Test {
 protected:
  void SetUp() override {
    db_ = Xapian::WritableDatabase(std::string(), Xapian::DB_BACKEND_INMEMORY);
    // 3,600 documents; "con…" words in most of them with wdfs and lengths
    // from a few small cycles, so that many documents tie; "theme" on every
    // 7th; "rare" on every 97th; a few with a wdf past 255.
    const std::vector<std::string> words = {"con",      "contesto", "contratto", "consiglio", "condiviso",
                                            "conto",    "contatto", "consumo",   "convegno"};
    for (int i = 1; i <= 3600; ++i) {
      Xapian::Document doc;
      for (std::size_t k = 0; k < words.size(); ++k) {
        const int wdf = static_cast<int>((i * (k + 3)) % (k + 4));
        if (wdf > 0) doc.add_term(words[k], static_cast<Xapian::termcount>(wdf));
      }
      doc.add_term("filler", static_cast<Xapian::termcount>(1 + i % 5 * 40));
      if (i % 7 == 0) doc.add_term("theme", 0);
      if (i % 4 == 0) doc.add_term("ZXPLAINcon", 0);  // a plain-words term (wdf 0)
      if (i % 97 == 0) doc.add_term("rare", 2);
      if (i % 3 == 0) doc.add_term("econom", 1 + i % 4);
      if (i % 5 == 0) doc.add_term("solidal", 1 + i % 3);
      if (i % 1000 == 0) doc.add_term("contesto", 300);
      if (i % 250 == 4) doc.add_term("bulk", 200);
      doc.add_term("hub" + std::to_string(i % 3), 0);
      db_.add_document(doc);
    }
    db_.delete_document(11);  // a hole in the ids
    db_.commit();
  }

  std::vector<Q> broad_queries() const {
    const std::vector<std::string> completions = {"con",   "contesto", "contratto", "consiglio", "condiviso",
                                                  "conto", "contatto", "consumo",   "convegno"};
    const Q prefix(Q::OP_SYNONYM, completions.begin(), completions.end());
    const Q theme_bonus(Q::OP_AND, Q(Q::OP_SCALE_WEIGHT, Q("theme"), 0.0),
                        Q((new Xapian::FixedWeightPostingSource(1.0))->release()));
    // A word's clause in the relaxed query when the editors' plain words
    // have it (search_query.h, Clause::plain): a fixed weight there (the
    // term's idf), scaled by kPlainWordsWeight.
    const Q plain_words(Q::OP_OR, Q("con"),
                        Q(Q::OP_SCALE_WEIGHT,
                          Q(Q::OP_AND, Q(Q::OP_SCALE_WEIGHT, Q("ZXPLAINcon"), 0.0),
                            Q((new Xapian::FixedWeightPostingSource(0.69))->release())),
                          0.7));
    const std::vector<Q> synonyms = {Q(Q::OP_AND, Q("econom"), Q("solidal")), Q("rare"), Q("contatto"),
                                     Q("consumo"), Q("convegno"), Q(Q::OP_AND, Q("contratto"), Q("consiglio")),
                                     Q("condiviso")};
    const Q expansions(Q::OP_SYNONYM, synonyms.begin(), synonyms.end());
    return {
        prefix,
        Q(Q::OP_OR, Q("con"), prefix),
        Q(Q::OP_OR, Q(Q::OP_OR, Q(Q::OP_AND, Q("contesto"), Q("conto")), theme_bonus),
          Q(Q::OP_SCALE_WEIGHT, expansions, 0.5)),
        Q(Q::OP_AND, Q(Q::OP_OR, Q("consiglio"), Q(Q::OP_SCALE_WEIGHT, Q("econom"), 0.5)), prefix),
        Q(Q::OP_FILTER, Q(Q::OP_OR, Q("con"), prefix), Q(Q::OP_OR, Q("hub0"), Q("hub1"))),
        Q(Q::OP_OR, prefix, Q(Q::OP_WILDCARD, "condiv", 40, Q::WILDCARD_LIMIT_MOST_FREQUENT)),
        Q(Q::OP_OR, Q(Q::OP_OR, Q("contesto"), Q("contesto")), Q("conto")),
        Q(Q::OP_AND_NOT, prefix, Q("rare")),
        Q(Q::OP_OR, plain_words, prefix),
    };
  }

  Xapian::MSet xapian(const Q& q, Xapian::doccount first, Xapian::doccount count) {
    Xapian::Enquire e(db_);
    e.set_weighting_scheme(bm25_weight());
    e.set_query(q);
    return e.get_mset(first, count);
  }

  DocSet matches(const Q& q) { return match_set(db_, q, db_.get_lastdocid()); }

  Xapian::WritableDatabase db_;
};

TEST_F(RankingTest, BoundsAreNeverBelowXapiansWeights) {
  TwoStageRanking ranking;
  for (const Q& q : broad_queries()) {
    const DocSet docs = matches(q);
    const auto bound = ranking.bounds(db_, q, docs);
    ASSERT_TRUE(bound.has_value()) << q.get_description();
    const Xapian::MSet all = xapian(q, 0, db_.get_doccount());
    ASSERT_EQ(all.size(), docs.count()) << q.get_description();
    for (auto it = all.begin(); it != all.end(); ++it)
      ASSERT_GE((*bound)[*it], it.get_weight()) << "document " << *it << ", " << q.get_description();
  }
}

// The query shapes the searcher builds beyond the broad ones: narrow ANDs,
// a rare term, a theme's alternatives (a synonym of ANDs, its bonus), an
// AND_MAYBE, a filter and an exclusion under an OR, phrases that cannot
// match, a synonym matching nothing.
std::vector<Q> other_queries() {
  const std::vector<std::string> never_together = {"rare", "bulk"};
  const Q bonus(Q::OP_AND, Q(Q::OP_SCALE_WEIGHT, Q("theme"), 0.0),
                Q((new Xapian::FixedWeightPostingSource(1.0))->release()));
  const std::vector<Q> synonyms = {Q(Q::OP_AND, Q("econom"), Q("solidal")), Q("convegno"),
                                   Q(Q::OP_AND, Q("contratto"), Q("consiglio"))};
  return {
      Q(Q::OP_AND, Q("con"), Q(Q::OP_OR, Q("contesto"), Q("conto"))),
      Q("rare"),
      Q(Q::OP_OR, Q(Q::OP_OR, Q(Q::OP_AND, Q("consumo"), Q("conto")), bonus),
        Q(Q::OP_SCALE_WEIGHT, Q(Q::OP_SYNONYM, synonyms.begin(), synonyms.end()), 0.5)),
      Q(Q::OP_AND_MAYBE, Q("solidal"), Q("contatto")),
      Q(Q::OP_OR, Q(Q::OP_FILTER, Q("econom"), Q("hub1")), Q(Q::OP_AND_NOT, Q("rare"), Q("hub0"))),
      Q(Q::OP_AND, Q("econom"), Q(Q::OP_WILDCARD, "solid", 40, Q::WILDCARD_LIMIT_MOST_FREQUENT)),
      // Phrases whose words are never together ("rare" and "bulk"), under a
      // synonym (an acronym's English expansion) and alone.
      Q(Q::OP_OR, Q("consumo"),
        Q(Q::OP_SYNONYM, Q("convegno"), Q(Q::OP_PHRASE, never_together.begin(), never_together.end(), 2))),
      Q(Q::OP_OR, Q("conto"), Q(Q::OP_PHRASE, never_together.begin(), never_together.end(), 2)),
      // An English synonym the library never uses.
      Q(Q::OP_AND, Q(Q::OP_OR, Q("consumo"), Q(Q::OP_SCALE_WEIGHT, Q(Q::OP_SYNONYM, Q("work"), Q("jobs")), 0.5)),
        Q("econom")),
  };
}

void expect_same_page(const std::vector<RankedDoc>& ours, const Xapian::MSet& theirs, Xapian::doccount first,
                      const Q& q) {
  ASSERT_EQ(ours.size(), theirs.size()) << q.get_description();
  for (Xapian::doccount i = 0; i < theirs.size(); ++i) {
    EXPECT_EQ(ours[i].did, *theirs[i]) << "rank " << first + i << ", " << q.get_description();
    EXPECT_NEAR(ours[i].weight, theirs[i].get_weight(), 1e-9 * theirs[i].get_weight()) << "rank " << first + i;
  }
}

TEST_F(RankingTest, PageIsXapiansPage) {
  TwoStageRanking ranking;
  std::vector<Q> queries = broad_queries();
  for (const Q& q : other_queries()) queries.push_back(q);
  for (const Q& q : queries) {
    const DocSet docs = matches(q);
    for (const auto& [first, count] : std::vector<std::pair<Xapian::doccount, Xapian::doccount>>{{0, 10}, {20, 10}, {0, 100}}) {
      if (first >= docs.count()) continue;
      const std::optional<std::vector<RankedDoc>> ours = ranking.page(db_, q, docs, first, count);
      ASSERT_TRUE(ours.has_value()) << q.get_description();
      expect_same_page(*ours, xapian(q, first, count), first, q);
    }
  }
}

// S(d) is Xapian's weight up to rounding, for every match of every shape
// the exact scores model: all of the above, except where a wdf past 255
// (kept as 255) leaves it unknown ("contesto" 300 times in a few
// documents): those queries go to the bounds.
TEST_F(RankingTest, ExactScoresAreXapiansWeights) {
  TwoStageRanking ranking;
  std::vector<std::pair<Q, bool>> queries;
  for (const Q& q : broad_queries()) queries.emplace_back(q, false);
  for (const Q& q : other_queries()) queries.emplace_back(q, true);
  // A prefix's completions and a repeated term, without "contesto".
  const std::vector<std::string> completions = {"con", "contratto", "consiglio", "conto", "convegno"};
  queries.emplace_back(Q(Q::OP_SYNONYM, completions.begin(), completions.end()), true);
  queries.emplace_back(Q(Q::OP_OR, Q(Q::OP_OR, Q("conto"), Q("conto")), Q("con")), true);
  // Scale factors that are not round (read back from Xapian's description).
  queries.emplace_back(Q(Q::OP_OR, Q(Q::OP_SCALE_WEIGHT, Q("consumo"), 0.3), Q(Q::OP_SCALE_WEIGHT, Q("conto"), 1.0 / 3)),
                       true);
  // A synonym whose summed wdf passes 255 ("filler" up to 161, "bulk" 200).
  queries.emplace_back(Q(Q::OP_SYNONYM, Q("filler"), Q("bulk")), true);
  int modelled = 0;
  for (const auto& [q, must] : queries) {
    const DocSet docs = matches(q);
    const auto scores = ranking.exact_scores(db_, q, docs);
    if (!must && !scores) continue;
    ASSERT_TRUE(scores.has_value()) << q.get_description();
    ++modelled;
    const Xapian::MSet all = xapian(q, 0, db_.get_doccount());
    ASSERT_EQ(all.size(), docs.count()) << q.get_description();
    for (auto it = all.begin(); it != all.end(); ++it)
      ASSERT_NEAR((*scores)[*it], it.get_weight(), 1e-9 * it.get_weight())
          << "document " << *it << ", " << q.get_description();
  }
  EXPECT_GE(modelled, 12);
}

// The searcher's saturation (exact scores where a clause is modelled) gives
// the same order and weights as the reference, one Xapian match per clause,
// for every shape of clause above as one clause of a relaxed query, the
// window being the first 30 of their OR.
TEST_F(RankingTest, SaturatedIsXapiansSaturation) {
  TwoStageRanking ranking;
  std::vector<Q> clauses = broad_queries();
  for (const Q& q : other_queries()) clauses.push_back(q);
  for (std::size_t i = 0; i + 2 < clauses.size(); ++i) {
    const std::vector<Q> three(clauses.begin() + static_cast<long>(i), clauses.begin() + static_cast<long>(i) + 3);
    const Q relaxed(Q::OP_OR, three.begin(), three.end());
    std::vector<RankedDoc> window;
    const Xapian::MSet first = xapian(relaxed, 0, 30);
    for (auto it = first.begin(); it != first.end(); ++it) window.push_back({*it, it.get_weight()});
    const std::vector<RankedDoc> reference = saturate_clauses(db_, window, three);
    const std::vector<RankedDoc> ours = ranking.saturated(db_, window, three);
    ASSERT_EQ(ours.size(), reference.size()) << relaxed.get_description();
    for (std::size_t k = 0; k < ours.size(); ++k) {
      EXPECT_EQ(ours[k].did, reference[k].did) << k << ", " << relaxed.get_description();
      EXPECT_NEAR(ours[k].weight, reference[k].weight, 1e-9 * reference[k].weight);
    }
  }
}

// A phrase whose words are together somewhere needs positions to weigh.
TEST_F(RankingTest, LeavesPhrasesToXapian) {
  TwoStageRanking ranking;
  const std::vector<std::string> words = {"econom", "solidal"};
  const Q phrase(Q::OP_OR, Q("con"), Q(Q::OP_PHRASE, words.begin(), words.end(), 2));
  EXPECT_FALSE(ranking.exact_scores(db_, phrase, matches(phrase)).has_value());
  EXPECT_FALSE(ranking.page(db_, phrase, matches(phrase), 0, 10).has_value());
}

// Dots that are no acronym stay: one letter alone, numbers.
TEST(JoinDottedAcronyms, OnlyTwoOrMoreSingleLettersEachWithItsDot) {
  EXPECT_EQ(join_dotted_acronyms("C.E.R."), "CER");
  EXPECT_EQ(join_dotted_acronyms("le a.p.s di Torino"), "le aps di Torino");
  EXPECT_EQ(join_dotted_acronyms("S.p.A. e O.D.V."), "SpA e ODV");
  EXPECT_EQ(join_dotted_acronyms("p. es. 3.5 km"), "p. es. 3.5 km");
  EXPECT_EQ(join_dotted_acronyms("orti.sociali"), "orti.sociali");
  EXPECT_EQ(join_dotted_acronyms("città.C.E.R."), "città.CER");  // a dot separates words
}

}  // namespace
}  // namespace bp::search
