// The programme's three sustainability dimensions named in a query
// ("sostenibilità ambientale", "environmental sustainability") are a
// concept, as a theme is: on the starter library (library-content/), whose
// taxonomy gives each dimension its names, the practices filed under it
// lead, and the answer says what was searched. A dimension's bare label is
// no such name: "sociale" is a word of most case files.
#include <gtest/gtest.h>

#include <algorithm>

#include "search_test_util.h"

namespace bp {
namespace {

using testing::slugs;

class SearchDimensionsTest : public testing::StarterLibraryTest {
 protected:
  // The dimensions a practice is filed under, from its record.
  static bool filed_under(const SearchResponse& r, std::size_t i, const std::string& dimension) {
    const auto& d = r.results.at(i).practice.dimensions;
    return std::find(d.begin(), d.end(), dimension) != d.end();
  }
};

TEST_F(SearchDimensionsTest, ADimensionNamedInTheQueryLeadsWithItsPractices) {
  for (const std::string& typed : {std::string("sostenibilità ambientale"), std::string("sostenibilita ambientale"),
                                   std::string("environmental sustainability"), std::string("ecologia")}) {
    SCOPED_TRACE(typed);
    const auto r = query(typed);
    ASSERT_GE(r.results.size(), 5u);
    // Before, social practices that mention "sostenibilità" came first.
    for (std::size_t i = 0; i < 5; ++i) EXPECT_TRUE(filed_under(r, i, "ambientale")) << slugs(r)[i];
  }
  const auto economic = query("sostenibilità economica");
  ASSERT_GE(economic.results.size(), 3u);
  for (std::size_t i = 0; i < 3; ++i) EXPECT_TRUE(filed_under(economic, i, "economica")) << slugs(economic)[i];
  const auto r = query("sostenibilità ambientale");
  const auto it = r.interpretation.expanded.find("sostenibilita ambientale");
  ASSERT_NE(it, r.interpretation.expanded.end());
  EXPECT_NE(std::find(it->second.begin(), it->second.end(), "ambiente"), it->second.end());
}

TEST_F(SearchDimensionsTest, TheBareLabelOfADimensionIsAWordNotTheDimension) {
  // "sociale" alone is searched as typed: not every practice filed under
  // the social dimension (43 of 44), only those whose text says it.
  const auto r = query("sociale");
  EXPECT_TRUE(r.interpretation.expanded.find("sociale") == r.interpretation.expanded.end() ||
              std::find(r.interpretation.expanded.at("sociale").begin(), r.interpretation.expanded.at("sociale").end(),
                        "sostenibilità sociale") == r.interpretation.expanded.at("sociale").end());
}

}  // namespace
}  // namespace bp
