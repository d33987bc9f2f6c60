#include "analyzer.h"

#include <gtest/gtest.h>

#include <set>
#include <string>

namespace bp {
namespace {

std::set<std::string> terms_of(const std::string& text, const std::string& prefix = "") {
  Analyzer analyzer;
  Xapian::Document doc;
  analyzer.set_document(doc);
  analyzer.index_text(text, 1, prefix);
  analyzer.release_document();
  return {doc.termlist_begin(), doc.termlist_end()};
}

TEST(Analyzer, PluralAndSingularShareTheStemmedTerm) {
  Analyzer a;
  EXPECT_EQ(a.stem_term("riparazione"), a.stem_term("riparazioni"));
  EXPECT_EQ(a.stem_term("Riparazioni")[0], 'Z');
  EXPECT_EQ(a.stem_term("comunità"), a.stem_term("comunita"));
}

TEST(Analyzer, QueryWordsGiveTheTermsTheIndexerMade) {
  Analyzer a;
  for (const std::string word : {"Città", "proprietà", "RIPARAZIONI", "biciclette", "energetiche"}) {
    const auto terms = terms_of(word);
    const Analyzer::WordTerms w = a.terms_for(word);
    EXPECT_TRUE(terms.count(w.plain)) << word;
    EXPECT_TRUE(terms.count(w.stemmed)) << word;
  }
  EXPECT_EQ(a.terms_for("Città").plain, "citta");
}

TEST(Analyzer, StopwordsHaveNoStemmedTerm) {
  Analyzer a;
  EXPECT_EQ(a.terms_for("della").plain, "della");
  EXPECT_EQ(a.terms_for("della").stemmed, "");
  EXPECT_EQ(a.terms_for("2022").stemmed, "");
  const auto terms = terms_of("la casa della città");
  EXPECT_TRUE(terms.count("della"));  // kept for phrases
  EXPECT_FALSE(terms.count("Zdell"));
  EXPECT_FALSE(terms.count("Zdella"));
}

TEST(Analyzer, SplitsElisionsAndFoldsAccents) {
  const auto terms = terms_of("Tutela dell'ambiente, l’agricoltura e un'associazione perché sì");
  EXPECT_TRUE(terms.count("ambiente"));
  EXPECT_TRUE(terms.count("agricoltura"));
  EXPECT_TRUE(terms.count("associazione"));
  EXPECT_TRUE(terms.count("perche"));
  EXPECT_FALSE(terms.count("dell'ambiente"));
  EXPECT_FALSE(terms.count("perché"));
}

TEST(Analyzer, PrefixedFieldGetsPrefixedTerms) {
  Analyzer a;
  const auto terms = terms_of("Riparazioni", "S");
  EXPECT_TRUE(terms.count("Sriparazioni"));
  EXPECT_TRUE(terms.count("ZS" + a.stem_term("riparazioni").substr(1)));
}

TEST(Analyzer, CachingStemmerMatchesSnowball) {
  Xapian::Stem cached = make_caching_italian_stemmer(4);  // tiny: exercises eviction
  Xapian::Stem plain("italian");
  for (int round = 0; round < 2; ++round)
    for (const std::string w : {"riparazione", "riparazioni", "comunita", "energetiche", "giovani",
                                "ragazzi", "cooperativa", "cooperative"})
      EXPECT_EQ(cached(w), plain(w)) << w;
}

}  // namespace
}  // namespace bp
