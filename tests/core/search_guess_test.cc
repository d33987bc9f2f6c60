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

}  // namespace
}  // namespace bp
