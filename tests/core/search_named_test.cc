// What the answer names as searched too («Risultati anche per»), on the
// starter library (library-content/): the results page speaks Italian.
#include <gtest/gtest.h>

#include "search_test_util.h"

namespace bp {
namespace {

using testing::contains;

class SearchNamedTest : public testing::StarterLibraryTest {};

// The taxonomy pairs Italian words with their English names ([energia,
// energy]) so that an English query reaches the Italian practices. An
// Italian query is searched with them too, but the page did not need to
// tell an Italian reader «Risultati anche per: «energy»» or «Science».
TEST_F(SearchNamedTest, AnItalianQueryIsNotSaidToBeSearchedInEnglish) {
  const auto energia = query("energia");
  EXPECT_TRUE(contains(energia.interpretation.expanded.at("energia"), "energy"));
  EXPECT_FALSE(contains(energia.interpretation.synonyms, "energy"));
  const auto scienze = query("scienze");
  EXPECT_TRUE(contains(scienze.interpretation.expanded.at("scienze"), "Science"));
  EXPECT_FALSE(contains(scienze.interpretation.synonyms, "Science"));
  const auto senzatetto = query("senzatetto");
  EXPECT_TRUE(contains(senzatetto.interpretation.synonyms, "senza dimora"));
  EXPECT_FALSE(contains(senzatetto.interpretation.synonyms, "homeless"));
}

// The Italian words an English query was searched with are still named,
// and so is an acronym's Italian expansion: "cer" is no English word,
// though no dictionary knows it.
TEST_F(SearchNamedTest, TheItalianWordsOfAnEnglishQueryOrAnAcronymAreNamed) {
  EXPECT_TRUE(contains(query("energy").interpretation.synonyms, "energia"));
  EXPECT_TRUE(contains(query("homeless").interpretation.synonyms, "senza dimora"));
  const auto cer = query("cer");
  EXPECT_TRUE(contains(cer.interpretation.synonyms, "comunità energetica rinnovabile"));
  EXPECT_FALSE(contains(cer.interpretation.synonyms, "renewable energy community"));
}

}  // namespace
}  // namespace bp
