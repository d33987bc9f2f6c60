// A teacher's words for a lesson or a school level ("laboratorio",
// "lezione", "superiori") are met by a practice's lesson sheet (`didattica`),
// on the starter library (library-content/), whose lesson sheets are real.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>

#include "search_test_util.h"

namespace bp {
namespace {

using testing::slugs;

// The starter library's lesson sheets.
class SearchLessonTest : public testing::StarterLibraryTest {};

TEST_F(SearchLessonTest, ALevelsEverydayNameIsMetByTheLessonSheet) {
  // The Casal di Principe farm's lesson sheet is a lab for the upper
  // secondary school ("superiori"), on civics and legality; its text never
  // says "superiori". Practices that have every word in passing do not
  // hide it.
  const auto r = query("laboratorio educazione civica legalità superiori");
  const int at = rank_of(r, "bene-confiscato-fattoria-legalita-casal-di-principe");
  EXPECT_GE(at, 0);
  EXPECT_LT(at, 3);
  EXPECT_FALSE(r.interpretation.relaxed);
}

TEST_F(SearchLessonTest, ALevelsEverydayNameFindsTheSheetsOfThatLevel) {
  // "superiori" (taxonomy: the level secondaria-2's everyday name) finds
  // the practices whose sheet is for the upper secondary school, though
  // their text never says it, and not a sheet for younger pupils only.
  const auto r = query("superiori");
  const auto all = slugs(r);
  EXPECT_TRUE(testing::contains(all, "bene-confiscato-fattoria-legalita-casal-di-principe"));
  EXPECT_TRUE(testing::contains(all, "scuole-carbon-neutral-ancona"));
  EXPECT_FALSE(testing::contains(all, "orti-didattici-e-clima-scuole-lecce"));
}

TEST_F(SearchLessonTest, AWordForALessonFindsThePracticesWithALessonSheet) {
  // The Florence fair-trade shop's lesson sheet is a school lab; its text
  // never says "laboratorio". Among the practices on fair trade it comes
  // first for a teacher looking for a lab, and "laboratorio" alone lists it.
  const auto r = query("laboratorio sul commercio equo");
  ASSERT_FALSE(r.results.empty());
  EXPECT_EQ(r.results.front().practice.slug, "bottega-commercio-equo-scuole-firenze");
  EXPECT_TRUE(testing::contains(slugs(query("laboratorio")), "bottega-commercio-equo-scuole-firenze"));
}

TEST_F(SearchLessonTest, ASheetIsWhatTheLessonSheetIs) {
  // "schede" (lesson sheets) is what a teacher calls them. Padua's school
  // canteens have a sheet for the primary school on food waste; their
  // text never says "schede", so they came second and said they lacked it.
  const auto r = query("schede per la primaria sullo spreco");
  ASSERT_FALSE(r.results.empty());
  EXPECT_EQ(r.results.front().practice.slug, "eccedenze-mense-scolastiche-padova");
  EXPECT_TRUE(r.results.front().missing.empty());
}

TEST_F(SearchLessonTest, TheTopicIsStillRequired) {
  // The lesson sheet meets "laboratorio", never the topic: every result of
  // a strict search has "legalità" (or its concept) in its own words.
  const auto r = query("laboratorio legalità");
  ASSERT_FALSE(r.results.empty());
  EXPECT_FALSE(r.interpretation.relaxed);
}

// The level a query's words were read as, from the interpretation: the
// labels "terza media" and the like were expanded to ("" when none).
std::string level_read(const SearchResponse& r, const std::string& display) {
  auto it = r.interpretation.expanded.find(display);
  if (it == r.interpretation.expanded.end() || it->second.empty()) return "";
  return it->second.front();
}

TEST_F(SearchLessonTest, AClassYearIsItsSchoolLevel) {
  // "terza media" is the third year of the lower secondary school: the
  // practices whose sheet is for that level, not those that say "terza"
  // and "media" in passing (the Bolzano energy check-up, the Aosta shuttle
  // were the first results when the words were searched).
  const auto r = query("terza media");
  EXPECT_EQ(level_read(r, "terza media"), "Secondaria di primo grado");
  const auto all = slugs(r);
  EXPECT_TRUE(testing::contains(all, "scuole-carbon-neutral-ancona"));
  EXPECT_TRUE(testing::contains(all, "bottega-commercio-equo-scuole-firenze"));
  EXPECT_FALSE(testing::contains(all, "efficienza-energetica-sedi-associative-bolzano"));
  EXPECT_FALSE(testing::contains(all, "navetta-solidale-comuni-montani-valle-d-aosta"));
  // With a topic, the topic ranks among that level's practices: the Lecce
  // school gardens (a primary school sheet) before the Trento social
  // gardens, which have no school at all.
  const auto garden = query("quinta elementare orto");
  EXPECT_EQ(level_read(garden, "quinta elementare"), "Primaria");
  ASSERT_FALSE(garden.results.empty());
  EXPECT_EQ(garden.results.front().practice.slug, "orti-didattici-e-clima-scuole-lecce");
}

TEST_F(SearchLessonTest, ASchoolOfALevelInAnyNumber) {
  EXPECT_EQ(level_read(query("scuole elementari acqua"), "scuole elementari"), "Primaria");
  EXPECT_EQ(level_read(query("scuola elementare acqua"), "scuola elementare"), "Primaria");
  EXPECT_EQ(level_read(query("classi terze medie"), "classi terze medie"), "Secondaria di primo grado");
  EXPECT_EQ(level_read(query("secondaria di secondo grado"), "secondaria di secondo grado"),
            "Secondaria di secondo grado");
  // The schools teachers name (taxonomy.yaml, the level's `everyday`).
  EXPECT_EQ(level_read(query("quinta liceo commercio equo"), "quinta liceo"), "Secondaria di secondo grado");
  EXPECT_EQ(level_read(query("istituto tecnico energia"), "istituto tecnico"), "Secondaria di secondo grado");
}

TEST_F(SearchLessonTest, WordsThatOnlyLookLikeAClassAreNotOne) {
  // The middle class, old age, a level's name alone: their own words.
  for (const std::string q : {"classe media", "terza età", "medie"}) {
    const auto r = query(q);
    for (const std::string& synonym : r.interpretation.synonyms) EXPECT_NE(synonym, "Secondaria di primo grado") << q;
  }
}

// The word completions offered for `prefix`, as /api/suggest lists them.
std::vector<std::string> completions(Searcher& searcher, const std::string& prefix) {
  std::vector<std::string> out;
  auto r = searcher.suggest(prefix, 8);
  if (r.ok())
    for (const Suggestion& s : *r)
      if (s.kind == "term") out.push_back(s.text);
  return out;
}

TEST_F(SearchLessonTest, TypingAClassCompletesItsLevelThenWhatItsPracticesSay) {
  // A class's level name first, in the class's number.
  auto third = completions(*searcher_, "terza me");
  ASSERT_FALSE(third.empty());
  EXPECT_EQ(third.front(), "terza media");
  auto thirds = completions(*searcher_, "terze me");
  ASSERT_FALSE(thirds.empty());
  EXPECT_EQ(thirds.front(), "terze medie");
  auto schools = completions(*searcher_, "scuole el");
  ASSERT_FALSE(schools.empty());
  EXPECT_EQ(schools.front(), "scuole elementari");
  // After the class, the words of that level's practices: the energy of
  // the Ancona and Perugia sheets, not words that merely meet "terza" and
  // "media" somewhere.
  const auto energy = completions(*searcher_, "terza media ene");
  EXPECT_TRUE(testing::contains(energy, "terza media energia")) << ::testing::PrintToString(energy);
  // "classe" with its ordinal.
  auto with_class = completions(*searcher_, "classe quinta el");
  ASSERT_FALSE(with_class.empty());
  EXPECT_EQ(with_class.front(), "classe quinta elementare");
}

}  // namespace
}  // namespace bp
