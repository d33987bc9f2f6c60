#include "analyzer.h"

#include <gtest/gtest.h>

#include <random>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "bp/text.h"

namespace bp {
namespace {

std::set<std::string> terms_of(const std::string& text, const std::string& prefix = "") {
  Analyzer analyzer;
  Xapian::Document doc;
  analyzer.set_document(doc);
  analyzer.index_text(text, 1, prefix);
  analyzer.release_document();
  return {doc.termlist_begin(), doc.termlist_end()};
}

TEST(Analyzer, PluralAndSingularShareTheStemmedTerm) {
  Analyzer a;
  EXPECT_EQ(a.stem_term("riparazione"), a.stem_term("riparazioni"));
  EXPECT_EQ(a.stem_term("Riparazioni")[0], 'Z');
  EXPECT_EQ(a.stem_term("comunità"), a.stem_term("comunita"));
}

TEST(Analyzer, QueryWordsGiveTheTermsTheIndexerMade) {
  Analyzer a;
  for (const std::string word : {"Città", "proprietà", "RIPARAZIONI", "biciclette", "energetiche"}) {
    const auto terms = terms_of(word);
    const Analyzer::WordTerms w = a.terms_for(word);
    EXPECT_TRUE(terms.count(w.plain)) << word;
    EXPECT_TRUE(terms.count(w.stemmed)) << word;
  }
  EXPECT_EQ(a.terms_for("Città").plain, "citta");
}

TEST(Analyzer, StopwordsHaveNoStemmedTerm) {
  Analyzer a;
  EXPECT_EQ(a.terms_for("della").plain, "della");
  EXPECT_EQ(a.terms_for("della").stemmed, "");
  EXPECT_EQ(a.terms_for("2022").stemmed, "");
  const auto terms = terms_of("la casa della città");
  EXPECT_TRUE(terms.count("della"));  // kept for phrases
  EXPECT_FALSE(terms.count("Zdell"));
  EXPECT_FALSE(terms.count("Zdella"));
}

TEST(Analyzer, SplitsElisionsAndFoldsAccents) {
  const auto terms = terms_of("Tutela dell'ambiente, l’agricoltura e un'associazione perché sì");
  EXPECT_TRUE(terms.count("ambiente"));
  EXPECT_TRUE(terms.count("agricoltura"));
  EXPECT_TRUE(terms.count("associazione"));
  EXPECT_TRUE(terms.count("perche"));
  EXPECT_FALSE(terms.count("dell'ambiente"));
  EXPECT_FALSE(terms.count("perché"));
}

TEST(Analyzer, PrefixedFieldGetsPrefixedTerms) {
  Analyzer a;
  const auto terms = terms_of("Riparazioni", "S");
  EXPECT_TRUE(terms.count("Sriparazioni"));
  EXPECT_TRUE(terms.count("ZS" + a.stem_term("riparazioni").substr(1)));
}

TEST(Analyzer, CachingStemmerMatchesSnowball) {
  Xapian::Stem cached = make_caching_italian_stemmer(4);  // tiny: exercises eviction
  Xapian::Stem plain("italian");
  for (int round = 0; round < 2; ++round)
    for (const std::string w : {"riparazione", "riparazioni", "comunita", "energetiche", "giovani",
                                "ragazzi", "cooperativa", "cooperative"})
      EXPECT_EQ(cached(w), plain(w)) << w;
}


// Every term of `doc` with its wdf and positions, one line each.
std::string dump_terms(const Xapian::Document& doc) {
  std::ostringstream out;
  for (auto t = doc.termlist_begin(); t != doc.termlist_end(); ++t) {
    out << *t << " wdf=" << t.get_wdf() << " pos=";
    for (auto p = t.positionlist_begin(); p != t.positionlist_end(); ++p) out << *p << ',';
    out << '\n';
  }
  return out.str();
}

// One field of a document: text, wdf increment, prefix.
struct Field {
  std::string text;
  Xapian::termcount wdf_inc = 1;
  std::string prefix;
};

// The Analyzer's terms for `fields`, and those of Xapian's TermGenerator
// set up as the Analyzer describes itself (folded text, Stem("italian"),
// the Italian stopper, STEM_SOME, a gap of 100 between fields).
std::pair<std::string, std::string> both_ways(const std::vector<Field>& fields) {
  Analyzer analyzer;
  Xapian::Document ours;
  analyzer.set_document(ours);
  for (const Field& f : fields) {
    analyzer.index_text(f.text, f.wdf_inc, f.prefix);
    analyzer.separate_fields();
  }
  analyzer.release_document();

  Xapian::TermGenerator generator;
  generator.set_stemmer(Xapian::Stem("italian"));
  generator.set_stopper(&italian_stopper());
  generator.set_stemming_strategy(Xapian::TermGenerator::STEM_SOME);
  Xapian::Document theirs;
  generator.set_document(theirs);
  for (const Field& f : fields) {
    if (!f.text.empty()) generator.index_text(text::fold(f.text), f.wdf_inc, f.prefix);
    generator.increase_termpos(100);
  }
  return {dump_terms(ours), dump_terms(theirs)};
}

TEST(Analyzer, MakesTheTermsOfXapiansTermGeneratorOnTrickyText) {
  const std::string long_word(70, 'a');
  const std::vector<std::string> texts = {
      "L'Associazione dell'ambiente: un'idea per l’agricoltura, perché sì!",
      "rock'n'roll, AT&T, M&S, l'80% dei casi, all'1,5%, dell’“Europa”",
      "Città, PERCHÉ, Ökologie, naïve, ÀÉÌÒÙ àèìòù, ß, ŉ, ǅ, İstanbul",
      "3.5 3,5 1.000.000 9.99 0,9 19;90 12;30 2023-03-14 v1.2.3 10:30 1/2 ½ ² 3,a a,3 .5 5.",
      "U.S.A. P.T.O a.b.c. U.S.a U.N.C.L.E. A.B A. I.B.M.x S.p.A. s.r.l.",
      "C++ c# F# c+++ c++++ c++x a+b x#y ++ # e-mail ben-essere --- co-op",
      "https://www.example.org/pagina?id=3&lang=it mailto:info@coop.it a_b __init__",
      "emoji 🌱🌍 ♻️ ❤ ok👍bene 中文字 日本語 한국어 العربية русский ελληνικά",
      "zero\u200bwidth soft\u00adhyphen nbsp\u00a0space join\u2060er bom\ufeffx mid·dot",
      long_word + " " + long_word.substr(0, 64) + " " + long_word.substr(0, 65) + "x",
      "la casa della città e delle cose, di, da, il, lo, gli, nell, dell, un",
      "TUTTO MAIUSCOLO E MiStO, iPhone eBay McDonald's O'Neill l'UE",
      "invalid \xff\xfe bytes \xc3 and \xe2\x82 truncated \xf0\x9f\x8c",
      "tab\tnew\nline\r\ncr  spaces\x01\x02control",
      "'apostrofo iniziale' finale' ''doppi'' a''b a'&b a&'b ‘virgolette’ ʼmodifier´acute`grave",
      "numeri: ٣٤ ١٢٣ ४५६ 12٣ 1.٣ ٣.1 Ⅻ ⅻ ①②",
  };
  for (const std::string& text : texts) {
    const auto [ours, theirs] = both_ways({{text, 1, ""}});
    EXPECT_EQ(ours, theirs) << text;
  }
  // Several fields, prefixes, increments (0 too), repeated words: positions
  // continue across fields and wdf adds up per term.
  std::vector<Field> fields;
  for (std::size_t i = 0; i < texts.size(); ++i)
    fields.push_back({texts[i], static_cast<Xapian::termcount>(i % 4), i % 3 == 0 ? "S" : i % 3 == 1 ? "" : "XPLAIN"});
  fields.push_back({"Riparazioni e riparazione, RIPARAZIONI", 6, ""});
  fields.push_back({"Riparazioni e riparazione", 1, "S"});
  fields.push_back({"", 2, ""});
  const auto [ours, theirs] = both_ways(fields);
  EXPECT_EQ(ours, theirs);
}

TEST(Analyzer, MakesTheTermsOfXapiansTermGeneratorOnRandomText) {
  // Pieces that meet each other in every order: word characters of every
  // kind next to every joiner, suffix and separator.
  const std::vector<std::string> pieces = {
      "a", "Z", "è", "É", "ß", "1", "9", "0", "٣", "_", "'", "’", "&", ".", ",", ";", "+", "#", "-",
      " ", "\u200b", "·", "🌱", "中", "A.", "B", "\xff", "\xc3", "x", "della", "Città", "/", ":",
      "\u0301", "ǅ", "Ⅻ", "²"};
  std::mt19937 rng(15);
  std::uniform_int_distribution<std::size_t> pick(0, pieces.size() - 1);
  std::uniform_int_distribution<int> length(1, 40);
  for (int round = 0; round < 3000; ++round) {
    std::string text;
    for (int i = length(rng); i > 0; --i) text += pieces[pick(rng)];
    const auto [ours, theirs] = both_ways({{text, 1, ""}, {text, 2, "S"}});
    ASSERT_EQ(ours, theirs) << text;
  }
}

}  // namespace
}  // namespace bp
