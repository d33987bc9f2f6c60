// English words the taxonomy does not list (core/src/search_cognates.h):
// an English query word reaches the Italian word the library uses by the
// spelling rules of cognates ("regeneration" -> "rigenerazione"), and the
// answer says which Italian words it searched; false friends are not
// translated; an English word in another inflection than the taxonomy's
// reaches its English synonym ("refugee" -> "refugees").
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "search_cognates.h"
#include "search_test_util.h"
#include "search_thesaurus.h"
#include "temp_dir.h"

namespace bp {
namespace {

namespace fs = std::filesystem;
using testing::in_top;

using testing::contains;
using testing::replace_once;
using test_util::read_file;

// The fixture library without the English name of the regeneration theme
// ("Urban regeneration"): no editor listed those English words. Plus a
// practice about the regeneration of a neighbourhood, whose text says
// "rigenerazione" and never "urbano", and, in another practice, a
// "fattoria" (a farm: the word "factory" looks like).
class SearchCognatesTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new test_util::TempDir("bp-cognates-test");
    const fs::path library = dir_->path() / "library";
    fs::copy(testing::fixture_library(), library, fs::copy_options::recursive);
    std::string taxonomy = read_file(library / "taxonomy.yaml");
    replace_once(&taxonomy, "label_en: Urban regeneration", "label_en: Neighbourhood renewal");
    std::ofstream(library / "taxonomy.yaml") << taxonomy;
    std::string practice = read_file(library / "practices/centro/emporio-solidale-perugia.md");
    replace_once(&practice, "title: \"Emporio solidale di Perugia: la spesa con dignità\"",
            "title: \"Un mercato coperto torna al quartiere\"");
    replace_once(&practice, "themes: [contrasto-alla-poverta, spreco-alimentare]", "themes: [rigenerazione-urbana]");
    practice += "\nLa rigenerazione del vecchio mercato coperto è nata dagli abitanti del quartiere.\n";
    std::ofstream(library / "practices/centro/mercato-coperto-perugia.md") << practice;
    std::ofstream(library / "practices/centro/microcredito-roma.md", std::ios::app)
        << "\nUna fattoria di Viterbo ha ricevuto il primo prestito.\n";
    testing::build(library, dir_->path() / "index");
    taxonomy_ = new Taxonomy(testing::load_taxonomy(library));
  }
  static void TearDownTestSuite() {
    delete dir_;
    delete taxonomy_;
  }
  void SetUp() override {
    if (!search::Thesaurus::shared().has_dictionary()) GTEST_SKIP() << "hunspell-it is not installed";
    auto s = Searcher::open(dir_->path() / "index", *taxonomy_);
    ASSERT_TRUE(s.ok()) << s.status().message();
    searcher_ = std::move(*s);
  }
  SearchResponse query(const std::string& q) { return testing::search(*searcher_, q); }

  static test_util::TempDir* dir_;
  static Taxonomy* taxonomy_;
  std::unique_ptr<Searcher> searcher_;
};

test_util::TempDir* SearchCognatesTest::dir_ = nullptr;
Taxonomy* SearchCognatesTest::taxonomy_ = nullptr;

TEST_F(SearchCognatesTest, AnEnglishWordFindsItsItalianCognateAndSaysSo) {
  const auto r = query("urban regeneration");
  ASSERT_FALSE(r.results.empty());
  EXPECT_EQ(r.results.front().practice.slug, "mercato-coperto-perugia");
  // The page says «Risultati anche per: rigenerazione».
  ASSERT_EQ(r.interpretation.expanded.count("regeneration"), 1u);
  EXPECT_TRUE(contains(r.interpretation.expanded.at("regeneration"), "rigenerazione"));
  EXPECT_TRUE(contains(r.interpretation.synonyms, "rigenerazione"));
  // A translation, not a spelling mistake: no "Forse cercavi".
  EXPECT_EQ(r.interpretation.corrected.count("regeneration"), 0u);
}

TEST_F(SearchCognatesTest, AFalseFriendIsNotTranslated) {
  // "factory" looks like "fattoria" (a farm), which the library uses.
  const auto r = query("factory");
  EXPECT_TRUE(r.results.empty());
  for (const auto& [word, alternatives] : r.interpretation.expanded) EXPECT_FALSE(contains(alternatives, "fattoria"));
  EXPECT_EQ(r.interpretation.corrected.count("factory"), 0u);
}

TEST_F(SearchCognatesTest, AnItalianWordIsNotReadAsEnglish) {
  // "mercato" is the library's own word: searched as itself, nothing added.
  const auto r = query("mercato");
  EXPECT_TRUE(in_top(r, "mercato-coperto-perugia", 1));
  EXPECT_TRUE(r.interpretation.expanded.empty());
}

TEST_F(SearchCognatesTest, AnEnglishInflectionReachesTheTaxonomysEnglishName) {
  // The taxonomy says "Renewable energy communities"; typed in the
  // singular, the English stems still meet it as one concept, the theme.
  const auto r = query("renewable energy community");
  ASSERT_EQ(r.interpretation.expanded.count("renewable energy community"), 1u);
  EXPECT_TRUE(contains(r.interpretation.expanded.at("renewable energy community"), "Comunità energetiche rinnovabili"));
  ASSERT_FALSE(r.results.empty());
  EXPECT_TRUE(r.results.front().practice.slug.rfind("cer-", 0) == 0) << r.results.front().practice.slug;
}

TEST(ItalianCognates, TheSpellingRulesOfTheSector) {
  EXPECT_TRUE(contains(search::italian_cognates("regeneration"), "rigenerazione"));
  EXPECT_TRUE(contains(search::italian_cognates("community"), "comunità"));
  EXPECT_TRUE(contains(search::italian_cognates("energy"), "energia"));
  EXPECT_TRUE(contains(search::italian_cognates("cooperatives"), "cooperativa"));
  EXPECT_TRUE(contains(search::italian_cognates("service"), "servizio"));
  EXPECT_TRUE(contains(search::italian_cognates("photovoltaic"), "fotovoltaico"));
  EXPECT_TRUE(contains(search::italian_cognates("confiscated"), "confiscato"));
  EXPECT_TRUE(contains(search::italian_cognates("tourism"), "turismo"));
  // False friends and adverbs: nothing.
  EXPECT_TRUE(search::italian_cognates("factory").empty());
  EXPECT_TRUE(search::italian_cognates("parents").empty());
  EXPECT_TRUE(search::italian_cognates("actually").empty());
  EXPECT_TRUE(search::italian_cognates("eventually").empty());
  // A misspelled Italian word ending in a vowel: no rule applies.
  EXPECT_TRUE(search::italian_cognates("servizo").empty());
}

}  // namespace
}  // namespace bp
