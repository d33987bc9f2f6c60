// What the index stores of a practice: the result record and the page data.
#include "search_document.h"

#include <gtest/gtest.h>

#include <fstream>

#include "schema.h"
#include "search_snippet.h"
#include "search_test_util.h"

namespace bp::search {
namespace {

PracticeSummary sample() {
  PracticeSummary p;
  p.slug = "orti";
  p.title = "Orti \"urbani\" \\ città è 😀";
  p.summary = "riga 1\nriga 2";
  p.hub = "nord";
  p.region = "piemonte";
  p.city = "Torino";
  p.themes = {"a", "b"};
  p.dimensions = {"sociale"};
  p.sdgs = {4, 15};
  p.audience = {"giovani"};
  p.modules = {"m1"};
  p.organisation = "Cooperativa";
  p.year = 2022;
  p.date = "2023-03-14";
  p.levels = {"primaria"};
  p.subjects = {"scienze"};
  p.duration_minutes = 120;
  return p;
}

TEST(SearchDocument, ResultRecordGivesBackTheSummaryAndTheText) {
  const PracticeSummary p = sample();
  std::string text = "L’agricoltura in città è bella. ";
  for (int i = 0; i < 200; ++i) text += "Orti urbani e giardini condivisi, anno " + std::to_string(i) + ". ";
  const std::string words = encode_snippet_words(text);
  const std::string stored = encode_result(p, text, words);
  EXPECT_LT(stored.size() * 2, text.size() + words.size());  // the body is compressed
  ResultRecord r;
  std::string buffer;
  ASSERT_TRUE(decode_result(stored, &r, &buffer));
  EXPECT_EQ(r.practice.slug, p.slug);
  EXPECT_EQ(r.practice.title, p.title);
  EXPECT_EQ(r.practice.summary, p.summary);
  EXPECT_EQ(r.practice.themes, p.themes);
  EXPECT_EQ(r.practice.sdgs, p.sdgs);
  EXPECT_EQ(r.practice.year, 2022);
  EXPECT_EQ(r.practice.date, p.date);
  EXPECT_EQ(r.practice.levels, p.levels);
  EXPECT_EQ(r.practice.subjects, p.subjects);
  EXPECT_EQ(r.practice.duration_minutes, 120);
  EXPECT_EQ(r.body.text, text);
  EXPECT_EQ(r.body.words, words);
  PracticeSummary summary;
  ASSERT_TRUE(decode_summary(stored, &summary));
  EXPECT_EQ(summary.title, p.title);
  EXPECT_EQ(summary.duration_minutes, 120);
  // An empty body.
  ASSERT_TRUE(decode_result(encode_result(p, "", ""), &r, &buffer));
  EXPECT_TRUE(r.body.text.empty());
}

// The editors' plain words ride in the record, compressed apart from the
// body: a hit reads them only when its snippet needs them.
TEST(SearchDocument, ResultRecordKeepsThePlainWordsForLater) {
  const std::string text = "Il gruppo di acquisto solidale ordina dai produttori.";
  const std::string plain = "Facciamo la spesa insieme tra famiglie, dal contadino.";
  const std::string plain_words = encode_snippet_words(plain);
  const std::string stored =
      encode_result(sample(), text, encode_snippet_words(text), SnippetSource{plain, plain_words});
  ResultRecord r;
  std::string buffer, plain_buffer;
  ASSERT_TRUE(decode_result(stored, &r, &buffer));
  EXPECT_EQ(r.body.text, text);
  EXPECT_EQ(r.plain_words.text_size, plain.size());
  const SnippetSource got = unpack(r.plain_words, &plain_buffer);
  EXPECT_EQ(got.text, plain);
  EXPECT_EQ(got.words, plain_words);
  // The questions ride apart from the plain words.
  const std::string asked = "Come si fa la spesa insieme?";
  const std::string asked_words = encode_snippet_words(asked);
  ASSERT_TRUE(decode_result(encode_result(sample(), text, encode_snippet_words(text), SnippetSource{plain, plain_words},
                                          SnippetSource{asked, asked_words}),
                            &r, &buffer));
  EXPECT_EQ(unpack(r.plain_words, &plain_buffer).text, plain);
  std::string asked_buffer;
  EXPECT_EQ(unpack(r.questions, &asked_buffer).text, asked);
  EXPECT_EQ(unpack(r.questions, &asked_buffer).words, asked_words);
  // Without plain words there is nothing to unpack.
  ASSERT_TRUE(decode_result(encode_result(sample(), text, encode_snippet_words(text)), &r, &buffer));
  EXPECT_EQ(r.plain_words.size, 0u);
  EXPECT_EQ(r.questions.size, 0u);
  EXPECT_TRUE(unpack(r.plain_words, &plain_buffer).text.empty());
  // A damaged block gives nothing rather than garbage.
  ASSERT_TRUE(decode_result(stored, &r, &buffer));
  PackedText damaged = r.plain_words;
  damaged.packed = damaged.packed.substr(0, damaged.packed.size() / 2);
  EXPECT_TRUE(unpack(damaged, &plain_buffer).text.empty());
}

TEST(SearchDocument, OldOrDamagedDataIsNotARecord) {
  ResultRecord r;
  std::string buffer;
  // The JSON document data of schema 4.
  EXPECT_FALSE(decode_result(R"({"slug":"orti","title":"Orti"})", &r, &buffer));
  EXPECT_FALSE(decode_result("", &r, &buffer));
  const std::string text = "testo del corpo, testo del corpo, testo del corpo";
  const std::string data = encode_result(sample(), text, encode_snippet_words(text));
  for (std::size_t cut = 1; cut < data.size(); ++cut) {
    EXPECT_FALSE(decode_result(std::string_view(data).substr(0, cut), &r, &buffer)) << cut;
    EXPECT_TRUE(r.body.text.empty() && r.body.words.empty()) << cut;
  }
  // The record of schemas 5 to 8 (version 1), whose body was not compressed.
  std::string old = data;
  old[0] = 1;
  EXPECT_FALSE(decode_result(old, &r, &buffer));
  EXPECT_FALSE(decode_summary(old, &r.practice));
}

TEST(SearchDocument, PageDataComesBackWholeWithTheText) {
  const nlohmann::json page = {{"slug", "orti"},
                               {"title", "Orti"},
                               {"body_html", "<p>Un orto in città</p>"},
                               {"headings", {"Contesto"}},
                               {"cover", nullptr}};
  Xapian::Document doc;
  doc.add_value(schema::kSlotPage, encode_page(page, "Un orto in città"));
  doc.add_value(schema::kSlotResult,
                encode_result(sample(), "Un orto in città", encode_snippet_words("Un orto in città")));
  nlohmann::json expected = page;
  expected["text"] = "Un orto in città";
  EXPECT_EQ(page_data(doc), expected);
  EXPECT_EQ(summary_of(doc).title, sample().title);
  EXPECT_TRUE(page_data(Xapian::Document()).empty());
}

TEST(SearchDocument, PageDataIsStoredAsReferencesIntoTheBodyText) {
  // Forty paragraphs of words that do not repeat (letters from an LCG).
  std::string text, html;
  unsigned seed = 12345;
  for (int p = 0; p < 40; ++p) {
    std::string paragraph;
    for (int w = 0; w < 12; ++w) {
      for (int c = 0; c < 6; ++c) {
        seed = seed * 1103515245u + 12345u;
        paragraph += static_cast<char>('a' + (seed >> 16) % 26);
      }
      paragraph += ' ';
    }
    text += paragraph + "\n";
    html += "<p>" + paragraph + "</p>\n";
  }
  const nlohmann::json page = {{"slug", "orti"}, {"body_html", html}};
  const std::string with_text = encode_page(page, text);
  // Without the text as dictionary the body is stored once more, compressed.
  EXPECT_LT(with_text.size() * 2, encode_page(page, "").size());
  Xapian::Document doc;
  doc.add_value(schema::kSlotPage, with_text);
  doc.add_value(schema::kSlotResult, encode_result(sample(), text, encode_snippet_words(text)));
  EXPECT_EQ(page_data(doc)["body_html"], html);
  // Next to another record's text it cannot be read: no page data at all.
  doc.add_value(schema::kSlotResult,
                encode_result(sample(), "altro testo", encode_snippet_words("altro testo")));
  EXPECT_FALSE(page_data(doc).contains("body_html"));
}

TEST(SearchDocument, AnIndexOfAnOlderSchemaIsRefusedWithAClearMessage) {
  bp::test_util::TempDir dir("bp-old-index");
  testing::build(testing::fixture_library(), dir.path() / "index");
  std::string current;
  std::getline(std::ifstream(dir.path() / "index" / std::string(schema::kCurrentFile)), current);
  {
    Xapian::WritableDatabase db((dir.path() / "index" / current).string(), Xapian::DB_OPEN);
    db.set_metadata(std::string(schema::kMetaSchema), "4");
    db.commit();
  }
  auto opened = Searcher::open(dir.path() / "index", testing::load_taxonomy(testing::fixture_library()));
  ASSERT_FALSE(opened.ok());
  EXPECT_NE(opened.status().message().find("schema version 4"), std::string::npos) << opened.status().message();
  EXPECT_NE(opened.status().message().find("rebuild it"), std::string::npos) << opened.status().message();
  // bp-index build then rebuilds it, and it is searchable again.
  testing::build(testing::fixture_library(), dir.path() / "index");
  EXPECT_TRUE(Searcher::open(dir.path() / "index", testing::load_taxonomy(testing::fixture_library())).ok());
}

TEST(SearchDocument, SummaryToleratesWrongTypes) {
  const PracticeSummary p = summary_from(nlohmann::json::parse(R"({"title":5,"themes":"x","sdgs":["7","z"],"year":"2020"})"));
  EXPECT_EQ(p.title, "5");
  EXPECT_TRUE(p.themes.empty());
  EXPECT_EQ(p.sdgs, std::vector<int>{7});
  EXPECT_EQ(p.year, 2020);
}

}  // namespace
}  // namespace bp::search
