// Misspelled words on the starter library (library-content/): a word only
// the editors' everyday words use is a spelling too, and so is an Italian
// word only the taxonomy has; among equally close spellings the one the
// practices write next to the query's other words wins over the commonest.
#include <gtest/gtest.h>

#include "search_test_util.h"

namespace bp {
namespace {

using testing::slugs;

class SearchSpellingTest : public testing::StarterLibraryTest {};

// The energy communities' case files write "fotovoltaici"; "pannelli"
// is only in their plain words and questions, so a close spelling of it
// was no spelling at all: "panneli solari" was not corrected, and the
// Senegalese diaspora's solar pumps came first for "solari" alone.
TEST_F(SearchSpellingTest, AWordOnlyThePlainWordsHaveIsACorrection) {
  const auto r = query("panneli solari");
  const auto it = r.interpretation.corrected.find("panneli");
  ASSERT_NE(it, r.interpretation.corrected.end());
  EXPECT_EQ(it->second, "pannelli");
  ASSERT_GE(r.results.size(), 3u);
  const std::vector<std::string> found = slugs(r);
  const std::vector<std::string> first(found.begin(), found.begin() + 3);
  for (const char* slug : {"cer-solidale-ponte-san-giovanni-perugia", "comunita-energetica-solidale-pinerolese",
                           "cer-solidale-quartiere-stadio-lecce"})
    EXPECT_TRUE(testing::contains(first, slug)) << slug;
  EXPECT_FALSE(r.interpretation.relaxed);
}

// "solri" is one letter from "soli", "soldi" and "solari". The first two
// are commoner, and "soldi" is even in the same practices' plain words;
// "pannelli solari" is what they write. Before, "solri" became "soldi"
// and the query was relaxed, "pannelli" dropped.
TEST_F(SearchSpellingTest, TheSpellingThePracticesWriteNextToTheOtherWordWins) {
  const auto r = query("pannelli solri");
  const auto it = r.interpretation.corrected.find("solri");
  ASSERT_NE(it, r.interpretation.corrected.end());
  EXPECT_EQ(it->second, "solari");
  EXPECT_FALSE(r.interpretation.relaxed);
  ASSERT_FALSE(r.results.empty());
  EXPECT_EQ(slugs(r)[0], "cer-solidale-ponte-san-giovanni-perugia");
  ASSERT_TRUE(r.suggestion.has_value());
  EXPECT_EQ(*r.suggestion, "pannelli solari");
}

// "senzatetto" and "vecchietti" are only the taxonomy's (everyday words of
// two themes): no case file writes them, so their misspellings had no
// spelling and found nothing. The closest Italian word of the taxonomy's
// phrases is one, stated as a correction, searched as its concept.
TEST_F(SearchSpellingTest, AMisspelledWordOnlyTheTaxonomyHasIsCorrected) {
  for (const auto& [typed, meant] : {std::pair{"senzateto", "senzatetto"}, std::pair{"vechietti", "vecchietti"}}) {
    const auto r = query(typed);
    const auto it = r.interpretation.corrected.find(typed);
    ASSERT_NE(it, r.interpretation.corrected.end()) << typed;
    EXPECT_EQ(it->second, meant);
    EXPECT_EQ(slugs(r), slugs(query(meant))) << typed;
    EXPECT_FALSE(r.results.empty()) << typed;
  }
  // Not into an English word of the taxonomy: an English query's word
  // no dictionary knows is not a typo of one ("refuse", "reuse").
  for (const char* q : {"small loans banks refuse", "leave leftover food"})
    EXPECT_TRUE(query(q).interpretation.corrected.empty()) << q;
}

// "riciclaggio" and "pellegrinaggio" are in no case file nor the
// taxonomy, only in the thesaurus, whose meanings and family the library
// has ("riciclo", "pellegrini"): their misspellings found nothing. The
// closest thesaurus entry is their spelling, searched as if typed.
TEST_F(SearchSpellingTest, AMisspelledWordOnlyTheThesaurusHasIsCorrected) {
  for (const auto& [typed, meant] :
       {std::pair{"riciclagio", "riciclaggio"}, std::pair{"pellegrinagio", "pellegrinaggio"}}) {
    const auto r = query(typed);
    const auto it = r.interpretation.corrected.find(typed);
    ASSERT_NE(it, r.interpretation.corrected.end()) << typed;
    EXPECT_EQ(it->second, meant);
    EXPECT_FALSE(r.results.empty()) << typed;
    EXPECT_EQ(slugs(r), slugs(query(meant))) << typed;
  }
  EXPECT_EQ(slugs(query("pellegrinagio"))[0], "cammino-lento-valle-santa-rieti");
  // An English query's words are not misspelled Italian ones ("refuse"
  // is one letter from the thesaurus's "refuso", a misprint).
  EXPECT_FALSE(query("small loans for people the banks refuse").interpretation.corrected.count("refuse"));
  // Nothing close: nothing found, nothing said.
  const auto none = query("zzqxwvk");
  EXPECT_TRUE(none.results.empty());
  EXPECT_TRUE(none.interpretation.corrected.empty());
}

// The case files write "co-progettazione", indexed as "co" and
// "progettazione": typed as one word, it was corrected into "progettazione"
// (two letters fewer), any design at all. It is the two words next to each
// other, and said so.
TEST_F(SearchSpellingTest, AWordTypedWithoutTheLibrarysHyphenIsItsTwoWords) {
  const auto r = query("coprogettazione");
  const auto it = r.interpretation.corrected.find("coprogettazione");
  ASSERT_NE(it, r.interpretation.corrected.end());
  EXPECT_EQ(it->second, "co-progettazione");
  ASSERT_FALSE(r.results.empty());
  EXPECT_EQ(slugs(r)[0], slugs(query("co-progettazione"))[0]);
  // A word the library has is never split ("cooperativa" is not
  // "co operativa").
  EXPECT_TRUE(query("cooperativa").interpretation.corrected.empty());
  // Nor is an article typed onto its noun a prefix: still the noun's
  // spelling.
  const auto article = query("lasostenibilita").interpretation.corrected;
  ASSERT_TRUE(article.count("lasostenibilita"));
  EXPECT_EQ(article.at("lasostenibilita"), "sostenibilità");
}

// "senza tetto", as a phone's keyboard splits it: "tetto" alone found the
// rooftop solar practices. The two words make "senzatetto", the taxonomy's
// everyday word of the poverty theme: searched as that word, and said.
TEST_F(SearchSpellingTest, TwoWordsThatMakeAWordOnlyTheTaxonomyHasAreThatWord) {
  const auto r = query("senza tetto");
  EXPECT_EQ(slugs(r), slugs(query("senzatetto")));
  ASSERT_TRUE(r.interpretation.expanded.count("senza tetto"));
  EXPECT_EQ(r.interpretation.expanded.at("senza tetto"), std::vector<std::string>{"senzatetto"});
  // A word the library writes keeps its own way ("bici bus": each word's
  // clause is met by "bicibus").
  EXPECT_EQ(query("bici bus").interpretation.expanded.at("bici bus"), std::vector<std::string>{"bicibus"});
}

}  // namespace
}  // namespace bp
