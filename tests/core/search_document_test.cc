// Reading practices back from the document data.
#include "search_document.h"

#include <gtest/gtest.h>

namespace bp::search {
namespace {

TEST(SearchDocument, ResultFieldsMatchAFullParse) {
  nlohmann::json data = {{"slug", "orti"},
                         {"title", "Orti \"urbani\" \\ città \u00e8 😀"},
                         {"summary", "riga 1\nriga 2\t/\b\f\r"},
                         {"themes", {"a", "b"}},
                         {"sdgs", {4, 15}},
                         {"year", 2022},
                         {"cover", nullptr},
                         {"transferability", {{"level", "alta"}, {"notes", "x}]\""}}},
                         {"body_html", "<p>{[\"</p>"},
                         {"headings", {"Contesto"}},
                         {"text", "l’agricoltura \\\" fine"}};
  for (const std::string& text : {data.dump(), data.dump(2), data.dump(-1, ' ', true)}) {
    const nlohmann::json fast = parse_data(text, true);
    nlohmann::json expected = data;
    expected.erase("body_html");
    expected.erase("headings");
    expected.erase("cover");
    expected.erase("transferability");
    EXPECT_EQ(fast, expected) << text;
    EXPECT_EQ(parse_data(text), data);
  }
}

TEST(SearchDocument, SurrogatePairsAndBadInput) {
  EXPECT_EQ(parse_data(R"({"title":"\ud83d\ude00 \ud83d x"})", true)["title"], "😀 \xef\xbf\xbd x");
  EXPECT_TRUE(parse_data("not json", true).empty());
  EXPECT_TRUE(parse_data(R"({"title":"unterminated)", true).empty());
  EXPECT_TRUE(parse_data("[1,2]", true).empty());
  EXPECT_TRUE(parse_data("{}", true).empty());
}

TEST(SearchDocument, SummaryToleratesWrongTypes) {
  const PracticeSummary p = summary_from(parse_data(R"({"title":5,"themes":"x","sdgs":["7","z"],"year":"2020"})"));
  EXPECT_EQ(p.title, "5");
  EXPECT_TRUE(p.themes.empty());
  EXPECT_EQ(p.sdgs, std::vector<int>{7});
  EXPECT_EQ(p.year, 2020);
}

}  // namespace
}  // namespace bp::search
