// The searcher on the fixture library (tests/fixtures/library/README.md
// lists what it holds and the counts used below).
#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <iterator>
#include <cctype>

#include <random>
#include <thread>
#include <set>

#include <nlohmann/json.hpp>

#include "search_test_util.h"

namespace bp {
namespace {

using testing::contains;
using testing::in_top;
using testing::slugs;

class SearchTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new bp::test_util::TempDir("bp-search-test");
    testing::build(testing::fixture_library(), dir_->path() / "index");
    taxonomy_ = new Taxonomy(testing::load_taxonomy(testing::fixture_library()));
  }
  static void TearDownTestSuite() {
    delete dir_;
    delete taxonomy_;
  }
  void SetUp() override {
    auto s = Searcher::open(dir_->path() / "index", *taxonomy_);
    ASSERT_TRUE(s.ok()) << s.status().message();
    searcher_ = std::move(*s);
  }

  SearchResponse run(SearchRequest request) {
    auto r = searcher_->search(request);
    EXPECT_TRUE(r.ok()) << r.status().message();
    return r.ok() ? *r : SearchResponse{};
  }
  SearchResponse query(const std::string& q) {
    SearchRequest request;
    request.q = q;
    return run(request);
  }
  // The word completions (kind "term") of the first 8 suggestions.
  std::vector<std::string> terms_for(const std::string& typed) {
    std::vector<std::string> terms;
    auto r = searcher_->suggest(typed, 8);
    EXPECT_TRUE(r.ok()) << typed;
    if (r.ok())
      for (const auto& s : *r)
        if (s.kind == "term") terms.push_back(s.text);
    return terms;
  }

  static bp::test_util::TempDir* dir_;
  static Taxonomy* taxonomy_;
  std::unique_ptr<Searcher> searcher_;
};

bp::test_util::TempDir* SearchTest::dir_ = nullptr;
Taxonomy* SearchTest::taxonomy_ = nullptr;

TEST_F(SearchTest, EmptyQueryBrowsesEverythingNewestFirst) {
  const auto r = query("");
  EXPECT_EQ(r.total, 10u);
  ASSERT_EQ(r.results.size(), 10u);
  EXPECT_EQ(r.results.front().practice.slug, "servizio-civile-lecce");  // 2023-12-01
  for (std::size_t i = 1; i < r.results.size(); ++i)
    EXPECT_GE(r.results[i - 1].practice.date, r.results[i].practice.date);
  EXPECT_EQ(r.facets.at("hub").at("nord"), 4u);
}

TEST_F(SearchTest, AccentlessQueryFindsAccentedWords) {
  EXPECT_TRUE(in_top(query("perche"), "orti-scuole-torino", 1));
  const auto r = query("poverta");
  EXPECT_TRUE(contains(slugs(r), "cer-pinerolese"));
}

TEST_F(SearchTest, AccentedQueryFindsTheSame) {
  EXPECT_EQ(slugs(query("città")), slugs(query("citta")));
  EXPECT_GE(query("città").total, 3u);
}

TEST_F(SearchTest, ElisionsAreSplit) {
  EXPECT_TRUE(contains(slugs(query("dell'ambiente")), "repair-cafe-milano"));
  EXPECT_TRUE(in_top(query("l’agricoltura"), "orti-scuole-torino", 3));
  EXPECT_TRUE(in_top(query("l'agricoltura"), "orti-scuole-torino", 3));
}

// The page names a concept as it was typed: «gruppi d'acquisto», not the
// folded «gruppi d acquisto».
TEST_F(SearchTest, AConceptWithAnElisionKeepsItsApostrophe) {
  const auto r = query("gruppi d'acquisto");
  EXPECT_TRUE(in_top(r, "gas-barriera-torino", 3));
  EXPECT_EQ(r.interpretation.expanded.count("gruppi d acquisto"), 0u);
  ASSERT_EQ(r.interpretation.expanded.count("gruppi d'acquisto"), 1u);
  // Not expanded with its own words.
  for (const auto& alt : r.interpretation.expanded.at("gruppi d'acquisto")) EXPECT_NE(alt, "gruppi d'acquisto");
  const auto relaxed = query("gruppi d'acquisto ciclofficina");
  ASSERT_TRUE(relaxed.interpretation.relaxed);
  EXPECT_TRUE(contains(relaxed.interpretation.dropped, "gruppi d'acquisto"));
}

TEST_F(SearchTest, StemmingMatchesPluralAndSingular) {
  const auto r = query("riparazioni");
  EXPECT_TRUE(contains(slugs(r), "repair-cafe-milano"));
  EXPECT_TRUE(contains(slugs(r), "riparazioni-sartoria-napoli"));
}

TEST_F(SearchTest, LastWordIsAPrefix) {
  const auto r = query("comunità ener");
  EXPECT_TRUE(in_top(r, "cer-solidale-lecce", 3));
  EXPECT_TRUE(in_top(query("biciclet"), "ciclofficina-firenze", 3));
  // Followed by a space, the word is complete: no prefix expansion.
  EXPECT_EQ(query("biciclet ").total, 0u);
}

TEST_F(SearchTest, AcronymSynonyms) {
  const auto gas = query("gas");
  EXPECT_TRUE(in_top(gas, "gas-barriera-torino", 1));
  const auto cer = query("cer");
  EXPECT_TRUE(in_top(cer, "cer-pinerolese", 2));
  EXPECT_TRUE(in_top(cer, "cer-solidale-lecce", 2));
  // The long form finds the acronym's practice too.
  EXPECT_TRUE(in_top(query("gruppi di acquisto"), "gas-barriera-torino", 3));
  EXPECT_FALSE(gas.interpretation.synonyms.empty());
  // Written with dots, as on a letterhead: the same acronym, not the
  // letters «c», «e» and «r» (which matched every practice with an «r…»).
  const auto dotted = query("C.E.R.");
  EXPECT_EQ(dotted.total, cer.total);
  EXPECT_TRUE(in_top(dotted, "cer-pinerolese", 2));
  EXPECT_EQ(dotted.interpretation.required, std::vector<std::string>{"cer"});
  EXPECT_EQ(query("g.a.s").total, gas.total);
}

TEST_F(SearchTest, EnglishThemeLabelFindsTheItalianPractices) {
  // taxonomy.yaml's label_en is a search synonym of the theme.
  const auto r = query("circular economy");
  EXPECT_TRUE(in_top(r, "repair-cafe-milano", 3));
  EXPECT_TRUE(in_top(r, "riparazioni-sartoria-napoli", 3));
  EXPECT_NE(std::find(r.interpretation.synonyms.begin(), r.interpretation.synonyms.end(),
                      "Economia circolare"),
            r.interpretation.synonyms.end());
}

