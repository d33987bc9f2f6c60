// The Italian thesaurus in search (core/src/search_thesaurus.h): an everyday
// word the library never uses finds the practice through its synonyms, and
// the answer says so; acronyms match only as typed.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>

#include "search_test_util.h"
#include "search_thesaurus.h"

namespace bp {
namespace {

using search::Thesaurus;
using search::ThesaurusFiles;
using testing::in_top;

bool has(const std::vector<std::string>& v, const std::string& s) {
  return std::find(v.begin(), v.end(), s) != v.end();
}

TEST(Thesaurus, MissingFilesGiveAWarningAndNoAlternatives) {
  ThesaurusFiles files;
  files.mythes_idx = "/nonexistent/th_it_IT_v2.idx";
  files.mythes_dat = "/nonexistent/th_it_IT_v2.dat";
  std::string warning;
  auto t = Thesaurus::open(files, &warning);
  ASSERT_NE(t, nullptr);
  EXPECT_FALSE(t->loaded());
  EXPECT_NE(warning.find("mythes-it"), std::string::npos) << warning;
  EXPECT_TRUE(t->alternatives("vecchio")->empty());
}

TEST(Thesaurus, InflectedWordReachesItsEntry) {
  const Thesaurus& t = Thesaurus::shared();
  if (!t.loaded()) GTEST_SKIP() << "mythes-it is not installed";
  // "vecchi" is not an entry: Hunspell gives its lemma "vecchio".
  const auto alternatives = t.alternatives("vecchi");
  const bool anziano = std::any_of(alternatives->begin(), alternatives->end(),
                                   [](const auto& a) { return a.phrase == "anziano"; });
  EXPECT_TRUE(anziano);
  // Cached: the same list again.
  EXPECT_EQ(t.alternatives("vecchi").get(), alternatives.get());
}

class SearchThesaurusTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new bp::test_util::TempDir("bp-search-thesaurus-test");
    testing::build(testing::fixture_library(), dir_->path() / "index");
    taxonomy_ = new Taxonomy(testing::load_taxonomy(testing::fixture_library()));
  }
  static void TearDownTestSuite() {
    delete dir_;
    delete taxonomy_;
  }
  SearchResponse query(const std::string& q, const Taxonomy& taxonomy) {
    auto s = Searcher::open(dir_->path() / "index", taxonomy);
    EXPECT_TRUE(s.ok()) << s.status().message();
    if (!s.ok()) return {};
    SearchRequest request;
    request.q = q;
    auto r = (*s)->search(request);
    EXPECT_TRUE(r.ok()) << r.status().message();
    return r.ok() ? *r : SearchResponse{};
  }
  SearchResponse query(const std::string& q) { return query(q, *taxonomy_); }

  static bp::test_util::TempDir* dir_;
  static Taxonomy* taxonomy_;
};

bp::test_util::TempDir* SearchThesaurusTest::dir_ = nullptr;
Taxonomy* SearchThesaurusTest::taxonomy_ = nullptr;

TEST_F(SearchThesaurusTest, EverydayWordFindsThePracticeThroughTheThesaurus) {
  if (!Thesaurus::shared().loaded()) GTEST_SKIP() << "mythes-it is not installed";
  // No practice says "indumenti"; the tailoring one says "abiti".
  const auto r = query("indumenti");
  EXPECT_TRUE(in_top(r, "riparazioni-sartoria-napoli", 2));
  auto it = r.interpretation.expanded.find("indumenti");
  ASSERT_NE(it, r.interpretation.expanded.end());
  EXPECT_TRUE(has(it->second, "abito"));
  // What the results page shows as "Risultati anche per".
  EXPECT_TRUE(has(r.interpretation.synonyms, "abito"));
}

TEST_F(SearchThesaurusTest, WordSpelledRightIsExpandedNotCorrected) {
  if (!Thesaurus::shared().loaded()) GTEST_SKIP() << "mythes-it is not installed";
  // "compera" is one letter from "compra", which the library uses, but it is
  // an Italian word of its own: no "did you mean compra", its synonyms instead.
  const auto r = query("compera");
  EXPECT_EQ(r.interpretation.corrected.count("compera"), 0u);
  EXPECT_FALSE(r.suggestion.has_value());
  auto it = r.interpretation.expanded.find("compera");
  ASSERT_NE(it, r.interpretation.expanded.end());
  EXPECT_TRUE(has(it->second, "acquisto") || has(it->second, "spesa"));
  // A misspelling is still corrected.
  EXPECT_EQ(query("microcreditto").interpretation.corrected.count("microcreditto"), 1u);
}

TEST_F(SearchThesaurusTest, WordsTheLibraryUsesAreNotExpanded) {
  if (!Thesaurus::shared().loaded()) GTEST_SKIP() << "mythes-it is not installed";
  const auto r = query("abiti");
  EXPECT_TRUE(in_top(r, "riparazioni-sartoria-napoli", 1));
  EXPECT_EQ(r.interpretation.expanded.count("abiti"), 0u);
}

TEST_F(SearchThesaurusTest, AnAcronymMatchesOnlyAsTyped) {
  auto taxonomy = Taxonomy::from_yaml(
      "acronyms:\n"
      "  - {acronym: CAS, expansion: \"centro di accoglienza straordinaria\", area: welfare}\n"
      "  - {acronym: SAI, expansion: \"sistema di accoglienza e integrazione\", area: welfare}\n",
      "taxonomy.yaml", nullptr);
  ASSERT_TRUE(taxonomy.has_value());
  // "casa" stems like "cas", but is not the acronym.
  const auto house = query("casa", *taxonomy);
  for (const auto& [word, alternatives] : house.interpretation.expanded)
    EXPECT_FALSE(has(alternatives, "centro di accoglienza straordinaria")) << word;
  const auto acronym = query("CAS", *taxonomy);
  auto it = acronym.interpretation.expanded.find("cas");
  ASSERT_NE(it, acronym.interpretation.expanded.end());
  EXPECT_TRUE(has(it->second, "centro di accoglienza straordinaria"));
  if (!Thesaurus::shared().loaded()) return;
  // "sai" in small letters is the verb (Hunspell knows it); "SAI" the acronym.
  const auto verb = query("sai dove riparare", *taxonomy);
  EXPECT_EQ(verb.interpretation.expanded.count("sai"), 0u);
  const auto system = query("SAI", *taxonomy);
  it = system.interpretation.expanded.find("sai");
  ASSERT_NE(it, system.interpretation.expanded.end());
  EXPECT_TRUE(has(it->second, "sistema di accoglienza e integrazione"));
}

}  // namespace
}  // namespace bp
