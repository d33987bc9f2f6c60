// The practice page's helpers without a server: durations in Italian,
// licences, the lesson sheet's view, the QR code's SVG, collection links.
#include <gtest/gtest.h>

#include "collection_page.h"
#include "practice_sections.h"
#include "qr_svg.h"

namespace bp::server {
namespace {

TEST(ItalianDuration, HoursAndMinutesAsPeopleSayThem) {
  EXPECT_EQ(italian_duration(0), "");
  EXPECT_EQ(italian_duration(1), "1 minuto");
  EXPECT_EQ(italian_duration(45), "45 minuti");
  EXPECT_EQ(italian_duration(60), "1 ora");
  EXPECT_EQ(italian_duration(90), "1 ora e 30 minuti");
  EXPECT_EQ(italian_duration(240), "4 ore");
}

TEST(LicenceInfo, NamesAndItalianDeeds) {
  EXPECT_EQ(licence_info("CC-BY-4.0").name, "CC BY 4.0");
  EXPECT_EQ(licence_info("CC0-1.0").deed_url, "https://creativecommons.org/publicdomain/zero/1.0/deed.it");
  EXPECT_EQ(licence_info("proprietaria").name, "proprietaria");
  EXPECT_EQ(licence_info("proprietaria").deed_url, "");
}

TEST(LessonSheetView, FalseWithoutDidatticaAndLabelsFromTheTaxonomy) {
  EXPECT_EQ(lesson_sheet_view(nlohmann::json::object(), Taxonomy{}), nlohmann::json(false));
  const auto view = lesson_sheet_view(
      nlohmann::json::parse(R"({"didattica": {"levels": ["primaria"], "subjects": [], "objectives": ["a"],
                                              "duration_minutes": 150,
                                              "activities": [{"title": "T", "description": "", "duration_minutes": 0}]}})"),
      Taxonomy{}, 3, "-2");
  EXPECT_EQ(view["levels"], nlohmann::json({"primaria"}));  // no vocabulary: the slug
  EXPECT_EQ(view["has_subjects"], false);
  EXPECT_EQ(view["duration"], "2 ore e 30 minuti");
  EXPECT_EQ(view["sheet_h"], "3");
  EXPECT_EQ(view["item_h"], "5");
  EXPECT_EQ(view["id_suffix"], "-2");
  EXPECT_EQ(view["activities"][0]["description"], false);
  EXPECT_EQ(view["activities"][0]["duration"], false);
}

TEST(QrSvg, DrawsAnAccessibleSvgAndRefusesTooLongTexts) {
  const std::string svg = qr_svg("https://example.org/pratiche/x", "Codice <QR> \"x\"");
  ASSERT_EQ(svg.rfind("<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"qr\"", 0), 0u);
  EXPECT_NE(svg.find("aria-label=\"Codice &lt;QR&gt; &quot;x&quot;\""), std::string::npos);
  EXPECT_NE(svg.find("<path fill=\"#000\" d=\"M"), std::string::npos);
  EXPECT_EQ(svg.substr(svg.size() - 6), "</svg>");
  EXPECT_EQ(qr_svg(std::string(5000, 'a'), "x"), "");
}

TEST(CollectionLink, RoundTripsThroughTheParser) {
  const QueryPairs pairs =
      target_query_pairs("/raccolta?titolo=Acqua+%26+rifiuti&p=a-b&n=nota+uno&p=c&n=&p=a-b&n=doppione&p=NON+valido&n=");
  const Collection c = parse_collection(pairs);
  ASSERT_EQ(c.items.size(), 2u);
  EXPECT_EQ(c.title, "Acqua & rifiuti");
  EXPECT_EQ(c.items[0].slug, "a-b");
  EXPECT_EQ(c.items[0].note, "nota uno");
  EXPECT_EQ(c.items[1].slug, "c");
  EXPECT_EQ(collection_link(c), "/raccolta?titolo=Acqua+%26+rifiuti&p=a-b&n=nota+uno&p=c&n=");
}

}  // namespace
}  // namespace bp::server
