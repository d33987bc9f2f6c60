// A searcher follows the index as bp-index build changes it.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "search_test_util.h"

namespace bp {
namespace {

namespace fs = std::filesystem;

class SearchRefreshTest : public ::testing::Test {
 protected:
  void SetUp() override {
    library_ = dir_ / "library";
    fs::copy(testing::fixture_library(), library_, fs::copy_options::recursive);
    testing::build(library_, dir_ / "index");
    taxonomy_ = testing::load_taxonomy(library_);
    auto s = Searcher::open(dir_ / "index", taxonomy_);
    ASSERT_TRUE(s.ok()) << s.status().message();
    searcher_ = std::move(*s);
  }

  void add_tandem_practice() { testing::add_tandem_practice(library_); }

  std::uint64_t total(const std::string& q) {
    SearchRequest r;
    r.q = q;
    auto res = searcher_->search(r);
    EXPECT_TRUE(res.ok());
    return res.ok() ? res->total : 0;
  }

  bp::test_util::TempDir tmp_{"bp-refresh-test"};
  fs::path dir_ = tmp_.path();
  fs::path library_;
  Taxonomy taxonomy_;
  std::unique_ptr<Searcher> searcher_;
};

TEST_F(SearchRefreshTest, NothingChangedIsCheap) {
  EXPECT_FALSE(searcher_->refresh());
  EXPECT_FALSE(searcher_->refresh());
}

TEST_F(SearchRefreshTest, SeesAnIncrementalBuild) {
  EXPECT_EQ(total("tandem "), 0u);
  add_tandem_practice();
  testing::build(library_, dir_ / "index");
  EXPECT_TRUE(searcher_->refresh());
  EXPECT_EQ(total("tandem "), 1u);
  EXPECT_EQ(searcher_->document_count(), 11u);
  EXPECT_TRUE(searcher_->practice("tandem-prato").ok());
}

TEST_F(SearchRefreshTest, SpellingsAndCompletionsFollowTheIndex) {
  // Close spellings and prefix completions are remembered per index
  // revision (search_query_memo.h): asked twice before the change, they
  // must still see the new practice after it.
  for (int i = 0; i < 2; ++i) {
    EXPECT_EQ(total("tandemm "), 0u);  // a typo of a word the index lacks
    EXPECT_EQ(total("tande"), 0u);     // a word being typed
  }
  add_tandem_practice();
  testing::build(library_, dir_ / "index");
  EXPECT_TRUE(searcher_->refresh());
  EXPECT_EQ(total("tandemm "), 1u);
  EXPECT_EQ(total("tande"), 1u);
}

TEST_F(SearchRefreshTest, SeesAFullRebuild) {
  add_tandem_practice();
  testing::build(library_, dir_ / "index", /*rebuild=*/true);
  EXPECT_TRUE(searcher_->refresh());
  EXPECT_EQ(total("tandem "), 1u);
  // A second rebuild removes the folder this searcher first opened.
  fs::remove(library_ / "practices/centro/tandem-prato.md");
  testing::build(library_, dir_ / "index", /*rebuild=*/true);
  EXPECT_TRUE(searcher_->refresh());
  EXPECT_EQ(total("tandem "), 0u);
  EXPECT_EQ(searcher_->document_count(), 10u);
}

TEST_F(SearchRefreshTest, SearchesWithoutRefreshKeepWorking) {
  add_tandem_practice();
  testing::build(library_, dir_ / "index", /*rebuild=*/true);
  testing::build(library_, dir_ / "index", /*rebuild=*/true);
  // The folder it opened is gone, but its files are still open.
  EXPECT_EQ(total("ciclofficina "), 1u);
}

}  // namespace
}  // namespace bp
