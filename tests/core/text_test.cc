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

// fold() and fold_lower() take a table for Latin text and punctuation; it
// must give what ICU gives, for every code point, alone, between letters,
// and around apostrophes (the elision rule looks at its neighbours).
TEST(Fold, TableAgreesWithIcuForEveryCodePoint) {
  auto utf8 = [](char32_t c) {
    std::string s;
    if (c < 0x80) {
      s += static_cast<char>(c);
    } else if (c < 0x800) {
      s += static_cast<char>(0xC0 | (c >> 6));
      s += static_cast<char>(0x80 | (c & 0x3F));
    } else {
      s += static_cast<char>(0xE0 | (c >> 12));
      s += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
      s += static_cast<char>(0x80 | (c & 0x3F));
    }
    return s;
  };
  int compared = 0;
  for (char32_t c = 1; c < 0x3000; ++c) {
    if (c >= 0xD800) break;
    const std::string x = utf8(c);
    for (const std::string& s : {x, "a" + x + "b", "l'" + x, x + "'a", x + "\u2019" + x, "É" + x + "à",
                                 x + x + " " + x}) {
      ASSERT_EQ(fold(s), detail::fold_reference(s)) << "U+" << std::hex << static_cast<unsigned>(c);
      ASSERT_EQ(fold_lower(s), detail::fold_lower_reference(s)) << "U+" << std::hex << static_cast<unsigned>(c);
      ++compared;
    }
  }
  EXPECT_GT(compared, 10000);
  EXPECT_EQ(fold_lower("Perché l’ÆTHER ß Ÿ İ"), detail::fold_lower_reference("Perché l’ÆTHER ß Ÿ İ"));
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

TEST(Sentence, CapitalisesTheFirstLetterAccentedOrNot) {
  EXPECT_EQ(capitalised("è già iscritta"), "È già iscritta");
  EXPECT_EQ(capitalised("edizione sconosciuta"), "Edizione sconosciuta");
  EXPECT_EQ(capitalised("«orti»"), "«orti»");
  EXPECT_EQ(capitalised(""), "");
  EXPECT_EQ(sentence("edizione sconosciuta: x"), "Edizione sconosciuta: x.");
  EXPECT_EQ(sentence("è finita?"), "È finita?");
  EXPECT_EQ(sentence("vedi la guida (sezione 3)"), "Vedi la guida (sezione 3)");
}

TEST(EditDistance, TwoSwappedLettersAreOneTypo) {
  EXPECT_EQ(edit_distance("reapir", "repair"), 1);
  EXPECT_EQ(edit_distance("rcicilo", "riciclo"), 2);
  EXPECT_EQ(edit_distance("cità", "ictà"), 1);
  EXPECT_EQ(edit_distance("ab", "ba"), 1);
  EXPECT_EQ(edit_distance("abc", "ca"), 3);  // a swap is not edited again
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
  EXPECT_EQ(html_escape("città, nessun segno"), "città, nessun segno");
  std::string out = "prima ";
  append_html_escaped(&out, "a<b & c>d");
  append_html_escaped(&out, "");
  append_html_escaped(&out, "'fine'");
  EXPECT_EQ(out, "prima a&lt;b &amp; c&gt;d&#39;fine&#39;");
}

// A link's query value decodes to what was typed, as the browsers'
// URLSearchParams writes it, so a link made here and one made by the front
// end are the same URL.
TEST(FormEncode, WritesAQueryValueAsBrowsersDo) {
  EXPECT_EQ(form_encode("città e GAS"), "citt%C3%A0+e+GAS");
  EXPECT_EQ(form_encode("a&b=c?d#e/f+g"), "a%26b%3Dc%3Fd%23e%2Ff%2Bg");
  EXPECT_EQ(form_encode("*-._~"), "*-._%7E");
  EXPECT_EQ(percent_decode(form_encode("«orti»/100%?")), "«orti»/100%?");
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

TEST(CountNoun, TheNumberAsItaliansWriteItAndTheNounThatAgrees) {
  EXPECT_EQ(count_noun(1, "pratica", "pratiche"), "1 pratica");
  EXPECT_EQ(count_noun(0, "pratica", "pratiche"), "0 pratiche");
  EXPECT_EQ(count_noun(1200, "pratica", "pratiche"), "1.200 pratiche");
  EXPECT_EQ(count_noun(-2, "posto libero", "posti liberi"), "0 posti liberi");  // a difference below zero
}

// One answer for bp-server's warning and the registration desk's rules: a
// public site's name that starts with "localhost" is not this machine.
TEST(IsLocalUrl, OnlyThisMachinesHostsAreLocal) {
  for (const char* local : {"http://localhost:8080", "http://127.0.0.1", "http://[::1]:9000/", "http://user@localhost",
                            "localhost", ""})
    EXPECT_TRUE(is_local_url(local)) << local;
  for (const char* remote : {"https://localhost.example.org", "https://buonepratiche.it", "http://10.0.0.1",
                             "https://example.org/127.0.0.1", "https://127.0.0.1.example.org"})
    EXPECT_FALSE(is_local_url(remote)) << remote;
}

}  // namespace
}  // namespace bp::text
