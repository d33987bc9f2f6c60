// Unit tests of the /api/search parameter parser (no socket).
#include "search_params.h"

#include <gtest/gtest.h>

namespace bp::server {
namespace {

SearchRequest ok(const Params& p) {
  auto r = parse_search_params(p);
  EXPECT_TRUE(std::holds_alternative<SearchRequest>(r));
  return std::holds_alternative<SearchRequest>(r) ? std::get<SearchRequest>(r) : SearchRequest{};
}

std::string error(const Params& p) {
  auto r = parse_search_params(p);
  return std::holds_alternative<ApiError>(r) ? std::get<ApiError>(r).code : "";
}

TEST(SearchParams, DefaultsWhenEmpty) {
  SearchRequest r = ok({});
  EXPECT_EQ(r.q, "");
  EXPECT_EQ(r.page, 1);
  EXPECT_EQ(r.per_page, 10);
  EXPECT_EQ(r.sort, SortOrder::kRelevance);
  EXPECT_TRUE(r.filters.empty());
}

TEST(SearchParams, RepeatedFacetsAreCollected) {
  SearchRequest r = ok({{"theme", "a"}, {"theme", "b"}, {"hub", "nord"}, {"sdg", "7"},
                        {"year_from", "2020"}, {"sort", "title"}, {"page", "3"},
                        {"per_page", "100"}, {"unknown", "x"}});
  EXPECT_EQ(r.filters["theme"], (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(r.filters["hub"], (std::vector<std::string>{"nord"}));
  EXPECT_EQ(r.filters["sdg"], (std::vector<std::string>{"7"}));
  EXPECT_EQ(r.year_from, 2020);
  EXPECT_FALSE(r.year_to);
  EXPECT_EQ(r.sort, SortOrder::kTitle);
  EXPECT_EQ(r.page, 3);
  EXPECT_EQ(r.per_page, 100);
  EXPECT_EQ(r.filters.count("unknown"), 0u);
}

TEST(SearchParams, LessonSheetFiltersAndMaximumDuration) {
  SearchRequest r = ok({{"level", "secondaria-1"}, {"level", "primaria"}, {"subject", "scienze"},
                        {"duration", "fino-2-ore"}, {"duration_max", "90"}});
  EXPECT_EQ(r.filters["level"], (std::vector<std::string>{"secondaria-1", "primaria"}));
  EXPECT_EQ(r.filters["subject"], std::vector<std::string>{"scienze"});
  EXPECT_EQ(r.filters["duration"], std::vector<std::string>{"fino-2-ore"});
  EXPECT_EQ(r.duration_max, 90);
  EXPECT_FALSE(ok({{"duration_max", ""}}).duration_max);
  EXPECT_EQ(error({{"duration_max", "0"}}), "invalid_duration_max");
  EXPECT_EQ(error({{"duration_max", "due ore"}}), "invalid_duration_max");
}

TEST(SearchParams, BadValuesAreNamedErrors) {
  EXPECT_EQ(error({{"page", "0"}}), "invalid_page");
  EXPECT_EQ(error({{"page", "+1"}}), "invalid_page");
  EXPECT_EQ(error({{"page", " 1"}}), "invalid_page");
  EXPECT_EQ(error({{"per_page", "101"}}), "invalid_per_page");
  EXPECT_EQ(error({{"sort", "random"}}), "invalid_sort");
  EXPECT_EQ(error({{"year", "20x"}}), "invalid_year");
  EXPECT_EQ(error({{"year_to", ""}}), "invalid_year_to");
  EXPECT_EQ(error({{"q", std::string(kMaxQueryChars + 1, 'a')}}), "query_too_long");
  EXPECT_EQ(error({{"q", "\xC3\x28"}}), "invalid_encoding");
  EXPECT_EQ(error({{"region", "\xFF"}}), "invalid_region");
  EXPECT_EQ(error({{"q", std::string(kMaxQueryChars, 'a')}}), "");
}

// A paste with line breaks and runs of spaces: read as the search box keeps
// it (one space between words), and not refused for its spaces.
TEST(SearchParams, RunsOfSpacesAreOneAndDoNotCountAgainstTheLimit) {
  EXPECT_EQ(ok({{"q", "  orti\r\n\tsociali   "}}).q, "orti sociali ");
  const std::string pasted = "orti" + std::string(3 * kMaxQueryChars, ' ') + "sociali";
  EXPECT_EQ(error({{"q", pasted}}), "");
  EXPECT_EQ(ok({{"q", pasted}}).q, "orti sociali");
  EXPECT_EQ(error({{"q", std::string(kMaxQueryChars, 'a') + "   b"}}), "query_too_long");
}

// A link with hundreds of filter values (each shown with a link holding
// them all) is refused whole, by the API and the pages alike; a q given
// twice is read as the pages read it.
TEST(SearchParams, ManyFiltersAreRefusedAndTheFirstQueryCounts) {
  Params many;
  for (std::size_t i = 0; i < kMaxFilterValues; ++i) many.emplace(i % 2 ? "theme" : "region", "v" + std::to_string(i));
  EXPECT_EQ(error(many), "");
  many.emplace("hub", "nord");
  EXPECT_EQ(error(many), "too_many_filters");
  EXPECT_TRUE(std::holds_alternative<ApiError>(lenient_search_params(many)));
  // A link's one bad value goes alone: the facet's other values still filter.
  const auto lenient = lenient_search_params({{"year", "2019"}, {"year", "abc"}, {"hub", "nord"}});
  ASSERT_TRUE(std::holds_alternative<SearchRequest>(lenient));
  EXPECT_EQ(std::get<SearchRequest>(lenient).filters.at("year"), std::vector<std::string>{"2019"});
  EXPECT_EQ(std::get<SearchRequest>(lenient).filters.at("hub"), std::vector<std::string>{"nord"});
  EXPECT_FALSE(is_facet_value("year", "abc"));
  EXPECT_TRUE(is_facet_value("theme", "non-esiste"));
  EXPECT_EQ(ok({{"q", "orti"}, {"q", std::string(kMaxQueryChars + 1, 'a')}}).q, "orti");
  EXPECT_EQ(error({{"q", "\xC3"}, {"q", "ok"}}), "invalid_encoding");
}

// The limit is the box's: characters, whatever an accent costs in bytes,
// and the message says so without talking of accents.
TEST(SearchParams, TheQueryLimitCountsCharacters) {
  std::string accented;
  for (std::size_t i = 0; i < kMaxQueryChars; ++i) accented += "\u00e0";  // 2 bytes each
  EXPECT_EQ(error({{"q", accented}}), "");
  const auto parsed = parse_search_params({{"q", accented + "a"}});
  ASSERT_TRUE(std::holds_alternative<ApiError>(parsed));
  EXPECT_EQ(std::get<ApiError>(parsed).message,
            "La ricerca è troppo lunga: accorciala a qualche parola (al massimo 500 caratteri).");
}

// A NUL, a tab or a line break pasted into the box is a space: it never
// reaches the page that echoes the query (and spaces in a row are one).
TEST(SearchParams, ControlCharactersInTheQueryAreSpaces) {
  const auto parsed = parse_search_params({{"q", std::string("orti") + '\0' + "sociali\t\x7f"}});
  ASSERT_TRUE(std::holds_alternative<SearchRequest>(parsed));
  EXPECT_EQ(std::get<SearchRequest>(parsed).q, "orti sociali ");
}

}  // namespace
}  // namespace bp::server
