// An English query that is one of a theme's names ("beach cleanup") finds
// every practice of the theme with the same weight from the theme's label
// and filter term; what its own words mean ("beach": "spiaggia", a
// `synonyms:` group) ranks first, among them, the practice that talks
// about it, and the answer says which words it searched.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "search_test_util.h"
#include "search_thesaurus.h"
#include "temp_dir.h"

namespace bp {
namespace {

namespace fs = std::filesystem;

using testing::contains;
using testing::replace_once;
using test_util::read_file;

// Two practices of the environmental education theme, the same but for
// where the pupils clean up: a park, or a beach (one word longer, so that
// the park's practice wins when nothing tells them apart). The theme's
// English names include "beach cleanup"; "beach" is "spiaggia". And a
// practice of another theme by a beach.
std::string practice(const std::string& title, const std::string& place) {
  return "---\n"
         "title: \"" + title + "\"\n"
         "summary: \"Le classi di Ancona fanno educazione ambientale pulendo " + place + ".\"\n"
         "hub: centro\n"
         "region: marche\n"
         "city: Ancona\n"
         "themes: [educazione-ambientale]\n"
         "dimensions: [ambientale]\n"
         "sdgs: [4]\n"
         "organisation: \"Rete Scuole Ancona\"\n"
         "year: 2022\n"
         "audience: [docenti]\n"
         "modules: [m12]\n"
         "date: 2023-03-01\n"
         "tags: [educazione ambientale]\n"
         "---\n\n"
         "## Contesto\n\nUn'educazione ambientale fatta di gesti concreti.\n\n"
         "## Cosa è stato fatto\n\nOgni mese una classe pulisce " + place + " con i volontari.\n\n"
         "## Risultati\n\nVenti uscite in un anno di educazione ambientale.\n";
}

class SearchOwnWordsTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new test_util::TempDir("bp-own-words-test");
    const fs::path library = dir_->path() / "library";
    fs::copy(testing::fixture_library(), library, fs::copy_options::recursive);
    std::string taxonomy = read_file(library / "taxonomy.yaml");
    replace_once(&taxonomy, "label_en: Environmental education\n",
            "label_en: Environmental education\n    synonyms_en: [\"beach cleanup\", \"school garden\"]\n");
    replace_once(&taxonomy, "  - [riuso, riutilizzo]\n", "  - [riuso, riutilizzo]\n  - [spiaggia, beach]\n");
    std::ofstream(library / "taxonomy.yaml") << taxonomy;
    std::ofstream(library / "practices/centro/pulizia-parco-ancona.md")
        << practice("Puliamo il parco con la scuola", "il parco del quartiere");
    std::ofstream(library / "practices/centro/pulizia-spiaggia-ancona.md")
        << practice("Puliamo la spiaggia con la scuola", "la spiaggia libera del quartiere");
    std::string tourism = practice("Un albergo diffuso vicino alla spiaggia", "la spiaggia");
    replace_once(&tourism, "themes: [educazione-ambientale]", "themes: [turismo-sostenibile]");
    for (int i = 0; i < 4; ++i) replace_once(&tourism, "educazione ambientale", "ospitalità");
    std::ofstream(library / "practices/centro/spiaggia-albergo-diffuso-ancona.md") << tourism;
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
  static std::size_t rank(const SearchResponse& r, const std::string& slug) {
    for (std::size_t i = 0; i < r.results.size(); ++i)
      if (r.results[i].practice.slug == slug) return i;
    return r.results.size();
  }

  static test_util::TempDir* dir_;
  static Taxonomy* taxonomy_;
  std::unique_ptr<Searcher> searcher_;
};

test_util::TempDir* SearchOwnWordsTest::dir_ = nullptr;
Taxonomy* SearchOwnWordsTest::taxonomy_ = nullptr;

TEST_F(SearchOwnWordsTest, ThePracticeThatTalksAboutTheEnglishWordsRanksFirstInTheTheme) {
  const auto r = query("beach cleanup");
  ASSERT_LT(rank(r, "pulizia-parco-ancona"), r.results.size()) << "the theme's practices are found";
  EXPECT_LT(rank(r, "pulizia-spiaggia-ancona"), rank(r, "pulizia-parco-ancona"));
  EXPECT_EQ(r.results.front().practice.slug, "pulizia-spiaggia-ancona");
}

TEST_F(SearchOwnWordsTest, TheAnswerSaysWhichWordsItSearched) {
  const auto r = query("beach cleanup");
  // The page says «Risultati anche per: Educazione ambientale, spiaggia».
  ASSERT_EQ(r.interpretation.expanded.count("beach cleanup"), 1u);
  EXPECT_TRUE(contains(r.interpretation.expanded.at("beach cleanup"), "spiaggia"));
  EXPECT_TRUE(contains(r.interpretation.synonyms, "spiaggia"));
  EXPECT_EQ(r.interpretation.corrected.count("beach"), 0u);
}

TEST_F(SearchOwnWordsTest, TheWordsOwnMeaningDoesNotBringPracticesOfOtherThemes) {
  // "beach" brings "spiaggia" only to rank the theme's practices: a
  // practice of another theme that says "spiaggia" is not an answer.
  const auto r = query("beach cleanup");
  EXPECT_EQ(rank(r, "spiaggia-albergo-diffuso-ancona"), r.results.size());
}

}  // namespace
}  // namespace bp
