// Snippets: the best passage, matched words in <mark>, the rest escaped.
#include "search_snippet.h"
#include "search_tokens.h"

#include <gtest/gtest.h>

#include <functional>
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
  // The editors' plain words of a hit, counting how often they are read.
  std::function<SnippetSource()> plain_words(const std::string& text) {
    plain_text_ = text;
    plain_encoded_ = encode_snippet_words(text);
    return [this] {
      ++plain_reads_;
      return SnippetSource{plain_text_, plain_encoded_};
    };
  }

  HighlightSpec spec_;
  std::string plain_text_, plain_encoded_;
  int plain_reads_ = 0;
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

// A word table that does not fit its text (a damaged record) gives some
// snippet, never a hang or a crash.
TEST_F(SnippetTest, WordsOfAnotherTextGiveASnippet) {
  spec_.terms.insert("orto");
  add_stem("lungo");
  const std::string long_word(400, 'l');
  for (const auto& [encoded, text] : std::vector<std::pair<std::string, std::string>>{
           {"xx orto", "xxxorto"},
           {"a b c orto", "abc orto"},
           {"orto " + long_word, "or " + long_word + "o"},
           {"orto", ""},
           {std::string(20, 'a') + " orto", std::string(21, 'a') + "orto"},
       }) {
    const std::string words = encode_snippet_words(encoded);
    EXPECT_NO_THROW(make_snippet("", SnippetSource{text, words}, spec_, stem_)) << encoded;
    EXPECT_NO_THROW(make_snippet("", SnippetSource{text, words}, spec_, stem_, 10)) << encoded;
  }
}

// A practice found only through the editors' plain words: its summary and
// body mark nothing, so the snippet is cut from the plain words, marked and
// escaped like any other, and says where it comes from.
TEST_F(SnippetTest, WithoutMatchesInItsTextTheSnippetComesFromThePlainWords) {
  spec_.terms.insert("pannelli");
  add_stem("tetto");
  const std::string body = "La comunità energetica produce e condivide elettricità tra i soci.";
  const std::string words = encode_snippet_words(body);
  SnippetMaker maker(spec_, stem_);
  const Snippet s = maker.make(
      "Una CER solidale.", SnippetSource{body, words},
      plain_words("Mettiamo i PANNELLI sul tetto della parrocchia <e> dividiamo l'energia & i \"costi\"."));
  EXPECT_EQ(plain_reads_, 1);
  EXPECT_TRUE(s.from_plain_words);
  EXPECT_EQ(s.html,
            "Mettiamo i <mark>PANNELLI</mark> sul <mark>tetto</mark> della parrocchia &lt;e&gt; dividiamo "
            "l&#39;energia &amp; i &quot;costi&quot;.");
}

TEST_F(SnippetTest, PlainWordsAreNotReadWhenTheTextMarksAWord) {
  spec_.terms.insert("pannelli");
  const std::string body = "Sul tetto ci sono pannelli solari.";
  const std::string words = encode_snippet_words(body);
  const auto source = plain_words("I pannelli sul tetto.");
  // In the body, then in the summary: the snippet is the one make() gives.
  for (const std::string summary : {"Una CER.", "Pannelli per tutti."}) {
    SnippetMaker maker(spec_, stem_);
    const Snippet s = maker.make(summary, SnippetSource{body, words}, source);
    EXPECT_FALSE(s.from_plain_words);
    EXPECT_EQ(s.html, make_snippet(summary, SnippetSource{body, words}, spec_, stem_));
  }
  EXPECT_EQ(plain_reads_, 0);
}

TEST_F(SnippetTest, QuestionsComeAfterThePlainWords) {
  spec_.terms.insert("bollette");
  const std::string body = "La comunità energetica.";
  const std::string words = encode_snippet_words(body);
  const std::string asked = "Come si pagano meno <bollette>? Chi aiuta le famiglie?";
  const std::string asked_words = encode_snippet_words(asked);
  auto questions = [&] { return SnippetSource{asked, asked_words}; };
  {
    // The plain words lack the word: the snippet is cut from the questions.
    SnippetMaker maker(spec_, stem_);
    const Snippet s = maker.make("Una CER.", SnippetSource{body, words}, plain_words("I pannelli sul tetto."), questions);
    EXPECT_TRUE(s.from_questions);
    EXPECT_FALSE(s.from_plain_words);
    EXPECT_EQ(s.html, "Come si pagano meno &lt;<mark>bollette</mark>&gt;? Chi aiuta le famiglie?");
  }
  // The plain words have it: they come first.
  SnippetMaker maker(spec_, stem_);
  const Snippet s = maker.make("Una CER.", SnippetSource{body, words}, plain_words("Meno bollette per tutti."), questions);
  EXPECT_TRUE(s.from_plain_words);
  EXPECT_FALSE(s.from_questions);
}

