// Snippets: the best passage, matched words in <mark>, the rest escaped.
#include "search_snippet.h"
#include "search_tokens.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace bp::search {
namespace {

class SnippetTest : public ::testing::Test {
 protected:
  std::string snippet(std::string_view summary, std::string_view text, std::size_t max = kSnippetBytes) {
    return make_snippet(summary, text, spec_, stem_, max);
  }
  void add_stem(const std::string& word) { spec_.terms.insert("Z" + stem_(word)); }

  HighlightSpec spec_;
  Xapian::Stem stem_{"italian"};
};

TEST_F(SnippetTest, MarksTheAccentedOriginalWord) {
  spec_.terms.insert("citta");
  EXPECT_EQ(snippet("Una città più giusta.", ""), "Una <mark>città</mark> più giusta.");
}

TEST_F(SnippetTest, MarksAccentedAndUpperCaseWordsOfTheBody) {
  // The body's words are found and folded at index time: the written words
  // (capitals, accents, elisions) are the ones marked.
  spec_.terms.insert("citta");
  spec_.terms.insert("attivita");
  add_stem("comunita");
  const std::string body = "Nella CITTÀ di Lecce, dell’Attività delle COMUNITÀ sì: Città.";
  const std::string words = encode_snippet_words(body);
  EXPECT_EQ(make_snippet("Un riassunto.", SnippetSource{body, words}, spec_, stem_),
            "Nella <mark>CITTÀ</mark> di Lecce, dell’<mark>Attività</mark> delle <mark>COMUNITÀ</mark> sì: "
            "<mark>Città</mark>.");
}

TEST_F(SnippetTest, DamagedWordsEndTheBody) {
  spec_.terms.insert("orto");
  const std::string body = "Un orto grande";
  std::string words = encode_snippet_words(body);
  words.pop_back();  // the last word's length is lost
  EXPECT_EQ(make_snippet("Riassunto.", SnippetSource{body, words}, spec_, stem_), "Un <mark>orto</mark> grande");
}

TEST(Tokens, SplitAsTheTermGeneratorDoes) {
  const std::string text = "Nel 2023 il 3,5% dell\u2019orto: citt\u00e0\u2014e\xff caffe\u0301 x_y 1.";
  const std::vector<std::string> expected = {"Nel",  "2023", "il", "3,5", "dell", "orto",
                                             "citt\u00e0", "e", "caffe\u0301", "x_y", "1"};
  EXPECT_EQ(split_words(text), expected);
  const std::vector<Token> tokens = tokenize(text);
  ASSERT_EQ(tokens.size(), expected.size());
  EXPECT_TRUE(tokens[0].ascii);
  EXPECT_FALSE(tokens[6].ascii);
  EXPECT_FALSE(tokens[8].ascii);
  EXPECT_TRUE(split_words("").empty());
  EXPECT_TRUE(split_words(" ,;\xc3").empty());  // a cut sequence is no word
}

TEST_F(SnippetTest, EscapesEverythingElse) {
  spec_.terms.insert("roll");
  EXPECT_EQ(snippet("Rock & <b>roll</b> \"sì\" l'ok", ""),
            "Rock &amp; &lt;b&gt;<mark>roll</mark>&lt;/b&gt; &quot;sì&quot; l&#39;ok");
}

TEST_F(SnippetTest, MarksThroughStemmingAndElisions) {
  add_stem("riparazioni");
  spec_.terms.insert("ambiente");
  EXPECT_EQ(snippet("La riparazione per la tutela dell’ambiente.", ""),
            "La <mark>riparazione</mark> per la tutela dell’<mark>ambiente</mark>.");
}

TEST_F(SnippetTest, MarksPrefixes) {
  spec_.prefixes.push_back("ener");
  EXPECT_EQ(snippet("Comunità energetiche.", ""), "Comunità <mark>energetiche</mark>.");
}

TEST_F(SnippetTest, StopwordsAreNotMarked) {
  spec_.terms.insert("di");
  spec_.terms.insert("orto");
  EXPECT_EQ(snippet("Orto di quartiere", ""), "<mark>Orto</mark> di quartiere");
}

TEST_F(SnippetTest, PicksThePassageWithTheMostDistinctWords) {
  spec_.terms.insert("energia");
  spec_.terms.insert("condivisa");
  std::string text;
  for (int i = 0; i < 40; ++i) text += "Una frase qualunque sull'energia. ";
  text += "Qui l'energia condivisa paga le bollette. ";
  for (int i = 0; i < 40; ++i) text += "Altre parole senza interesse. ";
  const std::string s = snippet("Il riassunto parla di energia.", text);
  EXPECT_NE(s.find("<mark>energia</mark> <mark>condivisa</mark>"), std::string::npos) << s;
  EXPECT_EQ(s.rfind("… ", 0), 0u) << s;
  EXPECT_EQ(s.substr(s.size() - 4), " …") << s;
  EXPECT_LE(s.size(), kSnippetBytes + 200);  // the marks and the escapes add bytes
}

TEST_F(SnippetTest, SummaryWinsTies) {
  spec_.terms.insert("orto");
  EXPECT_EQ(snippet("Un orto.", "Un altro orto."), "Un <mark>orto</mark>.");
}

TEST_F(SnippetTest, WithoutMatchesShowsTheStartOfTheSummary) {
  spec_.terms.insert("assente");
  std::string summary;
  for (int i = 0; i < 30; ++i) summary += "parola" + std::to_string(i) + " ";
  const std::string s = snippet(summary, "testo");
  EXPECT_EQ(s.rfind("parola0 parola1", 0), 0u);
  EXPECT_EQ(s.find("<mark>"), std::string::npos);
  EXPECT_LE(s.size(), kSnippetBytes + 4);
}

TEST_F(SnippetTest, EmptyAndOddInput) {
  EXPECT_EQ(snippet("", ""), "");
  spec_.terms.insert("a");
  EXPECT_NO_THROW(snippet("\xff\xfe città \xc3", "\x80"));
  const std::string longword(1000, 'x');
  EXPECT_NO_THROW(snippet(longword, longword, 10));
}

}  // namespace
}  // namespace bp::search
