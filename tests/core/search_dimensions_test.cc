// The programme's three sustainability dimensions named in a query
// ("sostenibilità ambientale", "environmental sustainability") are a
// concept, as a theme is: on the starter library (library-content/), whose
// taxonomy gives each dimension its names, the practices filed under it
// lead, and the answer says what was searched. A dimension's bare label is
// no such name: "sociale" is a word of most case files.
#include <gtest/gtest.h>

#include <algorithm>
#include <set>

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
  const auto it = r.interpretation.expanded.find("sostenibilità ambientale");
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

TEST_F(SearchDimensionsTest, TheUmbrellaWordMeansAnyDimensionOnce) {
  // "sostenibilità" is a name of all three dimensions: every practice is
  // about it, those that say it first, a practice of three dimensions
  // weighing no more than one of one.
  const auto all = query("sostenibilità");
  EXPECT_EQ(all.total, 44u);  // before: the 7 that write the word
  const std::vector<std::string> top = slugs(all);
  const int by_word = rank_of(all, "cooperativa-di-comunita-post-sisma-camerino");
  const int by_dimension = rank_of(all, "bicibus-scuole-primarie-milano-nolo");
  ASSERT_GE(by_word, 0);
  ASSERT_GE(by_dimension, 0);
  EXPECT_LT(by_word, by_dimension);
  // The 37 that do not write it tie, whether filed under one dimension
  // or three (a sum would put the three-dimension ones first).
  ASSERT_EQ(all.results.size(), 44u);
  std::set<std::size_t> counts;
  for (std::size_t i = 7; i < all.results.size(); ++i) {
    EXPECT_DOUBLE_EQ(all.results[i].score, all.results[7].score) << top[i];
    counts.insert(all.results[i].practice.dimensions.size());
  }
  EXPECT_GE(counts.size(), 2u);
  // Named as typed: with its accent («sostenibilita» would read as the
  // person's typo), and without it when typed so.
  const auto it = all.interpretation.expanded.find("sostenibilità");
  ASSERT_NE(it, all.interpretation.expanded.end());
  EXPECT_NE(std::find(it->second.begin(), it->second.end(), "sostenibilità sociale"), it->second.end());
  EXPECT_EQ(query("SOSTENIBILITA").interpretation.expanded.count("sostenibilita"), 1u);

  // With a school level: before, no primary-school practice says the word,
  // and the teacher had nothing.
  SearchRequest request;
  request.q = "sostenibilità";
  request.per_page = 50;
  request.filters["level"] = {"primaria"};
  auto primary = searcher_->search(request);
  ASSERT_TRUE(primary.ok()) << primary.status().message();
  EXPECT_EQ(primary->total, 8u);
  const auto typed_level = query("sostenibilità scuola primaria");
  EXPECT_TRUE(testing::in_top(typed_level, "bicibus-scuole-primarie-milano-nolo", 3)) << typed_level.results.size();

  // The English word, too; a dimension's own name still leads with its own.
  EXPECT_EQ(query("sustainability").total, 44u);
  const auto environmental = query("sostenibilità ambientale");
  ASSERT_GE(environmental.results.size(), 5u);
  for (std::size_t i = 0; i < 5; ++i) EXPECT_TRUE(filed_under(environmental, i, "ambientale"));
}

// A filter only narrows what the words found: ticking any value the answer
// counts shows exactly that many practices, every one of them in the answer
// without the filter. The relaxation of the words was decided on the
// filtered matches, so a filter that left fewer than three strict matches
// relaxed the words within it: «aggiustare le cose» counted 1 practice for
// an SDG and showed 14 once it was ticked.
TEST_F(SearchDimensionsTest, TickingAFilterShowsWhatItCountedAndNothingTheListLacked) {
  for (const std::string typed : {"aggiustare le cose", "cibo", "orti", "energia", "anziani soli",
                                  "come si fa a recuperare il cibo", "la spesa fatta insieme", "scuola"}) {
    SCOPED_TRACE(typed);
    SearchRequest request;
    request.q = typed;
    request.per_page = 100;
    auto all = searcher_->search(request);
    ASSERT_TRUE(all.ok()) << all.status().message();
    const std::vector<std::string> listed = slugs(*all);
    const std::set<std::string> shown(listed.begin(), listed.end());
    for (const auto& [facet, values] : all->facets)
      for (const auto& [value, count] : values) {
        SearchRequest narrowed = request;
        narrowed.filters[facet] = {value};
        auto some = searcher_->search(narrowed);
        ASSERT_TRUE(some.ok()) << some.status().message();
        EXPECT_EQ(some->total, count) << facet << "=" << value;
        for (const auto& slug : slugs(*some)) EXPECT_TRUE(shown.count(slug)) << facet << "=" << value << ": " << slug;
      }
  }
}

}  // namespace
}  // namespace bp