TEST_F(SnippetTest, PlainWordsWithoutAMatchLeaveTheSnippetAsItWas) {
  const std::string body = "La comunità energetica.";
  const std::string words = encode_snippet_words(body);
  const auto source = plain_words("I pannelli sul tetto.");
  {
    // No words to mark (a browse): nothing is read.
    SnippetMaker maker(spec_, stem_);
    const Snippet s = maker.make("Una CER.", SnippetSource{body, words}, source);
    EXPECT_EQ(s.html, "Una CER.");
    EXPECT_FALSE(s.from_plain_words);
    EXPECT_EQ(plain_reads_, 0);
  }
  // Words that the plain words lack either (found through a theme).
  spec_.terms.insert("orto");
  SnippetMaker maker(spec_, stem_);
  const Snippet s = maker.make("Una CER.", SnippetSource{body, words}, source);
  EXPECT_EQ(s.html, "Una CER.");
  EXPECT_FALSE(s.from_plain_words);
  // Without plain words.
  const Snippet none = maker.make("Una CER.", SnippetSource{body, words}, [] { return SnippetSource{}; });
  EXPECT_EQ(none.html, "Una CER.");
  EXPECT_FALSE(none.from_plain_words);
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

// The window is found from the words that match, then cut from the text
// around it: far into a long body, at its very end, and at its start (the
// same snippets as when every word of the body was read; bench/equivalence
// compares them over the bench mix).
TEST_F(SnippetTest, CutsTheWindowAnywhereInALongBody) {
  spec_.terms.insert("orto");
  auto repeat = [](const std::string& s, int n) {
    std::string out;
    for (int i = 0; i < n; ++i) out += s;
    return out;
  };
  const std::string before = repeat("parola ", 300);
  const std::string after = repeat(" altro", 300);
  // The matched word a third of the way in, with what follows it (it
  // stood at the window's very end, before «…»); at the text's end, the
  // room goes before it.
  EXPECT_EQ(snippet("Riassunto.", before + "Qui c’è l’orto condiviso." + after),
            "… " + repeat("parola ", 9) + "Qui c’è l’<mark>orto</mark> condiviso." + repeat(" altro", 24) + " …");
  EXPECT_EQ(snippet("Riassunto.", before + "e infine l’orto"),
            "… " + repeat("parola ", 31) + "e infine l’<mark>orto</mark>");
  EXPECT_EQ(snippet("", "Orto e" + after), "<mark>Orto</mark> e" + repeat(" altro", 39) + " …");
}

TEST_F(SnippetTest, EmptyAndOddInput) {
  EXPECT_EQ(snippet("", ""), "");
  spec_.terms.insert("a");
  EXPECT_NO_THROW(snippet("\xff\xfe città \xc3", "\x80"));
  const std::string longword(1000, 'x');
  EXPECT_NO_THROW(snippet(longword, longword, 10));
}

// "anziani" also searches the theme "Welfare di comunità" and "persone
// anziane": their words mark a passage only where they stand together, not
// «comuni» or «persone» alone. A word typed is marked anywhere.
TEST_F(SnippetTest, AnAlternativesWordsAreMarkedOnlyTogether) {
  spec_.terms.insert("anziani");
  spec_.add({"welfare", "Z" + stem_("comunita")});
  spec_.add({"Z" + stem_("persone"), "Z" + stem_("anziane")});
  EXPECT_EQ(snippet("Nei comuni montani le persone del paese accompagnano gli anziani.", ""),
            "Nei comuni montani le persone del paese accompagnano gli <mark>anziani</mark>.");
  EXPECT_EQ(snippet("Un welfare di comunità per le persone anziane.", ""),
            "Un <mark>welfare</mark> di <mark>comunità</mark> per le <mark>persone</mark> <mark>anziane</mark>.");
  // A sentence's end, or a word that is not a stopword, parts them.
  EXPECT_EQ(snippet("Più welfare. Comunità forti; welfare nuovo di comunità.", ""),
            "Più welfare. Comunità forti; welfare nuovo di comunità.");
  // In the body too (the words found at index time).
  const std::string body = "Le persone sole e gli anziani: un welfare di comunità nei comuni.";
  const std::string words = encode_snippet_words(body);
  EXPECT_EQ(make_snippet("Riassunto.", SnippetSource{body, words}, spec_, stem_),
            "Le persone sole e gli <mark>anziani</mark>: un <mark>welfare</mark> di <mark>comunità</mark> nei "
            "comuni.");
  // A practice found only through the plain words, where the words stand
  // apart: they are marked there, to say why it was found.
  Snippet apart = SnippetMaker(spec_, stem_)
                      .make("Un servizio per il paese.", SnippetSource{}, plain_words("anziane e altre persone sole"));
  EXPECT_TRUE(apart.from_plain_words);
  EXPECT_EQ(apart.html, "<mark>anziane</mark> e altre <mark>persone</mark> sole");
  // A word of an alternative that the person typed is marked anywhere.
  spec_.terms.insert("persone");
  EXPECT_EQ(snippet("Le persone del paese.", ""), "Le <mark>persone</mark> del paese.");
}

}  // namespace
}  // namespace bp::search
