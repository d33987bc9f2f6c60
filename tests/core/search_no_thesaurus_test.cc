// Without the thesaurus files (BP_THESAURUS_DIR points nowhere) the search
// works as before, and says once on stderr that the thesaurus is missing.
#include <gtest/gtest.h>

#include <cstdlib>
#include <string>

#include "search_test_util.h"

namespace bp {
namespace {

// Before any test: the process's thesaurus is opened on the first search.
const bool kNoThesaurus = setenv("BP_THESAURUS_DIR", "/nonexistent-bp-thesaurus", 1) == 0;

TEST(SearchWithoutThesaurus, SearchesAndWarnsOnce) {
  ASSERT_TRUE(kNoThesaurus);
  bp::test_util::TempDir dir("bp-no-thesaurus-test");
  testing::build(testing::fixture_library(), dir.path() / "index");
  const Taxonomy taxonomy = testing::load_taxonomy(testing::fixture_library());
  ::testing::internal::CaptureStderr();
  for (int i = 0; i < 2; ++i) {
    auto s = Searcher::open(dir.path() / "index", taxonomy);
    ASSERT_TRUE(s.ok()) << s.status().message();
    SearchRequest request;
    request.q = "abiti";
    auto found = (*s)->search(request);
    ASSERT_TRUE(found.ok()) << found.status().message();
    EXPECT_TRUE(testing::in_top(*found, "riparazioni-sartoria-napoli", 1));
    request.q = "indumenti";
    auto none = (*s)->search(request);
    ASSERT_TRUE(none.ok()) << none.status().message();
    EXPECT_EQ(none->interpretation.expanded.count("indumenti"), 0u);
  }
  const std::string err = ::testing::internal::GetCapturedStderr();
  const auto first = err.find("thesaurus not found");
  EXPECT_NE(first, std::string::npos) << err;
  EXPECT_EQ(err.find("thesaurus not found", first + 1), std::string::npos) << err;
}

}  // namespace
}  // namespace bp
