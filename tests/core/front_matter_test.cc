// Front matter splitting and the YAML helpers behind the editors' checks.
#include "front_matter.h"

#include <gtest/gtest.h>

#include "yaml_practice.h"
#include "yaml_util.h"

namespace bp::detail {
namespace {

bool mentions(const Diagnostic& d, const std::string& words) {
  return d.message.find(words) != std::string::npos;
}

TEST(FrontMatter, SplitsYamlAndBodyWithLines) {
  Diagnostics d;
  auto fm = split_front_matter("---\ntitle: a\nhub: nord\n---\n\n## Contesto\n", "x.md", &d);
  ASSERT_TRUE(fm);
  EXPECT_TRUE(d.empty());
  EXPECT_EQ(fm->yaml, "title: a\nhub: nord\n");
  EXPECT_EQ(fm->open_line, 1);
  EXPECT_EQ(fm->yaml_line, 2);
  EXPECT_EQ(fm->close_line, 4);
  EXPECT_EQ(fm->body_line, 5);
  EXPECT_EQ(fm->body, "\n## Contesto\n");
}

TEST(FrontMatter, AcceptsByteOrderMarkAndCrlf) {
  const std::string text = normalise_newlines("\xEF\xBB\xBF---\r\ntitle: a\r\n---\r\nTesto\r\n");
  EXPECT_EQ(text, "---\ntitle: a\n---\nTesto\n");
  Diagnostics d;
  auto fm = split_front_matter(text, "x.md", &d);
  ASSERT_TRUE(fm);
  EXPECT_EQ(fm->yaml, "title: a\n");
  EXPECT_EQ(fm->body, "Testo\n");
  EXPECT_EQ(fm->body_line, 4);
}

TEST(FrontMatter, AcceptsDotsAndTrailingSpacesOnDelimiters) {
  Diagnostics d;
  auto fm = split_front_matter("---  \ntitle: a\n...\nTesto", "x.md", &d);
  ASSERT_TRUE(fm);
  EXPECT_EQ(fm->close_line, 3);
  EXPECT_EQ(fm->body, "Testo");
}

TEST(FrontMatter, ReportsMissingFrontMatterOnLineOne) {
  Diagnostics d;
  EXPECT_FALSE(split_front_matter("# Titolo\n\ntitle: a\n", "x.md", &d));
  ASSERT_EQ(d.size(), 1u);
  EXPECT_EQ(d[0].line, 1);
  EXPECT_TRUE(mentions(d[0], "front matter mancante"));
  EXPECT_EQ(d[0].file, "x.md");
}

TEST(FrontMatter, ReportsEmptyFileAsMissingFrontMatter) {
  Diagnostics d;
  EXPECT_FALSE(split_front_matter("", "x.md", &d));
  ASSERT_EQ(d.size(), 1u);
  EXPECT_TRUE(mentions(d[0], "front matter mancante"));
}

TEST(FrontMatter, ReportsUnterminatedFrontMatterAtTheOpeningLine) {
  Diagnostics d;
  EXPECT_FALSE(split_front_matter("---\ntitle: a\n\nTesto\n", "x.md", &d));
  ASSERT_EQ(d.size(), 1u);
  EXPECT_EQ(d[0].line, 1);
  EXPECT_TRUE(mentions(d[0], "non chiuso"));
  d.clear();
  EXPECT_FALSE(split_front_matter("---", "x.md", &d));
  EXPECT_TRUE(mentions(d.at(0), "non chiuso"));
}

TEST(FrontMatter, LineOfOffsetCountsNewlines) {
  EXPECT_EQ(line_of_offset("a\nb\nc", 0), 1);
  EXPECT_EQ(line_of_offset("a\nb\nc", 2), 2);
  EXPECT_EQ(line_of_offset("a\nb\nc", 4), 3);
  EXPECT_EQ(line_of_offset("a", 99), 1);
}

TEST(YamlUtil, ReportsEachTabIndentedLine) {
  Diagnostics d;
  EXPECT_FALSE(parse_yaml("a:\n\tb: 1\n\tc: 2\n", {"x.md", 2}, &d));
  ASSERT_EQ(d.size(), 2u);  // the parser's own error is not repeated
  EXPECT_EQ(d[0].line, 3);
  EXPECT_EQ(d[1].line, 4);
  EXPECT_TRUE(mentions(d[0], "tabulazione"));
}

TEST(YamlUtil, TabsInsideValuesAreFine) {
  Diagnostics d;
  EXPECT_TRUE(parse_yaml("a: \"x\ty\"\n", {"x.md", 2}, &d));
  EXPECT_TRUE(d.empty());
}

TEST(YamlUtil, TranslatesUnquotedColonWithHint) {
  Diagnostics d;
  EXPECT_FALSE(parse_yaml("hub: nord\ntitle: Prima: seconda\n", {"x.md", 2}, &d));
  ASSERT_EQ(d.size(), 1u);
  EXPECT_EQ(d[0].line, 3);
  EXPECT_TRUE(mentions(d[0], "YAML non valido"));
  EXPECT_TRUE(mentions(d[0], "metti il valore tra virgolette"));
}

// A quote left open is said on its own line, not on the next value's,
// where the parser notices it.
TEST(YamlUtil, AQuoteLeftOpenIsSaidOnItsLine) {
  Diagnostics d;
  EXPECT_FALSE(parse_yaml("title: \"Orti a Lecce\nsummary: \"Un orto per tutti.\"\nhub: sud\n", {"x.md", 2}, &d));
  ASSERT_EQ(d.size(), 1u);
  EXPECT_EQ(d[0].line, 2);
  EXPECT_TRUE(mentions(d[0], "le virgolette aperte in questa riga non sono chiuse")) << d[0].message;
  // A closed quote with an escaped one inside, and a value over two lines
  // in quotes, are fine.
  Diagnostics ok;
  EXPECT_TRUE(parse_yaml("title: \"Il \\\"nostro\\\" orto\"\nsummary: \"Un orto\n  per tutti.\"\nhub: sud\n",
                         {"x.md", 2}, &ok));
  EXPECT_TRUE(ok.empty());
}

// A quote inside a quoted value closes it early: the message says which
// quotes to use instead, on that line, for double and for single quotes.
TEST(YamlUtil, AQuoteInsideAQuotedValueIsToldWhichQuotesToUse) {
  Diagnostics d;
  EXPECT_FALSE(parse_yaml("hub: sud\ntitle: \"Il progetto \"Orti\" di Bari\"\n", {"x.md", 2}, &d));
  ASSERT_EQ(d.size(), 1u);
  EXPECT_EQ(d[0].line, 3);
  EXPECT_TRUE(mentions(d[0], "finisce alla seconda \" e il testo dopo non è ammesso")) << d[0].message;
  EXPECT_TRUE(mentions(d[0], "«…»")) << d[0].message;
  Diagnostics in_list;
  EXPECT_FALSE(parse_yaml("domande:\n  - \"Come fa la \"mia\" classe?\"\n", {"x.md", 2}, &in_list));
  ASSERT_EQ(in_list.size(), 1u);
  EXPECT_EQ(in_list[0].line, 3);
  EXPECT_TRUE(mentions(in_list[0], "finisce alla seconda")) << in_list[0].message;
  Diagnostics single;
  EXPECT_FALSE(parse_yaml("title: 'L'orto di tutti'\nhub: sud\n", {"x.md", 2}, &single));
  ASSERT_EQ(single.size(), 1u);
  EXPECT_EQ(single[0].line, 2);
  EXPECT_TRUE(mentions(single[0], "finisce al primo apostrofo; metti il valore tra virgolette doppie"))
      << single[0].message;
  // A doubled single quote, and a comment after the closing quote, are fine.
  Diagnostics ok;
  EXPECT_TRUE(parse_yaml("title: 'L''orto'\nsummary: \"Un orto\" # nota\n", {"x.md", 2}, &ok));
  EXPECT_TRUE(ok.empty());
}

// A field indented by mistake is the same parser error as a ':' inside an
// unquoted text; the hint is about the indentation, not the quotes.
TEST(YamlUtil, AFieldIndentedByMistakeIsToldToLoseItsSpaces) {
  Diagnostics d;
  EXPECT_FALSE(parse_yaml("hub: nord\n  region: liguria\ncity: Ne\n", {"x.md", 2}, &d));
  ASSERT_EQ(d.size(), 1u);
  EXPECT_EQ(d[0].line, 3);
  EXPECT_TRUE(mentions(d[0], "la riga di 'region' ha degli spazi all'inizio")) << d[0].message;
  EXPECT_FALSE(mentions(d[0], "virgolette")) << d[0].message;
  // A list's items and a block text are indented on purpose: not this hint.
  Diagnostics ok;
  EXPECT_TRUE(parse_yaml("themes:\n  - a\nsummary: >-\n  Testo: con due punti\n", {"x.md", 2}, &ok));
  EXPECT_TRUE(ok.empty());
  // A second ':' in an indented field's value is the text's: quotes, not
  // spaces (taking them away would break the map it belongs to).
  Diagnostics colon;
  EXPECT_FALSE(parse_yaml("contacts:\n  - name: Anna\n    role: referente: scuole\n", {"x.md", 2}, &colon));
  ASSERT_EQ(colon.size(), 1u);
  EXPECT_EQ(colon[0].line, 4);
  EXPECT_TRUE(mentions(colon[0], "metti il valore tra virgolette")) << colon[0].message;
  EXPECT_FALSE(mentions(colon[0], "spazi all'inizio")) << colon[0].message;
}

// "hub:nord": the missing space after ':' is said on that line, not on the
// next field's where YAML stumbles; times, URLs and texts are not fields.
TEST(YamlUtil, AFieldWithoutTheSpaceAfterItsColonIsToldOnItsLine) {
  for (const char* yaml :
       {"title: Orti\nhub:nord\nregion: piemonte\n", "title: Orti\nhub:nord\n\nregion: piemonte\n"}) {
    Diagnostics d;
    EXPECT_FALSE(parse_yaml(yaml, {"x.md", 2}, &d)) << yaml;
    ASSERT_EQ(d.size(), 1u) << yaml;
    EXPECT_EQ(d[0].line, 3) << yaml;
    EXPECT_TRUE(mentions(d[0], "dopo i due punti ci vuole uno spazio; scrivi 'hub: nord'")) << d[0].message;
  }
  EXPECT_EQ(spaced_field("license:CC-BY-SA-4.0"), "license: CC-BY-SA-4.0");
  EXPECT_EQ(spaced_field("url:https://example.org"), "url: https://example.org");
  for (const char* not_a_field : {"10:30", "https://example.org", "ore 10:30", "Nota:", "a::b", "role: x", "x:y: z"})
    EXPECT_EQ(spaced_field(not_a_field), "") << not_a_field;
}

// A value in typographic quotes with a ':' inside: the straight quotes are
// the ones to add, not "put it in quotes" (it looks quoted already).
TEST(YamlUtil, TypographicQuotesAreToldToBeStraight) {
  for (const char* yaml :
       {"hub: sud\ntitle: \u201CTorino: orti\u201D\n", "hub: sud\ntitle: \u00ABTorino: orti\u00BB\n"}) {
    Diagnostics d;
    EXPECT_FALSE(parse_yaml(yaml, {"x.md", 2}, &d)) << yaml;
    ASSERT_EQ(d.size(), 1u) << yaml;
    EXPECT_EQ(d[0].line, 3);
    EXPECT_TRUE(mentions(d[0], "metti tutto il valore tra virgolette diritte")) << d[0].message;
  }
}

TEST(YamlUtil, TranslatesUnclosedFlowList) {
  Diagnostics d;
  EXPECT_FALSE(parse_yaml("themes: [a, b\nhub: nord\n", {"x.md", 2}, &d));
  ASSERT_EQ(d.size(), 1u);
  EXPECT_TRUE(mentions(d[0], "manca la ']'"));
}

TEST(YamlUtil, DeepNestingIsAnErrorNotACrash) {
  Diagnostics d;
  EXPECT_FALSE(parse_yaml("title: " + std::string(100000, '[') + "\n", {"x.md", 2}, &d));
  ASSERT_EQ(d.size(), 1u);
  EXPECT_TRUE(mentions(d[0], "annidati"));
}

TEST(YamlUtil, UnknownMessagesStayReadable) {
  EXPECT_EQ(translate_yaml_error("something odd"), "YAML non valido (something odd)");
}

TEST(YamlUtil, FindsDuplicateKeysAtAnyDepth) {
  Diagnostics d;
  auto root = parse_yaml("title: a\nsummary: b\ntitle: c\ncover:\n  src: x\n  src: y\n", {"x.md", 2}, &d);
  ASSERT_TRUE(root);
  ASSERT_EQ(d.size(), 2u);
  EXPECT_EQ(d[0].line, 4);
  EXPECT_TRUE(mentions(d[0], "chiave duplicata 'title' (già alla riga 2)"));
  EXPECT_EQ(d[1].line, 7);
  EXPECT_TRUE(mentions(d[1], "'src'"));
}

TEST(YamlUtil, HttpUrls) {
  EXPECT_TRUE(is_http_url("https://example.org/a.pdf"));
  EXPECT_TRUE(is_http_url("http://example.org"));
  EXPECT_FALSE(is_http_url("https://"));
  EXPECT_FALSE(is_http_url("www.example.org"));
  EXPECT_FALSE(is_http_url("ftp://example.org"));
  EXPECT_FALSE(is_http_url("https://example.org/a b"));
}

TEST(CheckDate, AcceptsRealDatesOnly) {
  std::string why;
  EXPECT_TRUE(check_date("2023-03-14", &why));
  EXPECT_TRUE(check_date("2024-02-29", &why));
  EXPECT_FALSE(check_date("2023-02-29", &why));
  EXPECT_NE(why.find("febbraio 2023 ha 28 giorni"), std::string::npos);
  EXPECT_FALSE(check_date("2023-02-30", &why));
  EXPECT_FALSE(check_date("1900-02-29", &why));
  EXPECT_TRUE(check_date("2000-02-29", &why));
  EXPECT_FALSE(check_date("2023-13-01", &why));
  EXPECT_NE(why.find("mese"), std::string::npos);
  EXPECT_FALSE(check_date("2023-04-31", &why));
  EXPECT_FALSE(check_date("2023-00-10", &why));
  EXPECT_FALSE(check_date("14/03/2023", &why));
  EXPECT_NE(why.find("AAAA-MM-GG"), std::string::npos);
  EXPECT_FALSE(check_date("2023-3-14", &why));
  EXPECT_FALSE(check_date("", &why));
  // Dashes where digits go: the format's message, not a crash of the whole
  // check ("stoi") nor a date published as typed.
  for (const char* typed : {"2023-03---", "2023----14", "2023-3--14", "2023-03-1-", "-023-03-14", "2023-0 -14"}) {
    why.clear();
    EXPECT_FALSE(check_date(typed, &why)) << typed;
    EXPECT_NE(why.find("usa il formato AAAA-MM-GG"), std::string::npos) << typed << ": " << why;
  }
}

}  // namespace
}  // namespace bp::detail
