// The synonym table (core/src/search_synonyms.h): one table per database
// revision and taxonomy, shared by every Searcher of the process.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <xapian.h>

#include "search_synonyms.h"
#include "search_test_util.h"

namespace bp {
namespace {

Taxonomy taxonomy_with_extra_group(const std::string& group) {
  std::ifstream in(testing::fixture_library() / "taxonomy.yaml");
  std::stringstream yaml;
  yaml << in.rdbuf() << "\n  - " << group << "\n";  // the synonyms: list ends the file
  Diagnostics diagnostics;
  auto taxonomy = Taxonomy::from_yaml(yaml.str(), "taxonomy.yaml", &diagnostics);
  EXPECT_TRUE(taxonomy.has_value());
  return taxonomy ? *taxonomy : Taxonomy();
}

class SynonymTableTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new bp::test_util::TempDir("bp-synonyms-test");
    testing::build(testing::fixture_library(), dir_->path() / "index");
  }
  static void TearDownTestSuite() { delete dir_; }
  static std::filesystem::path index() { return dir_->path() / "index"; }
  static bp::test_util::TempDir* dir_;
};
bp::test_util::TempDir* SynonymTableTest::dir_ = nullptr;

TEST_F(SynonymTableTest, OneTablePerRevisionAndTaxonomy) {
  const Taxonomy taxonomy = testing::load_taxonomy(testing::fixture_library());
  auto first = Searcher::open(index(), taxonomy);
  ASSERT_TRUE(first.ok()) << first.status().message();
  Xapian::Database db;
  {
    std::ifstream current(index() / "CURRENT");
    std::string name;
    std::getline(current, name);
    db = Xapian::Database((index() / name).string());
  }
  const auto a = search::SynonymTable::of(taxonomy, db);
  const auto b = search::SynonymTable::of(taxonomy, db);
  EXPECT_EQ(a.get(), b.get());
  EXPECT_FALSE(a->empty());
  const auto other = search::SynonymTable::of(taxonomy_with_extra_group("[zampogna, ciclofficina]"), db);
  EXPECT_NE(other.get(), a.get());
}

TEST_F(SynonymTableTest, EachTaxonomyKeepsItsOwnSynonymsOnTheSameIndex) {
  // Two Searchers of one index revision, the second with one more synonym
  // group: it must not be given the first one's table.
  auto plain = Searcher::open(index(), testing::load_taxonomy(testing::fixture_library()));
  ASSERT_TRUE(plain.ok()) << plain.status().message();
  auto extended = Searcher::open(index(), taxonomy_with_extra_group("[zampogna, ciclofficina]"));
  ASSERT_TRUE(extended.ok()) << extended.status().message();
  SearchRequest request;
  request.q = "zampogna";
  auto with = (*extended)->search(request);
  ASSERT_TRUE(with.ok()) << with.status().message();
  EXPECT_TRUE(testing::in_top(*with, "ciclofficina-firenze", 3));
  auto without = (*plain)->search(request);
  ASSERT_TRUE(without.ok()) << without.status().message();
  EXPECT_FALSE(testing::contains(testing::slugs(*without), "ciclofficina-firenze"));
}

}  // namespace
}  // namespace bp
