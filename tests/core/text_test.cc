#include "bp/text.h"

#include <gtest/gtest.h>

namespace bp::text {
namespace {

TEST(Fold, RemovesItalianAccents) {
  EXPECT_EQ(fold("città perché attività più"), "citta perche attivita piu");
  EXPECT_EQ(fold("CITTÀ"), "CITTA");
}

TEST(Fold, SplitsElisionsWithStraightAndTypographicApostrophes) {
  EXPECT_EQ(fold("dell'ambiente"), "dell ambiente");
  EXPECT_EQ(fold("l’agricoltura"), "l agricoltura");
  EXPECT_EQ(fold("un'associazione"), "un associazione");
  EXPECT_EQ(fold("po' di tempo"), "po' di tempo");
}

TEST(Fold, DecomposedInputFoldsLikeComposed) {
  EXPECT_EQ(fold("citta\xCC\x80"), "citta");  // a + combining grave accent
}

TEST(Fold, InvalidUtf8DoesNotCrash) {
  EXPECT_EQ(fold("ab\xFF" "c"), "ab\xEF\xBF\xBD" "c");
}

TEST(FoldLower, LowerCases) { EXPECT_EQ(fold_lower("Comunità ENERGETICA"), "comunita energetica"); }

TEST(Utf8, FindsFirstBadByte) {
  std::size_t at = 0;
  EXPECT_TRUE(is_valid_utf8("città"));
  EXPECT_FALSE(is_valid_utf8("ab\xC3", &at));
  EXPECT_EQ(at, 2u);
}

TEST(EditDistance, CountsCodePoints) {
  EXPECT_EQ(edit_distance("economia-circulare", "economia-circolare"), 1);
  EXPECT_EQ(edit_distance("città", "citta"), 1);
  EXPECT_EQ(edit_distance("", "abc"), 3);
}

TEST(Slug, AcceptsOnlyLowercaseDashedWords) {
  EXPECT_TRUE(is_slug("gas-barriera-2023"));
  EXPECT_FALSE(is_slug("Gas-Barriera"));
  EXPECT_FALSE(is_slug("gas--barriera"));
  EXPECT_FALSE(is_slug("-gas"));
  EXPECT_FALSE(is_slug("gas_barriera"));
  EXPECT_EQ(slugify("Valle d'Aosta"), "valle-d-aosta");
  EXPECT_EQ(slugify("Friuli-Venezia Giulia"), "friuli-venezia-giulia");
}

TEST(HtmlEscape, EscapesMarkup) {
  EXPECT_EQ(html_escape("<a href=\"x\">&'"), "&lt;a href=&quot;x&quot;&gt;&amp;&#39;");
}

}  // namespace
}  // namespace bp::text

namespace bp::text {
namespace {

TEST(Lower, KeepsAccents) { EXPECT_EQ(lower("CITTÀ Perché"), "città perché"); }

TEST(DisplayForms, RecordsOnlyWordsThatFoldingChanges) {
  std::unordered_map<std::string, std::string> forms;
  collect_display_forms("La Città dell’attività, perché no? Comune e città.", &forms);
  EXPECT_EQ(forms.at("citta"), "città");
  EXPECT_EQ(forms.at("attivita"), "attività");
  EXPECT_EQ(forms.at("perche"), "perché");
  EXPECT_EQ(forms.count("comune"), 0u);
  EXPECT_EQ(forms.count("la"), 0u);
  EXPECT_EQ(forms.size(), 3u);
}

}  // namespace
}  // namespace bp::text
