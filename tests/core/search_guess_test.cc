// A word the library lacks, reached only through a guess at what it means
// (the editors' everyday words, the thesaurus), is not a full match of its
// concept: on the starter library (library-content/), a practice that has
// the query's other concepts in its own words and that one through the
// guess ranks with the near-full matches, below a practice that has every
// concept as typed, and no longer above every other for the guess alone.
#include <gtest/gtest.h>

#include "search_test_util.h"

namespace bp {
namespace {

using testing::slugs;

class SearchGuessTest : public testing::StarterLibraryTest {};

// "zappano" is no word of the library: the editors' everyday words say it
// is "orto". Trento's vegetable gardens with asylum seekers have the
// asylum seekers and the land in their own words and the garden through
// that guess; the Tuscia social farm had every concept only by counting
// the guess as a full match, and came first.
TEST_F(SearchGuessTest, APracticeWithTheTypedWordsComesBeforeOneWithTheGuessesOnly) {
  const auto r = query("richiedenti asilo che zappano la terra");
  ASSERT_GE(r.results.size(), 2u);
  EXPECT_EQ(slugs(r)[0], "orti-sociali-richiedenti-asilo-trento");
  // The guess is still searched, and said.
  const auto it = r.interpretation.expanded.find("zappano");
  ASSERT_NE(it, r.interpretation.expanded.end());
  EXPECT_TRUE(testing::contains(it->second, "orto"));
}

// A theme's synonym or everyday word is a looser association than its
// name: "after school" and "tutoring" are both listed under the fight
// against poverty. Every practice filed under that theme counted as a full
// match of both, so Padua's school canteens, which give their surplus
// food away, came first for an after-school club, ahead of Perugia's
// language tutoring and Naples' after-school club.
TEST_F(SearchGuessTest, AThemesLooseWordIsNotAFullMatchOfEveryPracticeOfTheTheme) {
  const auto r = query("after school tutoring migrant children");
  ASSERT_GE(r.results.size(), 3u);
  const std::vector<std::string> found = slugs(r);
  EXPECT_NE(found[0], "eccedenze-mense-scolastiche-padova");
  const std::vector<std::string> first(found.begin(), found.begin() + 3);
  EXPECT_TRUE(testing::contains(first, "corso-garibaldi-tutoring-linguistico-perugia"));
  EXPECT_TRUE(testing::contains(first, "doposcuola-diffuso-rione-sanita-napoli"));
  // The theme is still one way to the concept, as a guess is: lonely old
  // people in the mountains are the two practices filed under community
  // welfare that have the mountains and the loneliness, before a practice
  // that reaches "vecchietti" through a guess.
  const auto old = query("vecchietti soli in montagna");
  ASSERT_GE(old.results.size(), 2u);
  EXPECT_EQ(slugs(old)[0], "navetta-solidale-comuni-montani-valle-d-aosta");
  EXPECT_EQ(slugs(old)[1], "welfare-di-comunita-aree-interne-agnone");
}

// "vestiti usati" is one of the circular economy's everyday phrases, and
// no practice writes it: every practice of the theme matched it alike, so
// the beach cleanups of Pesaro came before the two repair cafés, which
// mend clothes. The phrase's head, "vestiti", now ranks the theme's
// practices that use it first.
TEST_F(SearchGuessTest, AThemesLoosePhraseRanksItsPracticesByTheHeadWord) {
  const auto r = query("vestiti usati");
  ASSERT_GE(r.results.size(), 3u);
  const std::vector<std::string> found = slugs(r);
  const std::vector<std::string> first(found.begin(), found.begin() + 2);
  EXPECT_TRUE(testing::contains(first, "repair-cafe-ballaro-palermo"));
  EXPECT_TRUE(testing::contains(first, "repair-cafe-san-salvario-torino"));
}

// "aiuto compiti" is an everyday word of the fight against poverty, and
// "stranieri" reaches inclusion: three practices matched every concept,
// each only through a theme, and the answer stopped there, without
// Perugia's language tutoring for foreign children, which has the
// homework in its own words but is filed under inclusion alone. With no
// practice matching every concept in its own words the query is relaxed;
// the three that match every concept in some way still come first.
TEST_F(SearchGuessTest, NoPracticeWithEveryConceptInItsOwnWordsRelaxesTheQuery) {
  const auto r = query("aiuto compiti per ragazzi stranieri");
  EXPECT_TRUE(r.interpretation.relaxed);
  const std::vector<std::string> found = slugs(r);
  ASSERT_GE(found.size(), 4u);
  EXPECT_TRUE(testing::contains(found, "corso-garibaldi-tutoring-linguistico-perugia"));
  const std::vector<std::string> first(found.begin(), found.begin() + 3);
  EXPECT_TRUE(testing::contains(first, "servizio-civile-comunita-educante-verona"));
  EXPECT_TRUE(testing::contains(first, "servizio-civile-giovani-periferie-pescara"));
  // A query with a practice that has every concept in its own words stays
  // strict: the two repair cafés mend the bicycles.
  EXPECT_FALSE(query("ragazzi che riparano biciclette").interpretation.relaxed);
}

}  // namespace
}  // namespace bp
