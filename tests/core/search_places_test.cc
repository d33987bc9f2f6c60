// A place's adjective ("napoletani", "nel torinese", "i contadini sardi")
// is how people name a place in a sentence: on the starter library
// (library-content/), whose `everyday_words:` list the adjectives of every
// region and of the case files' cities, it finds the practices of the place,
// and the answer names the place as the taxonomy writes it.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>

#include "bp/text.h"
#include "search_test_util.h"

namespace bp {
namespace {

using testing::slugs;

class SearchPlacesTest : public testing::StarterLibraryTest {
 protected:
  static std::vector<std::string> expanded(const SearchResponse& r, const std::string& word) {
    auto it = r.interpretation.expanded.find(word);
    return it == r.interpretation.expanded.end() ? std::vector<std::string>{} : it->second;
  }
};

// Without the adjective the purchasing group of Cagliari came first for a
// purchasing group "nel torinese"; the Turin one now does.
TEST_F(SearchPlacesTest, ACitysAdjectiveFindsThatCitysPractice) {
  const auto turin = query("gruppo d'acquisto nel torinese");
  ASSERT_FALSE(turin.results.empty());
  EXPECT_EQ(slugs(turin)[0], "gas-barriera-emporio-solidale-torino");
  EXPECT_TRUE(testing::contains(expanded(turin, "torinese"), "Torino"));

  const auto naples = query("ripetizioni gratis nei vicoli napoletani");
  ASSERT_FALSE(naples.results.empty());
  EXPECT_EQ(slugs(naples)[0], "doposcuola-diffuso-rione-sanita-napoli");
  // As the taxonomy writes it: the page says «Risultati anche per: Napoli».
  EXPECT_TRUE(testing::contains(expanded(naples, "napoletani"), "Napoli"));
  EXPECT_FALSE(testing::contains(expanded(naples, "napoletani"), "napoli"));
}

// A misspelled place is corrected to the place, not to a function word one
// letter away that the library uses more ("trnto" is not "tanto", "ancoma"
// not "ancora"): the page states the correction.
TEST_F(SearchPlacesTest, AMisspelledPlaceIsNotCorrectedToAFunctionWord) {
  for (const auto& [typed, word, place] : {std::tuple{"orto sociale trnto", "trnto", "Trento"},
                                           std::tuple{"impronta di carbonio scuole ancoma", "ancoma", "Ancona"}}) {
    const auto r = query(typed);
    ASSERT_EQ(r.interpretation.corrected.count(word), 1u) << typed;
    EXPECT_EQ(r.interpretation.corrected.at(word), text::fold_lower(place)) << typed;
    ASSERT_FALSE(r.results.empty()) << typed;
    EXPECT_EQ(r.results[0].practice.city, place) << typed;
  }
}

// A place's English name the editors listed is that place, not a word
// one swapped pair of letters away ("turin" is Torino, not "turni"); and
// a swapped pair is one typo ("toirno" is "torino").
TEST_F(SearchPlacesTest, APlacesEnglishNameIsNotCorrectedButASwappedPairIs) {
  const auto english = query("repair cafe in turin");
  EXPECT_EQ(english.interpretation.corrected.count("turin"), 0u);
  EXPECT_TRUE(testing::contains(expanded(english, "turin"), "Torino"));
  ASSERT_FALSE(english.results.empty());
  EXPECT_EQ(english.results[0].practice.city, "Torino");

  const auto swapped = query("repair cafe toirno");
  ASSERT_EQ(swapped.interpretation.corrected.count("toirno"), 1u);
  EXPECT_EQ(swapped.interpretation.corrected.at("toirno"), "torino");
  ASSERT_FALSE(swapped.results.empty());
  EXPECT_EQ(swapped.results[0].practice.city, "Torino");
}

// A region's name lists the practices filed there before those that
// mention it (a tester's finding: «umbria» put a farm near Viterbo, in
// Lazio, first, and one in the Marche third); the others still follow.
TEST_F(SearchPlacesTest, ARegionsNamePutsItsPracticesFirst) {
  for (const std::string typed : {"umbria", "Umbria", "emilia romagna"}) {
    const auto r = query(typed);
    const std::string region = typed == "emilia romagna" ? "emilia-romagna" : "umbria";
    std::size_t filed = 0;
    while (filed < r.results.size() && r.results[filed].practice.region == region) ++filed;
    ASSERT_GE(filed, 2u) << typed;
    for (std::size_t i = filed; i < r.results.size(); ++i)
      EXPECT_NE(r.results[i].practice.region, region) << typed << ": " << r.results[i].practice.slug;
  }
  // Those that only mention Umbria are still found, after.
  const auto umbria = query("umbria");
  EXPECT_TRUE(testing::contains(slugs(umbria), "fattoria-sociale-tuscia-viterbo"));
  // A region's name that is also a word («marche», brands) is the region
  // when typed alone (or after a preposition; not beside other words).
  const auto alone = query("marche");
  ASSERT_FALSE(alone.results.empty());
  for (const auto& hit : alone.results) EXPECT_EQ(hit.practice.region, "marche") << hit.practice.slug;
}

// A sustainable development goal by its number, as people write it, is
// the practices filed under it, the goal's name said («Risultati anche per:
// Città e comunità sostenibili»). Before, «sdg 11» dropped both words and
// listed every practice; «obiettivo 4» searched «4» anywhere.
TEST_F(SearchPlacesTest, AGoalsNumberFindsThePracticesFiledUnderIt) {
  for (const auto& [typed, goal, label] :
       {std::tuple{"sdg 11", 11, "Città e comunità sostenibili"},
        std::tuple{"SDG11", 11, "Città e comunità sostenibili"}, std::tuple{"obiettivo 4", 4, "Istruzione di qualità"},
        std::tuple{"goal 2", 2, "Sconfiggere la fame"}}) {
    const auto r = query(typed);
    ASSERT_FALSE(r.results.empty()) << typed;
    EXPECT_FALSE(r.interpretation.relaxed) << typed;
    for (const auto& hit : r.results)
      EXPECT_TRUE(std::ranges::count(hit.practice.sdgs, goal) == 1) << typed << ": " << hit.practice.slug;
    EXPECT_TRUE(testing::contains(r.interpretation.synonyms, std::string(label))) << typed;
  }
  // A goal no practice is filed under is not said to have been searched.
  const auto none = query("sdg 5");
  EXPECT_TRUE(none.results.empty());
  EXPECT_TRUE(none.interpretation.synonyms.empty());
  // A number that is no goal is two words («obiettivo 44»).
  EXPECT_TRUE(query("obiettivo 44").interpretation.synonyms.empty());
  // With other words, the goal is one concept among them.
  const auto food = query("eccedenze sdg 2");
  ASSERT_FALSE(food.results.empty());
  for (const auto& hit : food.results) EXPECT_TRUE(std::ranges::count(hit.practice.sdgs, 2) == 1) << hit.practice.slug;
}

// Two words typed apart that the library writes as one: said even when the
// first is also a theme's word ("bici"), and its practice first.
TEST_F(SearchPlacesTest, WordsTypedApartAreSaidAsTheLibrarysWord) {
  const auto r = query("bici bus milano");
  ASSERT_FALSE(r.results.empty());
  EXPECT_EQ(slugs(r)[0], "bicibus-scuole-primarie-milano-nolo");
  EXPECT_EQ(expanded(r, "bici bus"), std::vector<std::string>{"bicibus"});
}

// "vicino roma" asks for Rome: "vicino" was a required word, so Tor Bella
// Monaca's park (in Rome, without the word "vicino") was not among the
// first three, and a practice of Bologna that says "vicino" and "Roma"
// was. A word that says where, before a place's name, is left out.
TEST_F(SearchPlacesTest, AWordThatSaysWhereBeforeAPlaceIsLeftOut) {
  for (const char* q : {"vicino roma", "vicino a roma", "dalle parti di roma", "zona roma"}) {
    const auto rome = query(q);
    ASSERT_GE(rome.results.size(), 3u) << q;
    for (std::size_t i = 0; i < 3; ++i) EXPECT_EQ(rome.results[i].practice.city, "Roma") << q << " " << slugs(rome)[i];
    EXPECT_TRUE(testing::contains(slugs(rome), "patto-collaborazione-parco-tor-bella-monaca-roma")) << q;
    EXPECT_EQ(rome.interpretation.required, std::vector<std::string>{"roma"}) << q;
  }
  // Before a common word it stays a word of the query: "vicino casa" (near
  // home) and "vicino ai binari" (by the railway).
  // So is a city whose name is also an Italian word ("bari", the plural
  // of "baro"), when no article comes between: "vicino bari" kept "vicino"
  // as a required word and listed practices that only say it.
  const auto bari = query("vicino bari");
  EXPECT_EQ(bari.interpretation.required, std::vector<std::string>{"bari"});
  EXPECT_TRUE(testing::contains(bari.interpretation.ignored, "vicino"));
  ASSERT_FALSE(bari.results.empty());
  for (const auto& hit : bari.results) EXPECT_EQ(hit.practice.city, "Bari") << hit.practice.slug;
  EXPECT_TRUE(testing::contains(query("vicino casa").interpretation.required, "vicino"));
  const auto rails = query("vicino ai binari");
  EXPECT_FALSE(testing::contains(rails.interpretation.ignored, "vicino"));
}

// A city's name is a name, not a word with endings: "lecce" found the
// Sardinian village whose woods have holm oaks ("lecci", the same stem).
TEST_F(SearchPlacesTest, ACitysNameIsSearchedAsWritten) {
  const auto r = query("lecce");
  ASSERT_GE(r.results.size(), 2u);
  for (const auto& hit : r.results) EXPECT_EQ(hit.practice.city, "Lecce") << hit.practice.slug;
  // So is one that is also an Italian word: "bari" found every village
  // whose shop and «bar» had closed.
  const auto bari = query("bari");
  ASSERT_FALSE(bari.results.empty());
  EXPECT_EQ(slugs(bari)[0], "recupero-eccedenze-mercati-generali-bari");
  EXPECT_FALSE(testing::contains(slugs(bari), "cooperativa-di-comunita-post-sisma-camerino"));
  // A misspelled one is corrected to the name, and searched as written too.
  const auto typed = query("orti didattici leccce");
  ASSERT_EQ(typed.interpretation.corrected.count("leccce"), 1u);
  EXPECT_EQ(typed.interpretation.corrected.at("leccce"), "lecce");
  ASSERT_FALSE(typed.results.empty());
  EXPECT_EQ(slugs(typed)[0], "orti-didattici-e-clima-scuole-lecce");
}

// A place's name of two words is one place: "reggio emilia" listed Reggio
// Calabria second («Non contiene: emilia») and Bologna third; "valle
// d'aosta" the valleys of Liguria and Lazio.
TEST_F(SearchPlacesTest, APlacesNameOfTwoWordsIsOnePlace) {
  for (const auto& [typed, city, region] :
       {std::tuple{"reggio emilia", "Reggio Emilia", ""}, std::tuple{"reggio calabria", "Reggio Calabria", ""},
        std::tuple{"valle d'aosta", "", "valle-d-aosta"}}) {
    const auto r = query(typed);
    ASSERT_FALSE(r.results.empty()) << typed;
    for (const auto& hit : r.results) {
      if (*city) {
        EXPECT_EQ(hit.practice.city, city) << typed << ": " << hit.practice.slug;
      }
      if (*region) {
        EXPECT_EQ(hit.practice.region, region) << typed << ": " << hit.practice.slug;
      }
    }
  }
  // With other words the place's practices come first.
  const auto gardens = query("scuole a reggio emilia");
  ASSERT_FALSE(gardens.results.empty());
  EXPECT_EQ(gardens.results[0].practice.city, "Reggio Emilia");
}

// A relaxed query that names a place: among the practices matching as much
// of the rest, those of the place come first. "cammino a piedi nel lazio"
// had Gavoi's scattered hotel (Sardinia) second, before the Tuscia farm
// (Lazio), both lacking one word.
TEST_F(SearchPlacesTest, AmongPartialMatchesThePlaceNamedComesFirst) {
  const auto r = query("cammino a piedi nel lazio");
  ASSERT_TRUE(r.interpretation.relaxed);
  ASSERT_GE(r.results.size(), 3u);
  EXPECT_EQ(r.results[0].practice.region, "lazio") << slugs(r)[0];
  EXPECT_EQ(r.results[1].practice.region, "lazio") << slugs(r)[1];
  // So is a place's adjective: "nel catanese" had the repair cafés of
  // Palermo and Turin before Catania's bike workshop.
  const auto catania = query("riparare biciclette nel catanese");
  ASSERT_FALSE(catania.results.empty());
  EXPECT_EQ(slugs(catania)[0], "bici-a-scuola-ciclofficina-catania");
}

// Every region of the taxonomy has its people's adjective listed: a word
// of the region's name is a key of `everyday_words:`.
TEST_F(SearchPlacesTest, EveryRegionHasItsAdjective) {
  std::set<std::string> keys;
  for (const auto& x : taxonomy_->everyday_words()) keys.insert(text::fold_lower(x.word));
  const Vocabulary* regions = taxonomy_->vocabulary("region");
  ASSERT_NE(regions, nullptr);
  ASSERT_EQ(regions->terms.size(), 20u);
  for (const Term& region : regions->terms) {
    std::string words = text::fold_lower(region.label);
    std::replace_if(
        words.begin(), words.end(), [](char c) { return c == '-' || c == '\''; }, ' ');
    bool listed = false;
    std::size_t from = 0;
    while (from < words.size()) {
      const std::size_t end = std::min(words.find(' ', from), words.size());
      listed = listed || keys.count(words.substr(from, end - from)) != 0;
      from = end + 1;
    }
    EXPECT_TRUE(listed) << region.label;
  }
}

}  // namespace
}  // namespace bp