TEST_F(SearchTest, AnEnglishTranslationLeadsToTheItalianWordNotBack) {
  // A synonym group that only translates a word of the library into
  // English words the library never uses: the English word finds the
  // practices of the Italian one, and the Italian word is searched as
  // itself ("sartoria" is not also searched as "tailoring").
  std::ifstream in(testing::fixture_library() / "taxonomy.yaml");
  std::string yaml((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const std::string groups = "\nsynonyms:\n";
  ASSERT_NE(yaml.find(groups), std::string::npos);
  yaml.replace(yaml.find(groups), groups.size(), groups + "  - [sartoria, tailoring]\n");
  auto translated = Taxonomy::from_yaml(yaml, "taxonomy.yaml", nullptr);
  ASSERT_TRUE(translated.has_value());
  auto opened = Searcher::open(dir_->path() / "index", *translated);
  ASSERT_TRUE(opened.ok());
  auto search = [&](const std::string& q) {
    SearchRequest request;
    request.q = q;
    auto r = (*opened)->search(request);
    EXPECT_TRUE(r.ok());
    return r.ok() ? *r : SearchResponse{};
  };
  const auto english = search("tailoring");
  EXPECT_TRUE(in_top(english, "riparazioni-sartoria-napoli", 1));
  EXPECT_TRUE(contains(english.interpretation.synonyms, "sartoria"));
  const auto italian = search("sartoria");
  EXPECT_TRUE(in_top(italian, "riparazioni-sartoria-napoli", 1));
  EXPECT_FALSE(contains(italian.interpretation.synonyms, "tailoring"));
}

TEST_F(SearchTest, ReportedSynonymsAreWordsNotIndexTerms) {
  // A server whose taxonomy predates the index (an editor just added a
  // synonym group) still matches through the index's own synonym table,
  // whose stemmed keys ("Zrius") must not be shown to people as synonyms.
  auto stale = Taxonomy::from_yaml("hubs: []\n", "taxonomy.yaml", nullptr);
  ASSERT_TRUE(stale.has_value());
  auto opened = Searcher::open(dir_->path() / "index", *stale);
  ASSERT_TRUE(opened.ok());
  SearchRequest request;
  request.q = "riuso";
  const auto r = (*opened)->search(request);
  ASSERT_TRUE(r.ok());
  EXPECT_FALSE(r->interpretation.synonyms.empty());
  for (const auto& s : r->interpretation.synonyms)
    EXPECT_FALSE(s.size() > 1 && s[0] == 'Z' && std::islower(static_cast<unsigned char>(s[1]))) << s;
}

TEST_F(SearchTest, CorrectionKeepsTheTypedFirstLetter) {
  // "locali" and "sociali" are both one edit from "socali".
  const auto r = query("orti socali");
  ASSERT_EQ(r.interpretation.corrected.count("socali"), 1u);
  EXPECT_EQ(r.interpretation.corrected.at("socali"), "sociali");
}

// A misspelling inside the name of a concept ("orti socali") is searched as
// the corrected query: the concept with its synonyms, the same answer as
// typed right, not a word and a guess at another.
TEST_F(SearchTest, AMisspelledConceptNameAnswersAsTheCorrectedQuery) {
  for (const auto& [typed, right] :
       {std::pair{"orti socali", "orti sociali"}, std::pair{"comunita energeticha", "comunita energetica"},
        std::pair{"economia circolre", "economia circolare"}}) {
    const auto r = query(typed);
    const auto expected = query(right);
    EXPECT_FALSE(r.interpretation.corrected.empty()) << typed;
    EXPECT_EQ(r.interpretation.required, expected.interpretation.required) << typed;
    EXPECT_EQ(r.interpretation.synonyms, expected.interpretation.synonyms) << typed;
    ASSERT_EQ(r.total, expected.total) << typed;
    for (std::size_t i = 0; i < r.results.size(); ++i)
      EXPECT_EQ(r.results[i].practice.slug, expected.results[i].practice.slug) << typed << " #" << i;
    ASSERT_TRUE(r.suggestion.has_value()) << typed;
  }
}

// Words typed together that the library writes apart are split
// ("serviziocivile": "servizio civile"), and said as a correction; words
// typed apart that it writes as one are met by that word ("dopo scuola":
// "doposcuola").
TEST_F(SearchTest, WordsTypedTogetherOrApartMeetTheLibrarysSpelling) {
  auto r = query("serviziocivile");
  ASSERT_EQ(r.interpretation.corrected.count("serviziocivile"), 1u);
  EXPECT_EQ(r.interpretation.corrected.at("serviziocivile"), "servizio civile");
  ASSERT_TRUE(r.suggestion.has_value());
  EXPECT_EQ(*r.suggestion, "servizio civile");
  EXPECT_TRUE(in_top(r, "servizio-civile-lecce", 1));
  // Its parts are both required: a practice with one of them only is not
  // found ("servizio" alone is in other practices).
  EXPECT_LT(r.total, query("servizio").total);
  r = query("dopo scuola");
  EXPECT_TRUE(in_top(r, "servizio-civile-lecce", 1));
  ASSERT_EQ(r.interpretation.expanded.count("dopo scuola"), 1u);
  EXPECT_EQ(r.interpretation.expanded.at("dopo scuola"), std::vector<std::string>{"doposcuola"});
}

TEST_F(SearchTest, SuggestionsShowWordsWithTheirAccents) {
  // "poverta" and "citta" are the folded index terms of "povertà", "città".
  const auto r = query("povrtà");
  ASSERT_TRUE(r.suggestion.has_value());
  EXPECT_EQ(*r.suggestion, "povertà");
  // So does the correction the page states: «povrtà» into «povertà».
  EXPECT_EQ(r.interpretation.corrected.at("povrta"), "povertà");
  auto completions = searcher_->suggest("citt");
  ASSERT_TRUE(completions.ok());
  bool written = false, folded = false;
  for (const auto& c : *completions) {
    if (c.kind != "term") continue;
    written = written || c.text == "città";
    folded = folded || c.text == "citta";
  }
  EXPECT_TRUE(written);
  EXPECT_FALSE(folded);
}

TEST_F(SearchTest, MisspelledWordIsCorrected) {
  const auto r = query("agricoltira");
  EXPECT_TRUE(in_top(r, "orti-scuole-torino", 3));
  EXPECT_EQ(r.interpretation.corrected.at("agricoltira"), "agricoltura");
  ASSERT_TRUE(r.suggestion.has_value());
  EXPECT_EQ(*r.suggestion, "agricoltura");
  // The concept is named as searched, so "not in every result" and a
  // result's missing words never repeat the typo the page says it fixed.
  EXPECT_EQ(r.interpretation.required, std::vector<std::string>{"agricoltura"});

  const auto two = query("comunita energeticha");
  EXPECT_TRUE(in_top(two, "cer-solidale-lecce", 3));
  EXPECT_EQ(two.interpretation.corrected.count("energeticha"), 1u);
  ASSERT_TRUE(two.suggestion.has_value());
  EXPECT_EQ(two.suggestion->find("energeticha"), std::string::npos);
}

// A word of four letters with a letter left out, most often one of a
// double («aqua» for «acqua», «pezi» for «pezzi»), is corrected; no other
// edit is tried on so short a word, and the typed first letter stays.
TEST_F(SearchTest, AFourLetterWordWithALetterLeftOutIsCorrected) {
  const auto r = query("pezi");
  ASSERT_EQ(r.interpretation.corrected.count("pezi"), 1u);
  EXPECT_EQ(r.interpretation.corrected.at("pezi"), "pezzi");
  EXPECT_TRUE(in_top(r, "ciclofficina-firenze", 3));
  EXPECT_TRUE(query("ezzi").interpretation.corrected.empty()) << "a first letter is never added";
}

TEST_F(SearchTest, NoSuggestionWhenNothingIsMisspelled) {
  const auto r = query("emporio");
  EXPECT_FALSE(r.suggestion.has_value());
  EXPECT_TRUE(r.interpretation.corrected.empty());
}

TEST_F(SearchTest, LongQuestionIsRelaxed) {
  const auto r = query("come possono i ragazzi del quartiere imparare a sistemare una bicicletta rotta");
  EXPECT_TRUE(in_top(r, "ciclofficina-firenze", 3));
  EXPECT_TRUE(r.interpretation.relaxed);
  EXPECT_FALSE(r.interpretation.dropped.empty());
}

TEST_F(SearchTest, QuestionWordsAreNotRequired) {
  // "come posso aprire" says nothing about the practice sought: without
  // those words the question is "tessera punti emporio", which one practice has.
  const auto r = query("come posso aprire un emporio con la tessera a punti?");
  ASSERT_FALSE(r.results.empty());
  EXPECT_EQ(r.results.front().practice.slug, "emporio-solidale-perugia");
  EXPECT_NE(std::find(r.interpretation.ignored.begin(), r.interpretation.ignored.end(), "posso"),
            r.interpretation.ignored.end());
  EXPECT_NE(std::find(r.interpretation.ignored.begin(), r.interpretation.ignored.end(), "aprire"),
            r.interpretation.ignored.end());
  // A query of question words only still searches them.
  EXPECT_TRUE(query("come posso").interpretation.ignored.empty());
  // The verb of a how-to question says what to do, which the practice
  // tells in its own words: it is not required either.
  const auto how = query("come si trasforma un emporio con la tessera a punti?");
  ASSERT_FALSE(how.results.empty());
  EXPECT_EQ(how.results.front().practice.slug, "emporio-solidale-perugia");
  EXPECT_NE(std::find(how.interpretation.ignored.begin(), how.interpretation.ignored.end(), "trasforma"),
            how.interpretation.ignored.end());
}

// A greeting or a thanks around the request is no word to find: «salve»
// matched «salva», «ciao» made every result say «Non contiene: «ciao»».
TEST_F(SearchTest, GreetingsAroundARequestAreNotSearched) {
  const auto plain = query("emporio con la tessera a punti");
  const auto r = query("Salve, buongiorno! Un emporio con la tessera a punti? Cordiali saluti");
  ASSERT_FALSE(r.results.empty());
  EXPECT_EQ(r.results.front().practice.slug, "emporio-solidale-perugia");
  EXPECT_EQ(r.total, plain.total);
  EXPECT_TRUE(r.results.front().missing.empty());
  for (const char* w : {"salve", "buongiorno", "cordiali", "saluti"})
    EXPECT_NE(std::find(r.interpretation.ignored.begin(), r.interpretation.ignored.end(), w),
              r.interpretation.ignored.end())
        << w;
}

TEST_F(SearchTest, TextingShorthandIsReadAsTheWordItStandsFor) {
  // On a phone "x" is "per", "ke" "che", "nn" "non": before, each was a
  // word to find, the query was relaxed and every result said it lacked it.
  const std::pair<const char*, const char*> shorthand[] = {
      {"x", "per"},   {"ke", "che"},     {"xke", "perché"}, {"xche", "perché"}, {"pk", "perché"},
      {"nn", "non"},  {"anke", "anche"}, {"xo", "però"},    {"qnd", "quando"},  {"qlcs", "qualcosa"},
      {"cm", "come"}, {"dv", "dove"},    {"sn", "sono"},    {"qnt", "quanto"}};
  for (const auto& [short_form, word] : shorthand) {
    const auto typed = query(std::string("emporio ") + short_form + " famiglie");
    const auto written = query(std::string("emporio ") + word + " famiglie");
    ASSERT_FALSE(written.results.empty()) << word;
    ASSERT_EQ(typed.results.size(), written.results.size()) << short_form;
    for (std::size_t i = 0; i < typed.results.size(); ++i) {
      EXPECT_EQ(typed.results[i].practice.slug, written.results[i].practice.slug) << short_form;
      EXPECT_EQ(typed.results[i].missing, written.results[i].missing) << short_form;
    }
    EXPECT_EQ(typed.interpretation.relaxed, written.interpretation.relaxed) << short_form;
    EXPECT_EQ(typed.interpretation.required, written.interpretation.required) << short_form;
  }
  // "cm" opens a how-to question as "come" does: its verb is left out.
  const auto how = query("come posso recuperare il cibo");
  const auto cm = query("cm posso recuperare il cibo");
  EXPECT_TRUE(testing::contains(how.interpretation.ignored, "recuperare"));
  EXPECT_EQ(cm.interpretation.required, how.interpretation.required);
  EXPECT_EQ(slugs(cm), slugs(how));
}

TEST_F(SearchTest, AWordTypedTwiceCountsOnce) {
  // Before, each repetition was a clause of its own: the results lacking
  // "orto" said so twice, the repeated words weighed double, and a query
  // that repeated its words up to the length limit read their postings a
  // hundred times.
  const auto twice = query("orto orto lecce lecce biciclette");
  const auto once = query("orto lecce biciclette");
  ASSERT_FALSE(once.results.empty());
  ASSERT_TRUE(once.interpretation.relaxed);
  EXPECT_EQ(twice.interpretation.dropped, once.interpretation.dropped);
  ASSERT_EQ(twice.results.size(), once.results.size());
  for (std::size_t i = 0; i < once.results.size(); ++i) {
    EXPECT_EQ(twice.results[i].practice.slug, once.results[i].practice.slug) << i;
    EXPECT_EQ(twice.results[i].missing, once.results[i].missing) << once.results[i].practice.slug;
  }
  // The question's words typed twice are named once among the ignored.
  EXPECT_EQ(query("come come posso posso fare un orto").interpretation.ignored,
            query("come posso fare un orto").interpretation.ignored);
}

TEST_F(SearchTest, AVeryLongQueryIsReadUpToItsSixteenthWordAndSaysWhatItLeft) {
  // Each content word is a clause whose postings are read: a pasted
  // paragraph cost as much as a hundred queries. It is read up to its
  // kMaxQueryWords-th distinct content word (stopwords and question words
  // do not count), and the answer names the words it did not search, once
  // each, leaving out those it had read already ("orto").
  static_assert(kMaxQueryWords == 16);
  const std::string read =
      "come posso fare un orto a scuola a torino con energia solare della comunita, la riparazione di "
      "bicicletta nel quartiere per famiglie in poverta, cibo e spreco, volontari giovani e lavoro";
  const auto whole = query(read + " sartoria orto microcredito sartoria");
  const auto head = query(read);
  EXPECT_EQ(whole.interpretation.unread, (std::vector<std::string>{"sartoria", "microcredito"}));
  EXPECT_TRUE(head.interpretation.unread.empty());
  ASSERT_FALSE(head.results.empty());
  EXPECT_EQ(whole.interpretation.dropped, head.interpretation.dropped);
  ASSERT_EQ(whole.results.size(), head.results.size());
  for (std::size_t i = 0; i < head.results.size(); ++i)
    EXPECT_EQ(whole.results[i].practice.slug, head.results[i].practice.slug) << i;
  // A short query reads every word.
  EXPECT_TRUE(query("orto torino microcredito").interpretation.unread.empty());
}

TEST_F(SearchTest, AnEnglishConceptDoesNotClaimToCorrectItsWords) {
  // "solidarity purchasing group" is found through the purchasing groups'
  // English name, not through "solidarietà": the answer said it had
  // corrected "solidarity" into it, and offered "solidarietà purchasing
  // group" as "did you mean", a query that finds less.
  const auto r = query("solidarity purchasing group");
  ASSERT_FALSE(r.results.empty());
  EXPECT_EQ(r.results.front().practice.slug, "gas-barriera-torino");
  EXPECT_EQ(r.interpretation.corrected.count("solidarity"), 0u);
  EXPECT_FALSE(r.suggestion.has_value()) << *r.suggestion;
  // Alone, the word is still read as the Italian word it resembles.
  EXPECT_EQ(query("solidarity").interpretation.corrected.count("solidarity"), 1u);
}

TEST_F(SearchTest, EnglishNearMeAndHowToVerbsAreNotRequired) {
  // "near me" was two words to find: "repair cafe near me" was relaxed and
  // its results said they lacked "near" and "me".
  const auto near = query("repair cafe near me");
  const auto plain = query("repair cafe");
  ASSERT_FALSE(plain.results.empty());
  ASSERT_EQ(near.results.size(), plain.results.size());
  EXPECT_EQ(near.results.front().practice.slug, plain.results.front().practice.slug);
  EXPECT_FALSE(near.interpretation.relaxed);
  for (const auto& hit : near.results) EXPECT_TRUE(hit.missing.empty()) << hit.practice.slug;
  // "start" of "how to start…" says what to do, as "avviare" does: it
  // was translated to "via" (a street) and searched.
  const auto how = query("how to start a repair cafe");
  EXPECT_NE(std::find(how.interpretation.ignored.begin(), how.interpretation.ignored.end(), "start"),
            how.interpretation.ignored.end());
  EXPECT_EQ(how.interpretation.expanded.count("start"), 0u);
  ASSERT_FALSE(how.results.empty());
  EXPECT_EQ(how.results.front().practice.slug, plain.results.front().practice.slug);
}

TEST_F(SearchTest, AWordForWhatTheLibraryHoldsIsNotRequired) {
  // "pratiche a lecce", "esperienze di riparazione": every case file is a
  // practice, an experience; only those that say the word were found.
  for (const char* q : {"pratiche a lecce", "esperienze a lecce", "progetti a lecce", "iniziative a lecce"}) {
    const auto r = query(q);
    const auto place = query("lecce");
    ASSERT_FALSE(place.results.empty());
    ASSERT_EQ(r.results.size(), place.results.size()) << q;
    for (std::size_t i = 0; i < r.results.size(); ++i)
      EXPECT_EQ(r.results[i].practice.slug, place.results[i].practice.slug) << q;
    EXPECT_EQ(r.interpretation.required, std::vector<std::string>{"lecce"}) << q;
  }
  // Alone, the word is still searched.
  EXPECT_EQ(query("esperienze").interpretation.required, std::vector<std::string>{"esperienze"});
}

TEST_F(SearchTest, TheNounOfAHowToQuestionIsWhatItAsksFor) {
  // "come si fa un orto?": "fa" is the verb; "orto", after an article, is
  // the thing asked for, not a verb to leave out.
  const auto r = query("come si fa un orto?");
  ASSERT_FALSE(r.results.empty());
  EXPECT_EQ(r.results.front().practice.slug, "orti-scuole-torino");
  EXPECT_EQ(std::find(r.interpretation.ignored.begin(), r.interpretation.ignored.end(), "orto"),
            r.interpretation.ignored.end());
}

TEST_F(SearchTest, AddingAWordNeverHidesTheBestMatch) {
  // "tessera" finds the emporio; with a word it lacks, found by one other
  // practice only, the AND finds nothing and both stay in the answer.
  ASSERT_EQ(query("tessera").results.front().practice.slug, "emporio-solidale-perugia");
  const auto r = query("tessera microcredito");
  EXPECT_TRUE(contains(slugs(r), "emporio-solidale-perugia"));
  EXPECT_TRUE(contains(slugs(r), "microcredito-roma"));
  EXPECT_TRUE(r.interpretation.relaxed);
}

// A relaxed answer says, for each practice, which of the words it has
// nowhere ("Non contiene: …" on the page): the emporio lacks
// "microcredito", the microcredit practice lacks "tessera"; a strict
// answer, whose practices have every word, says nothing.
TEST_F(SearchTest, ARelaxedAnswerSaysWhichWordsEachPracticeLacks) {
  const auto r = query("tessera microcredito");
  ASSERT_TRUE(r.interpretation.relaxed);
  auto missing_of = [&](const std::string& slug) {
    for (const auto& hit : r.results)
      if (hit.practice.slug == slug) return hit.missing;
    ADD_FAILURE() << slug << " not in the answer";
    return std::vector<std::string>{};
  };
  EXPECT_EQ(missing_of("emporio-solidale-perugia"), std::vector<std::string>{"microcredito"});
  EXPECT_EQ(missing_of("microcredito-roma"), std::vector<std::string>{"tessera"});
  for (const auto& hit : query("tessera").results) EXPECT_TRUE(hit.missing.empty()) << hit.practice.slug;
}

TEST_F(SearchTest, QueryThatFindsEnoughIsNotRelaxed) {
  const auto r = query("contesto risultati");  // two headings every practice has
  EXPECT_GE(r.total, 3u);
  EXPECT_FALSE(r.interpretation.relaxed);
  EXPECT_TRUE(r.interpretation.dropped.empty());
}

TEST_F(SearchTest, RelaxedResultsKeepFullMatchesFirst) {
  // One practice has both words: relaxed to fill the page, it stays first.
  const auto r = query("tessera punti");
  ASSERT_FALSE(r.results.empty());
  EXPECT_EQ(r.results.front().practice.slug, "emporio-solidale-perugia");
}

TEST_F(SearchTest, OrNotAndPhrases) {
  const auto either = query("microcredito OR ciclofficina");
  EXPECT_EQ(either.total, 2u);
  const auto both = query("microcredito ciclofficina");
  EXPECT_TRUE(both.interpretation.relaxed || both.total == 0);

  const auto all = query("famiglie");
  const auto minus = query("famiglie -emporio");
  const auto not_ = query("famiglie NOT emporio");
  EXPECT_LT(minus.total, all.total);
  EXPECT_EQ(minus.total, not_.total);
  EXPECT_FALSE(contains(slugs(minus), "emporio-solidale-perugia"));
  EXPECT_FALSE(contains(slugs(minus), "gas-barriera-torino"));
  // "-l'emporio", "-dell'emporio": the minus is the word's, not the elided
  // article's (the apostrophe is a space by the time words are read).
  EXPECT_EQ(slugs(query("famiglie -l'emporio")), slugs(minus));
  EXPECT_EQ(slugs(query("famiglie -dell\u2019emporio")), slugs(minus));
  EXPECT_FALSE(query("famiglie -l'emporio").interpretation.relaxed);
  EXPECT_EQ(slugs(query("famiglie -un'emporio")), slugs(minus));
  // A stray minus before a letter or a function word excludes nothing: «-d»
  // left out every practice that writes «d'acqua» (a tester).
  for (const char* stray : {"famiglie -d", "famiglie -il", "famiglie -e"}) {
    const auto r = query(stray);
    EXPECT_EQ(slugs(r), slugs(all)) << stray;
    EXPECT_EQ(r.interpretation.ignored.size(), 1u) << stray;
  }

  EXPECT_EQ(slugs(query("\"energia condivisa\"")).size(), 2u);
  const auto phrase = query("\"tetti pubblici\"");
  EXPECT_EQ(slugs(phrase), std::vector<std::string>{"cer-pinerolese"});
  EXPECT_EQ(query("\"pubblici tetti\"").total, 0u);
}

TEST_F(SearchTest, FiltersOrWithinAndAcross) {
  SearchRequest r;
  r.filters["hub"] = {"nord", "centro"};
  EXPECT_EQ(run(r).total, 7u);
  r.filters["hub"] = {"nord"};
  r.filters["dimension"] = {"sociale"};
  const auto both = run(r);
  EXPECT_EQ(both.total, 2u);
  EXPECT_TRUE(contains(slugs(both), "gas-barriera-torino"));
  EXPECT_TRUE(contains(slugs(both), "orti-scuole-torino"));
  r.filters["hub"] = {"atlantide"};
  EXPECT_EQ(run(r).total, 0u);
}

TEST_F(SearchTest, YearRange) {
  SearchRequest r;
  r.year_from = 2022;
  EXPECT_EQ(run(r).total, 5u);
  r.year_to = 2022;
  EXPECT_EQ(run(r).total, 3u);
}

TEST_F(SearchTest, DisjunctiveFacetCounts) {
  SearchRequest r;
  r.filters["hub"] = {"nord"};
  auto a = run(r);
  EXPECT_EQ(a.total, 4u);
  EXPECT_EQ(a.facets["hub"], (std::map<std::string, std::uint64_t>{{"nord", 4}, {"centro", 3}, {"sud", 3}}));
  EXPECT_EQ(a.facets["dimension"],
            (std::map<std::string, std::uint64_t>{{"ambientale", 3}, {"economica", 3}, {"sociale", 2}}));

  r.filters["dimension"] = {"sociale"};
  auto b = run(r);
  EXPECT_EQ(b.total, 2u);
  EXPECT_EQ(b.facets["hub"], (std::map<std::string, std::uint64_t>{{"nord", 2}, {"centro", 1}, {"sud", 3}}));
  EXPECT_EQ(b.facets["dimension"],
            (std::map<std::string, std::uint64_t>{{"ambientale", 3}, {"economica", 3}, {"sociale", 2}}));
  // Multi-valued facets count every value: gas-barriera-torino and
  // orti-scuole-torino have four audiences between them.
  EXPECT_EQ(b.facets["audience"], (std::map<std::string, std::uint64_t>{
                                      {"volontari", 1}, {"operatori", 1}, {"docenti", 1}, {"studenti", 1}}));
}

TEST_F(SearchTest, WholeIndexFacetCounts) {
  auto counts = searcher_->facet_counts();
  ASSERT_TRUE(counts.ok());
  EXPECT_EQ(counts->at("region").at("piemonte"), 3u);
  EXPECT_EQ(counts->at("sdg").at("12"), 3u);
  EXPECT_EQ(counts->at("theme").at("economia-circolare"), 3u);
  EXPECT_EQ(searcher_->document_count(), 10u);
  // Same numbers as a search that matches everything with the spy.
  SearchRequest r;
  r.q = "";
  r.year_from = 0;
  EXPECT_EQ(run(r).facets["year"].at("2022"), 3u);
}

TEST_F(SearchTest, SortByDateAndTitle) {
  SearchRequest r;
  r.q = "quartiere";
  r.sort = SortOrder::kDate;
  auto by_date = run(r);
  ASSERT_GE(by_date.results.size(), 3u);
  for (std::size_t i = 1; i < by_date.results.size(); ++i)
    EXPECT_GE(by_date.results[i - 1].practice.date, by_date.results[i].practice.date);
  r.sort = SortOrder::kTitle;
  r.q = "";
  auto by_title = run(r);
  ASSERT_EQ(by_title.results.size(), 10u);
  EXPECT_EQ(by_title.results.front().practice.slug, "cer-solidale-lecce");  // "Comunità energetica..."
  EXPECT_EQ(by_title.results.back().practice.slug, "cer-pinerolese");       // "Una CER..."
}

TEST_F(SearchTest, ExactTotalAndPaging) {
  SearchRequest r;
  r.per_page = 3;
  r.page = 4;
  auto last = run(r);
  EXPECT_EQ(last.total, 10u);
  EXPECT_EQ(last.results.size(), 1u);
  r.page = 5;
  EXPECT_TRUE(run(r).results.empty());
  std::set<std::string> seen;
  for (int page = 1; page <= 4; ++page) {
    r.page = page;
    for (const auto& s : slugs(run(r))) seen.insert(s);
  }
  EXPECT_EQ(seen.size(), 10u);
}

TEST_F(SearchTest, SnippetsMarkTheOriginalWords) {
  // Followed by a space: the word itself, not the prefix of "cittadini".
  const auto r = query("citta ");
  ASSERT_FALSE(r.results.empty());
  for (const auto& hit : r.results)
    EXPECT_NE(hit.snippet_html.find("<mark>città</mark>"), std::string::npos) << hit.snippet_html;

  const auto stem = query("riparazioni");
  for (const auto& hit : stem.results) {
    if (hit.practice.slug == "repair-cafe-milano") {
      EXPECT_NE(hit.snippet_html.find("<mark>ripar"), std::string::npos) << hit.snippet_html;
    }
  }
  const auto gas = query("gas");
  ASSERT_FALSE(gas.results.empty());
  EXPECT_NE(gas.results[0].snippet_html.find("<mark>acquisto</mark>"), std::string::npos)
      << gas.results[0].snippet_html;
  const auto prefix = query("bicic");
  ASSERT_FALSE(prefix.results.empty());
  EXPECT_NE(prefix.results[0].snippet_html.find("<mark>bici"), std::string::npos);
  const auto typo = query("agricoltira");
  ASSERT_FALSE(typo.results.empty());
  EXPECT_NE(typo.results[0].snippet_html.find("<mark>agricoltura</mark>"), std::string::npos)
      << typo.results[0].snippet_html;
}

TEST_F(SearchTest, Suggest) {
  auto s = searcher_->suggest("ripar", 8);
  ASSERT_TRUE(s.ok());
  bool term = false;
  bool title = false;
  for (const auto& x : *s) {
    if (x.kind == "term" && x.text.rfind("ripar", 0) == 0) term = true;
    if (x.kind == "title" && x.slug == "riparazioni-sartoria-napoli") title = true;
  }
  EXPECT_TRUE(term);
  EXPECT_TRUE(title);
  // After the theme of that name (SuggestionsOfferTheThemeWhoseNameIsTyped),
  // the first title.
  auto accents = searcher_->suggest("comunità ener", 8);
  ASSERT_TRUE(accents.ok());
  auto first_title = std::find_if(accents->begin(), accents->end(), [](const Suggestion& x) { return x.kind == "title"; });
  ASSERT_NE(first_title, accents->end());
  EXPECT_EQ(first_title->slug, "cer-solidale-lecce");
  EXPECT_LE(searcher_->suggest("e", 8)->size(), 8u);
}

// A short last word begins words of many titles ("so": four titles with
// "solidale" or "sociale"): two titles lead the list, then the words, so the
// person still sees "solidale" and "sociale" to complete what they type.
TEST_F(SearchTest, TwoTitlesLeadTheListThenTheWords) {
  auto s = searcher_->suggest("so", 8);
  ASSERT_TRUE(s.ok());
  std::string list;
  for (const auto& x : *s) list += x.kind + ": " + x.text + "\n";
  const auto first_term = std::find_if(s->begin(), s->end(), [](const Suggestion& x) { return x.kind == "term"; });
  ASSERT_NE(first_term, s->end()) << list;
  EXPECT_EQ(first_term - s->begin(), 2) << list;
  EXPECT_EQ(s->front().kind, "title") << list;
  bool solidale = false;
  bool sociale = false;
  for (auto it = first_term; it != s->end(); ++it) {
    solidale = solidale || (it->kind == "term" && it->text == "solidale");
    sociale = sociale || (it->kind == "term" && it->text == "sociale");
  }
  EXPECT_TRUE(solidale && sociale) << list;
}

// After a space, the list offers the phrases of the practices' titles and
// summaries that continue the words typed ("comunità energetica " ->
// "comunità energetica solidale"), written as the library writes them,
// those in most practices with the other words typed first; after a
// preposition typed too, what follows it ("gruppo di " -> "gruppo di
// acquisto").
TEST_F(SearchTest, AfterASpaceTheListOffersWhatFollowsTheWordsTyped) {
  auto terms_for = [&](const std::string& typed) {
    std::vector<std::string> out;
    auto s = searcher_->suggest(typed, 8);
    EXPECT_TRUE(s.ok());
    if (s.ok())
      for (const auto& x : *s)
        if (x.kind == "term") out.push_back(x.text);
    return out;
  };
  auto has = [](const std::vector<std::string>& v, const std::string& x) {
    return std::find(v.begin(), v.end(), x) != v.end();
  };
  const auto energy = terms_for("comunita energetica ");
  EXPECT_TRUE(has(energy, "comunità energetica solidale")) << ::testing::PrintToString(energy);
  EXPECT_TRUE(has(energy, "comunità energetica rinnovabile")) << ::testing::PrintToString(energy);
  const auto group = terms_for("gruppo di ");
  EXPECT_TRUE(has(group, "gruppo di acquisto")) << ::testing::PrintToString(group);
  // With another word typed before, the phrase of its practice first:
  // Lecce's is "solidale", the Pinerolese's "rinnovabile".
  const auto lecce = terms_for("lecce comunità energetica ");
  ASSERT_FALSE(lecce.empty());
  EXPECT_EQ(lecce.front(), "lecce comunità energetica solidale") << ::testing::PrintToString(lecce);
  // Without the space, the last word is still being typed: no phrase.
  for (const std::string& t : terms_for("comunità energetica")) EXPECT_NE(t, "comunità energetica solidale");
}

// A theme is offered while its name is typed, before titles and words: by
// its label ("comunità ener"), by another of its names from the second
// word on ("pannelli sol") or whole ("gas"); never by one word that only
// begins another name ("pannelli"), nor a theme with no practice.
TEST_F(SearchTest, SuggestionsOfferTheThemeWhoseNameIsTyped) {
  auto themes_for = [&](const std::string& typed) {
    std::vector<std::string> slugs;
    auto r = searcher_->suggest(typed, 8);
    EXPECT_TRUE(r.ok()) << typed;
    if (r.ok())
      for (const auto& s : *r)
        if (s.kind == "theme") slugs.push_back(s.slug);
    return slugs;
  };
  auto first = searcher_->suggest("comunità ener", 8);
  ASSERT_TRUE(first.ok());
  ASSERT_FALSE(first->empty());
  EXPECT_EQ(first->front().kind, "theme");
  EXPECT_EQ(first->front().slug, "comunita-energetiche");
  EXPECT_EQ(first->front().text, "Comunità energetiche rinnovabili");
  EXPECT_EQ(themes_for("comunita ENER"), std::vector<std::string>{"comunita-energetiche"});
  EXPECT_EQ(themes_for("pannelli sol"), std::vector<std::string>{"comunita-energetiche"});
  EXPECT_EQ(themes_for("gas"), std::vector<std::string>{"gruppi-di-acquisto-solidale"});
  EXPECT_TRUE(themes_for("pannelli").empty());
  EXPECT_TRUE(themes_for("co").empty());
}

TEST_F(SearchTest, SuggestionsCompleteWithWordsThatGoWithTheTypedOnes) {
  // After "spreco", the completion that follows it in the practices comes
  // first, and function words ("almeno", "alcuni", "altri") never come.
  auto r = searcher_->suggest("spreco al", 20);
  ASSERT_TRUE(r.ok());
  std::vector<std::string> terms;
  for (const auto& s : *r)
    if (s.kind == "term") terms.push_back(s.text);
  ASSERT_FALSE(terms.empty());
  EXPECT_EQ(terms.front(), "spreco alimentare");
  for (const char* function_word : {"spreco almeno", "spreco alcuni", "spreco alcune", "spreco altri", "spreco altro"})
    EXPECT_FALSE(contains(terms, function_word)) << function_word;
}

// When no practice has every word typed before the last one (a long
// question, or two concepts at once), the completions are the words that
// go with most of them, not nothing: "bicibus a scuola e spreco al" still
// offers "spreco alimentare", though no practice has both a bicibus and
// food waste.
TEST_F(SearchTest, SuggestionsCompleteWhenNoPracticeHasEveryWordTyped) {
  const std::vector<std::string> two = terms_for("bicibus a scuola e spreco al");
  ASSERT_FALSE(two.empty());
  EXPECT_EQ(two.front(), "bicibus a scuola e spreco alimentare") << ::testing::PrintToString(two);
  const std::vector<std::string> question = terms_for("come posso aiutare il mio quartiere a ridurre lo spreco al");
  ASSERT_FALSE(question.empty());
  EXPECT_EQ(question.front(), "come posso aiutare il mio quartiere a ridurre lo spreco alimentare")
      << ::testing::PrintToString(question);
}

// When no completion occurs with any word typed before (no practice of
// the fixture has microcredit and an "ort…" word), the commonest words that
// complete the last one are offered, as after it alone, not nothing.
TEST_F(SearchTest, SuggestionsCompleteWhenNothingGoesWithTheWordsTyped) {
  const std::vector<std::string> alone = terms_for("ort");
  const std::vector<std::string> after = terms_for("microcredito ort");
  ASSERT_FALSE(after.empty());
  ASSERT_FALSE(alone.empty());
  for (const std::string& t : after) EXPECT_EQ(t.rfind("microcredito ort", 0), 0u) << t;
  EXPECT_EQ(after.front(), "microcredito " + alone.front()) << ::testing::PrintToString(after);
}

// Right after an article, the completions that agree with it in number
// (and, after "la", in gender) come first: "i pr" offers "prestiti",
// "prodotti", "produttori" before "primo"; "il pr" offers "primo" before
// "prestiti"; "la sc" "scuola", "le sc" "scuole". A word that does not
// agree is still offered, after them.
TEST_F(SearchTest, SuggestionsAfterAnArticleAgreeWithIt) {
  const std::vector<std::string> plural = terms_for("i pr");
  ASSERT_GE(plural.size(), 4u) << ::testing::PrintToString(plural);
  for (std::size_t k = 0; k < 3; ++k) EXPECT_EQ(plural[k].back(), 'i') << ::testing::PrintToString(plural);
  const std::vector<std::string> singular = terms_for("il pr");
  ASSERT_FALSE(singular.empty());
  EXPECT_NE(singular.front().back(), 'i') << ::testing::PrintToString(singular);
  const auto primo = std::find(singular.begin(), singular.end(), "il primo");
  const auto prestiti = std::find(singular.begin(), singular.end(), "il prestiti");
  EXPECT_LT(primo - singular.begin(), prestiti - singular.begin()) << ::testing::PrintToString(singular);
  const std::vector<std::string> school = terms_for("la sc");
  ASSERT_FALSE(school.empty());
  EXPECT_EQ(school.front(), "la scuola") << ::testing::PrintToString(school);
  const std::vector<std::string> schools = terms_for("le sc");
  ASSERT_FALSE(schools.empty());
  EXPECT_EQ(schools.front(), "le scuole") << ::testing::PrintToString(schools);
}

// After a word that asks for a verb (a modal verb, "come", "fare"), the
// infinitives come first: "posso pa" offers "pagare" before "pacco", the
// commonest completion of "pa" alone, and "come re" "restituire". (The
// Italian thesaurus, mythes-it, says which words are infinitives.)
TEST_F(SearchTest, SuggestionsAfterAModalVerbOfferTheInfinitiveFirst) {
  const std::vector<std::string> alone = terms_for("pa");
  ASSERT_FALSE(alone.empty());
  EXPECT_NE(alone.front(), "pagare");
  const std::vector<std::string> pay = terms_for("posso pa");
  ASSERT_FALSE(pay.empty());
  EXPECT_EQ(pay.front(), "posso pagare") << ::testing::PrintToString(pay);
  const std::vector<std::string> give_back = terms_for("come re");
  ASSERT_FALSE(give_back.empty());
  EXPECT_EQ(give_back.front(), "come restituire") << ::testing::PrintToString(give_back);
}

// After English words, the taxonomy's English phrases complete the last
// one ("carbon fo" -> "carbon footprint"), and the library's Italian words
// that merely share a practice with an English word are not offered ("bike
// sh" -> "bike sharing", not "bike sharing" then "bike shampoo"…). An
// Italian lead keeps the library's completions. (Hunspell's Italian
// dictionary, hunspell-it, says which words are Italian.)
TEST_F(SearchTest, SuggestionsAfterEnglishWordsContinueTheGlossarysPhrases) {
  EXPECT_EQ(terms_for("carbon fo"), std::vector<std::string>{"carbon footprint"});
  EXPECT_EQ(terms_for("bike sh"), std::vector<std::string>{"bike sharing"});
  EXPECT_EQ(terms_for("citizen sc"), std::vector<std::string>{"citizen science"});
  const std::vector<std::string> italian = terms_for("spreco al");
  ASSERT_FALSE(italian.empty());
  EXPECT_EQ(italian.front(), "spreco alimentare");
}

// A misspelled word typed before does not silence the completions of the
// next one: they go with its correction and the other words typed
// ("comunità enregetica rin" offers "rinnovabili"), or are the commonest
// ("fatoria so" offers "sociale").
TEST_F(SearchTest, SuggestionsCompleteAfterAMisspelledWord) {
  const std::vector<std::string> after = terms_for("comunità enregetica rin");
  EXPECT_TRUE(std::any_of(after.begin(), after.end(),
                          [](const std::string& t) { return t.rfind("comunità energetica rinnovabil", 0) == 0; }))
      << ::testing::PrintToString(after);
  // Here the correction of "fatoria" goes with no completion of "so": the
  // typo is left out of the counts and shown as typed.
  const std::vector<std::string> alone = terms_for("fatoria so");
  ASSERT_FALSE(alone.empty());
  EXPECT_EQ(alone.front(), "fatoria sociale");
  // The misspelled word counts, and is shown, as the search corrects it: after "gruppo
  // aquisto" ("acquisto") comes "solidale", which goes with "acquisto" in
  // the practices, before "sociale", commoner with "gruppo" alone.
  const std::vector<std::string> respelled = terms_for("gruppo aquisto so");
  ASSERT_FALSE(respelled.empty());
  EXPECT_EQ(respelled.front(), "gruppo acquisto solidale") << ::testing::PrintToString(respelled);
}

TEST_F(SearchTest, PracticeWithRelated) {
  auto page = searcher_->practice("cer-pinerolese");
  ASSERT_TRUE(page.ok()) << page.status().message();
  EXPECT_EQ(page->practice.title, "Una CER nel Pinerolese tra comuni, parrocchie e cooperative");
  EXPECT_NE(page->body_html.find("<h2"), std::string::npos);
  EXPECT_NE(page->json.find("\"hub\":\"nord\""), std::string::npos);
  ASSERT_FALSE(page->related.empty());
  EXPECT_LE(page->related.size(), 5u);
  EXPECT_EQ(page->related.front().slug, "cer-solidale-lecce");
  for (const auto& p : page->related) EXPECT_NE(p.slug, "cer-pinerolese");

  EXPECT_EQ(searcher_->practice("non-esiste").status().code(), Code::kNotFound);
  EXPECT_EQ(searcher_->practice("../etc/passwd").status().code(), Code::kNotFound);
}

TEST_F(SearchTest, PracticePageHasTheWholeFrontMatterAndAHitTheSameSummary) {
  // The page data lives apart from what a hit reads: both must still agree.
  auto page = searcher_->practice("cer-pinerolese");
  ASSERT_TRUE(page.ok()) << page.status().message();
  const auto json = nlohmann::json::parse(page->json);
  for (const char* field : {"contacts", "resources", "results", "license", "tags", "cover", "related", "headings", "path"})
    EXPECT_TRUE(json.contains(field)) << field;
  EXPECT_FALSE(json.contains("body_html"));
  EXPECT_FALSE(json.contains("text"));
  EXPECT_GT(page->body_html.size(), 200u);
  SearchResponse r = query("pinerolese");
  auto hit = std::find_if(r.results.begin(), r.results.end(),
                          [](const SearchHit& h) { return h.practice.slug == "cer-pinerolese"; });
  ASSERT_NE(hit, r.results.end());
  EXPECT_EQ(hit->practice.title, page->practice.title);
  EXPECT_EQ(hit->practice.summary, page->practice.summary);
  EXPECT_EQ(hit->practice.themes, page->practice.themes);
  EXPECT_EQ(hit->practice.sdgs, page->practice.sdgs);
  EXPECT_EQ(hit->practice.year, page->practice.year);
  EXPECT_NE(hit->snippet_html.find("<mark>"), std::string::npos) << hit->snippet_html;
}

TEST_F(SearchTest, BadRequestsAreInvalidArguments) {
  SearchRequest r;
  r.page = 0;
  EXPECT_EQ(searcher_->search(r).status().code(), Code::kInvalidArgument);
  r.page = 1;
  r.per_page = 101;
  EXPECT_EQ(searcher_->search(r).status().code(), Code::kInvalidArgument);
  r.per_page = 10;
  r.q = std::string(kMaxQueryChars + 1, 'a');
  EXPECT_EQ(searcher_->search(r).status().code(), Code::kInvalidArgument);
  r.q = "";
  r.filters["colore"] = {"rosso"};
  EXPECT_EQ(searcher_->search(r).status().code(), Code::kInvalidArgument);
}

TEST_F(SearchTest, HugePageIsEmptyNotAnError) {
  SearchRequest r;
  r.page = 2000000000;
  r.per_page = 100;
  auto res = run(r);
  EXPECT_TRUE(res.results.empty());
  EXPECT_EQ(res.total, 10u);
}

TEST_F(SearchTest, OddQueriesNeverFail) {
  const std::vector<std::string> odd = {
      "\"", "\"\"", "-", "+", "OR", "NOT", "AND", "OR OR", "-\"", "a OR", "NOT NOT x", "--x", "++x",
      "\"unclosed phrase", "((", "*", "x*", "\xff\xfe", "città\xc3", "l'", "'", "’’", "-citta",
      "-\"energia condivisa\"", "OR citta", "di la il", std::string(500, '"'), "\t\n", "a|b", "||"};
  for (const auto& q : odd) {
    SearchRequest r;
    r.q = q;
    auto res = searcher_->search(r);
    EXPECT_TRUE(res.ok()) << q << ": " << res.status().message();
    EXPECT_TRUE(searcher_->suggest(q, 8).ok()) << q;
  }
  std::mt19937 rng(42);
  const std::string alphabet = "aeiouctrnls \"'-+ORNT|àèé’\xff";
  for (int i = 0; i < 500; ++i) {
    std::string q;
    const int len = static_cast<int>(rng() % 40);
    for (int k = 0; k < len; ++k) q += alphabet[rng() % alphabet.size()];
    SearchRequest r;
    r.q = q;
    EXPECT_TRUE(searcher_->search(r).ok()) << q;
    EXPECT_TRUE(searcher_->suggest(q, 8).ok()) << q;
  }
}

// Operators with nothing to join or exclude are the words typed: "AND OR
// NOT" does not list the whole library as if nothing had been asked, and
// the answer says which words it searched.
TEST_F(SearchTest, OperatorsAloneAreSearchedAsWords) {
  SearchRequest everything;
  const std::uint64_t all = run(everything).total;
  for (const std::string q : {"AND OR NOT", "NOT", "OR", "AND AND"}) {
    const auto r = query(q);
    EXPECT_LT(r.total, all) << q;
    EXPECT_FALSE(r.interpretation.required.empty() && r.interpretation.dropped.empty()) << q;
  }
  // With a word, they still work as operators.
  EXPECT_EQ(query("NOT citta").interpretation.required, std::vector<std::string>{});
}

TEST_F(SearchTest, RequiredWordIsNeverDropped) {
  const auto r = query("+microcredito ciclofficina");
  EXPECT_TRUE(r.interpretation.relaxed);
  EXPECT_EQ(r.interpretation.dropped, std::vector<std::string>{"ciclofficina"});
  EXPECT_EQ(slugs(r), std::vector<std::string>{"microcredito-roma"});
}

TEST_F(SearchTest, CommonestWordIsDroppedFirst) {
  // "quartiere" is in most practices, "tessera" in one: relaxing keeps the rare word.
  const auto r = query("tessera quartiere");
  ASSERT_FALSE(r.interpretation.dropped.empty());
  EXPECT_EQ(r.interpretation.dropped.front(), "quartiere");
  EXPECT_EQ(r.results.front().practice.slug, "emporio-solidale-perugia");
}

TEST_F(SearchTest, SearchersOnSeveralThreads) {
  // One Searcher per thread, as the server runs them; they share the
  // facet cache of the index.
  std::vector<std::thread> threads;
  std::vector<int> failures(4, 0);
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([t, &failures] {
      auto s = Searcher::open(dir_->path() / "index", *taxonomy_);
      if (!s.ok()) {
        ++failures[t];
        return;
      }
      for (int i = 0; i < 20; ++i) {
        SearchRequest r;
        r.q = i % 2 ? "citta " : "";
        r.filters["hub"] = {"nord"};
        auto res = (*s)->search(r);
        if (!res.ok() || res->facets["hub"]["nord"] != (i % 2 ? 2u : 4u)) ++failures[t];
        (*s)->refresh();
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(failures, std::vector<int>(4, 0));
}

TEST(SearcherOpen, MissingIndexIsNotFound) {
  Taxonomy taxonomy;
  auto s = Searcher::open("/nonexistent/bp-index", taxonomy);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.status().code(), Code::kNotFound);
}

}  // namespace
}  // namespace bp
