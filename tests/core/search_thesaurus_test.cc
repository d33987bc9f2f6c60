// The Italian thesaurus in search (core/src/search_thesaurus.h): an everyday
// word the library never uses finds the practice through its synonyms, and
// the answer says so; acronyms match only as typed.
#include "search_thesaurus.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <set>

#include "analyzer.h"
#include "schema.h"
#include "search_extras.h"
#include "search_query.h"
#include "search_synonyms.h"
#include "search_test_util.h"

namespace bp {
namespace {

using search::Thesaurus;
using search::ThesaurusFiles;
using testing::in_top;

bool has(const std::vector<std::string>& v, const std::string& s) {
  return std::find(v.begin(), v.end(), s) != v.end();
}

TEST(Thesaurus, MissingFilesGiveAWarningAndNoAlternatives) {
  ThesaurusFiles files;
  files.mythes_idx = "/nonexistent/th_it_IT_v2.idx";
  files.mythes_dat = "/nonexistent/th_it_IT_v2.dat";
  std::string warning;
  auto t = Thesaurus::open(files, &warning);
  ASSERT_NE(t, nullptr);
  EXPECT_FALSE(t->loaded());
  EXPECT_NE(warning.find("mythes-it"), std::string::npos) << warning;
  EXPECT_TRUE(t->alternatives("vecchio")->empty());
}

TEST(Thesaurus, InflectedWordReachesItsEntry) {
  const Thesaurus& t = Thesaurus::shared();
  if (!t.loaded()) GTEST_SKIP() << "mythes-it is not installed";
  // "vecchi" is not an entry: Hunspell gives its lemma "vecchio".
  const auto alternatives = t.alternatives("vecchi");
  const bool anziano = std::any_of(alternatives->begin(), alternatives->end(),
                                   [](const auto& a) { return a.phrase == "anziano"; });
  EXPECT_TRUE(anziano);
  // Cached: the same list again.
  EXPECT_EQ(t.alternatives("vecchi").get(), alternatives.get());
}

TEST(Thesaurus, AlteredWordHasItsBase) {
  const Thesaurus& t = Thesaurus::shared();
  if (!t.loaded()) GTEST_SKIP() << "mythes-it is not installed";
  // Diminutives: the base word, with the same number first.
  ASSERT_FALSE(t.altered_bases("giardinetto").empty());
  EXPECT_EQ(t.altered_bases("giardinetto").front(), "giardino");
  ASSERT_FALSE(t.altered_bases("orticelli").empty());
  EXPECT_EQ(t.altered_bases("orticelli").front(), "orti");
  // A word the thesaurus lists as an entry of its own is not an alteration
  // ("giardinetta" is a car, not a small garden).
  EXPECT_TRUE(t.altered_bases("giardinetta").empty());
  // Not an altered form at all.
  EXPECT_TRUE(t.altered_bases("energia").empty());
}

TEST(Thesaurus, CloseEntriesAreSpellingsOfAMisspelledWord) {
  const Thesaurus& t = Thesaurus::shared();
  if (!t.loaded() || !t.has_dictionary()) GTEST_SKIP() << "mythes-it or hunspell-it is not installed";
  const auto found = t.close_entries("riciclagio", 2);
  ASSERT_FALSE(found.empty());
  EXPECT_EQ(found.front(), "riciclaggio");
  // Folded: "povertà" is written with its accent, and Hunspell knows it so.
  const auto poverty = t.close_entries("poverra", 1);
  EXPECT_NE(std::find(poverty.begin(), poverty.end(), "poverta"), poverty.end());
  // Never the word itself; nothing with no edit allowed.
  const auto own = t.close_entries("riciclaggio", 1);
  EXPECT_EQ(std::find(own.begin(), own.end(), "riciclaggio"), own.end());
  EXPECT_TRUE(t.close_entries("riciclagio", 0).empty());
}

TEST(Thesaurus, InfinitiveIsAVerbOfTheThesaurus) {
  const Thesaurus& t = Thesaurus::shared();
  if (!t.loaded()) GTEST_SKIP() << "mythes-it is not installed";
  EXPECT_TRUE(t.is_infinitive("dare"));
  EXPECT_TRUE(t.is_infinitive("coltivare"));
  EXPECT_FALSE(t.is_infinitive("quartiere"));  // a noun in -ere
  EXPECT_FALSE(t.is_infinitive("mano"));
}

TEST(QueryUnderstanding, EveryConceptMeansTheSynonymAsAPhraseNotItsWordsScattered) {
  // "pollice verde" means "cura dei giardini". A practice that has "cura"
  // and "giardini" in unrelated sentences, and "scuole" many times, used to
  // match every clause of "pollice verde scuole" and take the full-match
  // bonus; now only the practice saying "cura dei giardini" does.
  Xapian::WritableDatabase db(std::string(), Xapian::DB_BACKEND_INMEMORY);
  Analyzer analyzer;
  auto add = [&](const std::string& text) {
    Xapian::Document doc;
    analyzer.set_document(doc);
    analyzer.index_text(text);
    analyzer.release_document();
    return db.add_document(doc);
  };
  const Xapian::docid scattered =
      add("Scuole e scuole: le scuole del quartiere. La cura della mensa. I giardini delle scuole chiusi.");
  const Xapian::docid phrase = add("Le scuole si occupano della cura dei giardini pubblici.");
  add("Un altro progetto sulle biciclette.");
  add("Un progetto sul cibo.");
  auto taxonomy = Taxonomy::from_yaml("synonyms:\n  - [\"pollice verde\", \"cura dei giardini\"]\n",
                                      "taxonomy.yaml", nullptr);
  ASSERT_TRUE(taxonomy.has_value());
  search::SynonymTable synonyms;
  synonyms.build(*taxonomy, db, analyzer);
  search::QueryUnderstanding understanding(db, analyzer, synonyms);
  const search::ParsedQuery parsed = understanding.parse("pollice verde scuole");
  ASSERT_EQ(parsed.clauses.size(), 2u);
  Xapian::Enquire enquire(db);
  enquire.set_query(search::QueryUnderstanding::combine_any(parsed));
  const Xapian::MSet mset = enquire.get_mset(0, 10);
  ASSERT_GE(mset.size(), 2u);
  EXPECT_EQ(*mset.begin(), phrase);
  // Still found, below.
  bool found = false;
  for (auto it = mset.begin(); it != mset.end(); ++it) found = found || *it == scattered;
  EXPECT_TRUE(found);
}

// A small library, with its spelling table as the index builder writes it
// (every word), for what query understanding corrects.
class SmallLibrary {
 public:
  // On disk: the in-memory backend has no spelling table.
  SmallLibrary() : dir_("bp-search-spelling-test"), db_((dir_.path() / "index").string(), Xapian::DB_CREATE) {}
  // A practice's text and, when given, its plain words
  // (`in_parole_semplici`), indexed as the index builder does.
  Xapian::docid add(const std::string& text, const std::string& plain_words = "") {
    Xapian::Document doc;
    analyzer_.set_document(doc);
    analyzer_.index_text(text);
    if (!plain_words.empty()) {
      analyzer_.separate_fields();
      analyzer_.index_text(plain_words, 0, schema::kPlainWordsPrefix);
    }
    analyzer_.release_document();
    for (auto it = doc.termlist_begin(); it != doc.termlist_end(); ++it)
      if (!(*it).empty() && std::islower(static_cast<unsigned char>((*it)[0]))) db_.add_spelling(*it);
    return db_.add_document(doc);
  }
  Xapian::MSet search(const Xapian::Query& q) {
    Xapian::Enquire enquire(db_);
    enquire.set_query(q);
    return enquire.get_mset(0, 10);
  }
  // With a taxonomy of its own (`taxonomy_yaml`), by default one group.
  // A taxonomy of one synonym group.
  static constexpr const char* kOneGroup = "synonyms:\n  - [\"orto\", \"giardino\"]\n";
  search::ParsedQuery parse(const std::string& q, const std::string& taxonomy_yaml = kOneGroup) {
    auto taxonomy = Taxonomy::from_yaml(taxonomy_yaml, "taxonomy.yaml", nullptr);
    EXPECT_TRUE(taxonomy.has_value());
    if (!taxonomy) return {};
    search::SynonymTable synonyms;
    synonyms.build(*taxonomy, db_, analyzer_);
    search::QueryUnderstanding understanding(db_, analyzer_, synonyms);
    return understanding.parse(q);
  }
  // The completions of `prefix` (their text), the words typed before the
  // last one counting as the search corrects them, as Searcher::suggest
  // sets them up.
  std::vector<std::string> complete(const std::string& prefix) {
    auto taxonomy = Taxonomy::from_yaml(kOneGroup, "taxonomy.yaml", nullptr);
    EXPECT_TRUE(taxonomy.has_value());
    if (!taxonomy) return {};
    search::SynonymTable synonyms;
    synonyms.build(*taxonomy, db_, analyzer_);
    search::QueryUnderstanding understanding(db_, analyzer_, synonyms);
    search::CompletionOptions options;
    options.correction = [&](const std::string& word) { return understanding.correction(word); };
    std::vector<std::string> out;
    for (const Suggestion& s : search::suggestions(db_, analyzer_, prefix, 8, options)) out.push_back(s.text);
    return out;
  }
  // The practices a parsed query matches with any of its clauses.
  std::set<Xapian::docid> found(const search::ParsedQuery& parsed) {
    std::set<Xapian::docid> out;
    const Xapian::MSet mset = search(search::QueryUnderstanding::combine_any(parsed));
    for (auto it = mset.begin(); it != mset.end(); ++it) out.insert(*it);
    return out;
  }
  Analyzer& analyzer() { return analyzer_; }

 private:
  bp::test_util::TempDir dir_;
  Xapian::WritableDatabase db_;
  Analyzer analyzer_;
};

TEST(Misspellings, ARealWordIsNotCorrectedIntoAnotherWordOrAPlace) {
  if (!Thesaurus::shared().loaded()) GTEST_SKIP() << "mythes-it and hunspell-it are not installed";
  SmallLibrary library;
  library.add("Nel Salento le scuole coltivano un orto salentino con i ragazzi.");
  library.add("A Pesaro i volontari puliscono le spiagge.");
  library.add("Un doposcuola per i ragazzi del quartiere.");
  // "patentino" (a licence) is an Italian word the library never uses: not
  // "salentino", two letters away; no "Forse cercavi".
  const search::ParsedQuery licence = library.parse("patentino");
  EXPECT_EQ(licence.corrected.count("patentino"), 0u);
  EXPECT_FALSE(licence.suggestion.has_value());
  // "pesare" (to weigh) is not the town the library writes "Pesaro".
  EXPECT_EQ(library.parse("pesare").corrected.count("pesare"), 0u);
  // A misspelling is still corrected, into a place too.
  const search::ParsedQuery town = library.parse("pessaro");
  ASSERT_EQ(town.corrected.count("pessaro"), 1u);
  EXPECT_EQ(town.corrected.at("pessaro"), "pesaro");
  // A word of the same family is still a bridge: "ragazzini" -> "ragazzi".
  const search::ParsedQuery kids = library.parse("ragazzini");
  const bool bridged = (kids.corrected.count("ragazzini") && kids.corrected.at("ragazzini") == "ragazzi") ||
                       kids.expanded.count("ragazzini");
  EXPECT_TRUE(bridged);
  // Two such words, neither in the library: the relaxed query finds
  // nothing, not the whole library in no order.
  const search::ParsedQuery both = library.parse("patentino motorino");
  EXPECT_TRUE(both.corrected.empty());
  EXPECT_TRUE(library.search(search::QueryUnderstanding::combine_any(both)).empty());
}

// The completions read a word typed before as the search does: a real word
// is not rewritten into another ("mi serve un patentino per sc" offered
// "mi serve un salentino per scuola"), a misspelling still is.
TEST(Misspellings, CompletionsKeepARealWordAsTyped) {
  if (!Thesaurus::shared().loaded()) GTEST_SKIP() << "mythes-it and hunspell-it are not installed";
  SmallLibrary library;
  library.add("Nel Salento le scuole coltivano un orto salentino con i ragazzi.");
  library.add("A Pesaro i volontari puliscono le spiagge.");
  library.add("Un doposcuola per i ragazzi del quartiere.");
  const std::vector<std::string> licence = library.complete("un patentino per sc");
  ASSERT_FALSE(licence.empty());
  for (const std::string& s : licence) EXPECT_EQ(s.rfind("un patentino per sc", 0), 0u) << s;
  const std::vector<std::string> town = library.complete("pessaro spi");
  ASSERT_FALSE(town.empty());
  EXPECT_EQ(town.front(), "pesaro spiagge") << ::testing::PrintToString(town);
}

// After an article, a word is offered in the form whose ending surely
// agrees with it, even when another form is commoner: "la sc" offers
// "scuola", not "scuole" (an ending in -e may be singular: "la gente").
TEST(Completions, AfterAnArticleTheFormThatSurelyAgreesStandsForTheWord) {
  SmallLibrary library;
  library.add("Le scuole del quartiere e il doposcuola.");
  library.add("Tre scuole aprono i cortili.");
  library.add("Le scuole coltivano un orto.");
  library.add("Una scuola di periferia.");
  const std::vector<std::string> one = library.complete("la sc");
  ASSERT_FALSE(one.empty());
  EXPECT_EQ(one.front(), "la scuola") << ::testing::PrintToString(one);
  EXPECT_EQ(std::find(one.begin(), one.end(), "la scuole"), one.end()) << ::testing::PrintToString(one);
  const std::vector<std::string> many = library.complete("le sc");
  ASSERT_FALSE(many.empty());
  EXPECT_EQ(many.front(), "le scuole") << ::testing::PrintToString(many);
}

TEST(Families, ADerivedWordReachesItsBaseInTheLibrary) {
  if (!Thesaurus::shared().loaded()) GTEST_SKIP() << "mythes-it and hunspell-it are not installed";
  SmallLibrary library;
  library.add("I pellegrini lasciano i bagagli a un furgone che li porta alla tappa.");
  library.add("Un bello spazio per i ragazzi del quartiere.");
  library.add("Il doposcuola del quartiere aiuta i ragazzi con i compiti.");
  // No text says "pellegrinaggio": its base, "pellegrini", is searched
  // instead of a close spelling, and the page says so.
  const search::ParsedQuery walk = library.parse("pellegrinaggio");
  EXPECT_TRUE(walk.corrected.empty());
  ASSERT_EQ(walk.expanded.count("pellegrinaggio"), 1u);
  EXPECT_TRUE(has(walk.expanded.at("pellegrinaggio"), "pellegrini"));
  EXPECT_EQ(library.search(search::QueryUnderstanding::combine(walk)).size(), 1u);
  // A root of four letters is too short to tell a family: "bellicoso"
  // (warlike) is not "bello".
  EXPECT_EQ(library.parse("bellicoso").expanded.count("bellicoso"), 0u);
}

// A word that merely ends like a diminutive is not searched as a "base"
// of another meaning: "pagella" (a school report) is not a small "paga"
// (pay), whose "base" Hunspell knows only as a form of the verb "pagare".
// A true diminutive still reaches its base ("orticelli" -> "orti").
TEST(AlteredWords, AWordThatOnlyLooksLikeADiminutiveKeepsItsMeaning) {
  if (!Thesaurus::shared().loaded()) GTEST_SKIP() << "mythes-it and hunspell-it are not installed";
  const Thesaurus& t = Thesaurus::shared();
  const auto bases = t.altered_bases("pagella");
  EXPECT_EQ(std::find(bases.begin(), bases.end(), "paga"), bases.end());
  ASSERT_FALSE(t.altered_bases("orticelli").empty());
  EXPECT_EQ(t.altered_bases("orticelli").front(), "orti");

  SmallLibrary library;
  const Xapian::docid pay = library.add("La paga dei braccianti stagionali: uno sportello contro il caporalato.");
  library.add("Gli orti delle scuole, coltivati dai ragazzi.");
  const search::ParsedQuery report = library.parse("pagella");
  EXPECT_EQ(report.expanded.count("pagella"), 0u);
  EXPECT_EQ(report.corrected.count("pagella"), 0u);
  const Xapian::MSet found = library.search(search::QueryUnderstanding::combine(report));
  for (auto it = found.begin(); it != found.end(); ++it) EXPECT_NE(*it, pay);
  // The diminutive of a noun still finds the practice with its base.
  const search::ParsedQuery small = library.parse("orticelli");
  ASSERT_EQ(small.expanded.count("orticelli"), 1u);
  EXPECT_TRUE(has(small.expanded.at("orticelli"), "orti"));
}

// A diminutive the thesaurus lists as a word of its own ("borsetta", a
// handbag) is not searched as its base ("borsa"): in the library a "borsa"
// is a grant.
TEST(AlteredWords, AWordOfItsOwnIsNotSearchedAsItsBase) {
  if (!Thesaurus::shared().loaded()) GTEST_SKIP() << "mythes-it and hunspell-it are not installed";
  SmallLibrary library;
  library.add("Borse di studio per gli studenti fuori sede.");
  library.add("Borse lavoro per i giovani del quartiere.");
  library.add("Un laboratorio di cucito con le donne del quartiere.");
  library.add("Un mercato del riuso per vestiti e accessori.");
  library.add("Una ciclofficina popolare per riparare le biciclette.");
  library.add("Un emporio solidale per le famiglie in difficoltà.");
  library.add("Orti urbani coltivati dagli anziani del rione.");
  library.add("Una comunità energetica con i pannelli sul tetto della scuola.");
  for (const std::string word : {"borsetta", "borsette"}) {
    const search::ParsedQuery bag = library.parse(word);
    const auto it = bag.expanded.find(word);
    if (it != bag.expanded.end()) {
      EXPECT_FALSE(has(it->second, "borsa")) << word;
    }
    EXPECT_FALSE(has(bag.synonyms, "borsa")) << word;
  }
}

// "scolare" is the plural of "scolara" (schoolgirls) as well as the verb
// "to drain" the thesaurus lists: a word that can be read as a noun is not
// expanded with the verb's senses ("vuotare", "sgocciolare"), which led to
// the practices about empty houses ("vuoti").
TEST(ThesaurusSenses, AWordThatCanBeANounIsNotExpandedAsAVerb) {
  if (!Thesaurus::shared().loaded()) GTEST_SKIP() << "mythes-it and hunspell-it are not installed";
  SmallLibrary library;
  library.add("Case vuote del borgo: svuotare le cantine e riaprire gli alloggi vuoti.");
  library.add("Una gita delle classi della scuola media al museo.");
  library.add("Il laboratorio del gas e dell'acqua che sgocciola.");
  library.add("Una ciclofficina popolare per riparare le biciclette.");
  library.add("Un emporio solidale per le famiglie in difficoltà.");
  library.add("Orti urbani coltivati dagli anziani del rione.");
  const search::ParsedQuery girls = library.parse("scolare in gita");
  for (const auto& [word, alternatives] : girls.expanded) {
    EXPECT_FALSE(has(alternatives, "vuotare")) << word;
    EXPECT_FALSE(has(alternatives, "sgocciolare")) << word;
  }
  // A word that is only a verb keeps its senses.
  const auto verb = Thesaurus::shared().alternatives("sgocciolare");
  EXPECT_FALSE(verb->empty());
}

// "scarti" is the plural of "scarto" (leftovers) and a form of "scartare"
// (to throw away, to unwrap). After an article it is the noun: the verb's
// senses ("buttare", "spacchettare") are not its meanings, and the answer
// does not say it searched for them.
TEST(ThesaurusSenses, AWordAfterAnArticleIsANoun) {
  if (!Thesaurus::shared().loaded()) GTEST_SKIP() << "mythes-it and hunspell-it are not installed";
  SmallLibrary library;
  library.add("Gli avanzi del mercato ortofrutticolo raccolti ogni sera per le famiglie.");
  library.add("Buttare meno cibo: una campagna nelle mense.");
  library.add("Spacchettare i regali senza carta: un laboratorio per bambini.");
  library.add("Una ciclofficina popolare per riparare le biciclette.");
  library.add("Un emporio solidale per le famiglie in difficoltà.");
  library.add("Orti urbani coltivati dagli anziani del rione.");
  const search::ParsedQuery noun = library.parse("gli scarti del mercato");
  const auto it = noun.expanded.find("scarti");
  ASSERT_NE(it, noun.expanded.end());
  EXPECT_TRUE(has(it->second, "avanzo"));
  EXPECT_FALSE(has(it->second, "buttare"));
  EXPECT_FALSE(has(it->second, "spacchettare"));
  EXPECT_FALSE(has(noun.synonyms, "buttare"));
  // Without an article the word is read as Hunspell reads it: here the
  // verb's form, whose senses stay.
  const search::ParsedQuery verb = library.parse("scarti mercato");
  const auto as_verb = verb.expanded.find("scarti");
  ASSERT_NE(as_verb, verb.expanded.end());
  EXPECT_TRUE(has(as_verb->second, "buttare"));
}

// "stufa" (a stove) is a headword of the thesaurus and also, for
// Hunspell, a form of "stufare" (to bore, to stew): a word the thesaurus
// lists is searched with its own entry's senses, not with another word's
// ("seccare", "stancare"), and the answer does not say it searched for them.
TEST(ThesaurusSenses, AHeadwordMeansItsOwnEntryNotAnotherLemmas) {
  if (!Thesaurus::shared().loaded()) GTEST_SKIP() << "mythes-it and hunspell-it are not installed";
  SmallLibrary library;
  library.add("Una caldaia nuova e i muri isolati nella sede del circolo.");
  library.add("Non seccare i vicini: un regolamento del condominio.");
  library.add("Stancare meno gli anziani: le visite a domicilio.");
  library.add("Una ciclofficina popolare per riparare le biciclette.");
  library.add("Un emporio solidale per le famiglie in difficoltà.");
  library.add("Orti urbani coltivati dagli anziani del rione.");
  const search::ParsedQuery stove = library.parse("meno spese di stufa");
  const auto it = stove.expanded.find("stufa");
  ASSERT_NE(it, stove.expanded.end());
  EXPECT_TRUE(has(it->second, "caldaia"));
  EXPECT_FALSE(has(it->second, "seccare"));
  EXPECT_FALSE(has(it->second, "stancare"));
  EXPECT_FALSE(has(stove.synonyms, "seccare"));
  // A word that is not a headword still reaches its lemma's entry
  // ("riparate" -> "riparare").
  EXPECT_FALSE(Thesaurus::shared().alternatives("riparate")->empty());
}

// The editors' `blocked_expansions:` (taxonomy.yaml): "ospizio" (an old
// people's home) is never searched as "asilo" (a kindergarten), one of the
// thesaurus's senses of it; its other senses still are ("casa di riposo").
TEST(BlockedExpansions, AThesaurusSenseTheEditorsBlockedIsNotSearched) {
  if (!Thesaurus::shared().loaded()) GTEST_SKIP() << "mythes-it and hunspell-it are not installed";
  SmallLibrary library;
  const Xapian::docid kindergarten = library.add("L'asilo del quartiere accoglie i bambini dai tre anni.");
  const Xapian::docid home = library.add("Una casa di riposo aperta al quartiere: i volontari leggono con gli anziani.");
  for (int i = 0; i < 6; ++i) library.add("Un altro progetto con le associazioni del territorio.");
  const std::string blocked = "blocked_expansions:\n  ospizio: [asilo]\n";
  for (const std::string word : {"ospizio", "ospizi"}) {
    // Without the entry, the thesaurus's "asilo" finds the kindergarten.
    const search::ParsedQuery open = library.parse(word, "version: 1\n");
    auto it = open.expanded.find(word);
    ASSERT_NE(it, open.expanded.end()) << word;
    EXPECT_TRUE(has(it->second, "asilo")) << word;
    EXPECT_EQ(library.found(open).count(kindergarten), 1u) << word;
    // With it, not: neither searched nor listed ("Risultati anche per");
    // the plural is blocked through its lemma.
    const search::ParsedQuery closed = library.parse(word, blocked);
    it = closed.expanded.find(word);
    ASSERT_NE(it, closed.expanded.end()) << word;
    EXPECT_FALSE(has(it->second, "asilo")) << word;
    EXPECT_TRUE(has(it->second, "casa di riposo")) << word;
    EXPECT_FALSE(has(closed.synonyms, "asilo")) << word;
    const std::set<Xapian::docid> found = library.found(closed);
    EXPECT_EQ(found.count(kindergarten), 0u) << word;
    EXPECT_EQ(found.count(home), 1u) << word;
  }
  // Only for that word: "ostello" (a hostel) is still searched as "asilo".
  const search::ParsedQuery other = library.parse("ostello", blocked);
  auto it = other.expanded.find("ostello");
  ASSERT_NE(it, other.expanded.end());
  EXPECT_TRUE(has(it->second, "asilo"));
}

// Blocking covers the other automatic expansions of a query word: an
// altered word's base, a derived word's base, an English word's Italian
// cognate, and the editors' everyday words.
TEST(BlockedExpansions, EveryAutomaticExpansionOfTheWordCanBeBlocked) {
  if (!Thesaurus::shared().loaded()) GTEST_SKIP() << "mythes-it and hunspell-it are not installed";
  SmallLibrary library;
  const Xapian::docid gardens = library.add("Gli orti delle scuole, coltivati dai ragazzi.");
  const Xapian::docid pilgrims = library.add("I pellegrini lasciano i bagagli a un furgone che li porta alla tappa.");
  const Xapian::docid renewal = library.add("La rigenerazione urbana di una piazza abbandonata.");
  const Xapian::docid shopping = library.add("La spesa solidale per le famiglie del quartiere.");
  for (int i = 0; i < 6; ++i) library.add("Un altro progetto con le associazioni del territorio.");
  struct Case {
    std::string word, expansion;
    Xapian::docid practice;
  };
  const std::string everyday = "everyday_words:\n  spesa: [compere]\n";
  for (const Case& c : {Case{"orticelli", "orti", gardens}, Case{"pellegrinaggio", "pellegrini", pilgrims},
                        Case{"regeneration", "rigenerazione", renewal}, Case{"compere", "spesa", shopping}}) {
    const search::ParsedQuery open = library.parse(c.word, everyday);
    auto it = open.expanded.find(c.word);
    ASSERT_NE(it, open.expanded.end()) << c.word;
    EXPECT_TRUE(has(it->second, c.expansion)) << c.word;
    EXPECT_EQ(library.found(open).count(c.practice), 1u) << c.word;
    const search::ParsedQuery closed =
        library.parse(c.word, everyday + "blocked_expansions:\n  " + c.word + ": [" + c.expansion + "]\n");
    if (auto at = closed.expanded.find(c.word); at != closed.expanded.end()) {
      EXPECT_FALSE(has(at->second, c.expansion)) << c.word;
    }
    EXPECT_FALSE(has(closed.synonyms, c.expansion)) << c.word;
    EXPECT_EQ(library.found(closed).count(c.practice), 0u) << c.word;
  }
}

// A word that shares its stem with another word of a synonym group
// ("presto", soon, and "prestito", a loan: both "prest") is not read as that
// word once the editors block it; the group's own words still are.
TEST(BlockedExpansions, AWordWithTheSameStemIsNotReadAsTheGroupsWord) {
  if (!Thesaurus::shared().loaded()) GTEST_SKIP() << "mythes-it and hunspell-it are not installed";
  SmallLibrary library;
  const Xapian::docid credit = library.add("Il microcredito aiuta le famiglie escluse dalle banche.");
  for (int i = 0; i < 6; ++i) library.add("Un altro progetto con le associazioni del territorio.");
  const std::string group = "synonyms:\n  - [prestito, prestiti, microcredito]\n";
  const search::ParsedQuery open = library.parse("presto", group);
  EXPECT_TRUE(has(open.synonyms, "microcredito"));
  EXPECT_EQ(library.found(open).count(credit), 1u);
  const std::string blocked = group + "blocked_expansions:\n  presto: [prestito, prestiti]\n";
  const search::ParsedQuery closed = library.parse("presto", blocked);
  EXPECT_FALSE(has(closed.synonyms, "microcredito"));
  EXPECT_EQ(closed.expanded.count("presto"), 0u);
  EXPECT_EQ(library.found(closed).count(credit), 0u);
  for (const std::string word : {"prestiti", "prestito"}) {
    const search::ParsedQuery loans = library.parse(word, blocked);
    EXPECT_TRUE(has(loans.synonyms, "microcredito")) << word;
    EXPECT_EQ(library.found(loans).count(credit), 1u) << word;
  }
  // bp-index check sees that the entry blocks something.
  auto taxonomy = Taxonomy::from_yaml(blocked, "taxonomy.yaml", nullptr);
  ASSERT_TRUE(taxonomy.has_value());
  const Diagnostics d = search::unused_blocked_expansions(*taxonomy, Thesaurus::shared(), "taxonomy.yaml");
  EXPECT_TRUE(d.empty()) << d[0].format();
}

// bp-index check warns of an entry that blocks nothing: an alternative that
// no automatic expansion of the word gives, with the entry's line.
TEST(BlockedExpansions, TheCheckWarnsOfAnEntryThatBlocksNothing) {
  if (!Thesaurus::shared().loaded()) GTEST_SKIP() << "mythes-it and hunspell-it are not installed";
  auto taxonomy = Taxonomy::from_yaml(
      "everyday_words:\n"                      // 1
      "  ciclofficina: [bicimeccanico]\n"      // 2
      "blocked_expansions:\n"                  // 3
      "  ospizio: [asilo, \"Casa di riposo\"]\n"  // 4: two senses of the thesaurus
      "  orticelli: [orti]\n"                  // 5: an altered word's base
      "  regeneration: [rigenerazione]\n"      // 6: an English word's cognate
      "  bicimeccanico: [ciclofficina]\n"      // 7: an everyday word's meaning
      "  anziani: [bambini]\n"                 // 8: nothing
      "  ostello: [asilo, orto]\n",            // 9: "orto" blocks nothing
      "taxonomy.yaml", nullptr);
  ASSERT_TRUE(taxonomy.has_value());
  const Diagnostics d = search::unused_blocked_expansions(*taxonomy, Thesaurus::shared(), "taxonomy.yaml");
  ASSERT_EQ(d.size(), 2u) << (d.empty() ? "" : d[0].format());
  EXPECT_EQ(d[0].line, 8);
  EXPECT_NE(d[0].message.find("blocked_expansions 'anziani': 'bambini' non è tra le parole"), std::string::npos)
      << d[0].format();
  EXPECT_EQ(d[1].line, 9);
  EXPECT_NE(d[1].message.find("'orto'"), std::string::npos) << d[1].format();
  for (const auto& x : d) EXPECT_EQ(x.severity, Severity::kWarning) << x.format();
  // Without the thesaurus, nothing can be said.
  ThesaurusFiles none;
  none.mythes_idx = "/nonexistent/th_it_IT_v2.idx";
  none.mythes_dat = "/nonexistent/th_it_IT_v2.dat";
  std::string warning;
  EXPECT_TRUE(search::unused_blocked_expansions(*taxonomy, *Thesaurus::open(none, &warning), "taxonomy.yaml").empty());
}

class SearchThesaurusTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new bp::test_util::TempDir("bp-search-thesaurus-test");
    testing::build(testing::fixture_library(), dir_->path() / "index");
    taxonomy_ = new Taxonomy(testing::load_taxonomy(testing::fixture_library()));
  }
  static void TearDownTestSuite() {
    delete dir_;
    delete taxonomy_;
  }
  SearchResponse query(const std::string& q, const Taxonomy& taxonomy) {
    auto s = Searcher::open(dir_->path() / "index", taxonomy);
    EXPECT_TRUE(s.ok()) << s.status().message();
    if (!s.ok()) return {};
    SearchRequest request;
    request.q = q;
    auto r = (*s)->search(request);
    EXPECT_TRUE(r.ok()) << r.status().message();
    return r.ok() ? *r : SearchResponse{};
  }
  SearchResponse query(const std::string& q) { return query(q, *taxonomy_); }

  static bp::test_util::TempDir* dir_;
  static Taxonomy* taxonomy_;
};

bp::test_util::TempDir* SearchThesaurusTest::dir_ = nullptr;
Taxonomy* SearchThesaurusTest::taxonomy_ = nullptr;

TEST_F(SearchThesaurusTest, EverydayWordFindsThePracticeThroughTheThesaurus) {
  if (!Thesaurus::shared().loaded()) GTEST_SKIP() << "mythes-it is not installed";
  // No practice says "indumenti"; the tailoring one says "abiti".
  const auto r = query("indumenti");
  EXPECT_TRUE(in_top(r, "riparazioni-sartoria-napoli", 2));
  auto it = r.interpretation.expanded.find("indumenti");
  ASSERT_NE(it, r.interpretation.expanded.end());
  EXPECT_TRUE(has(it->second, "abito"));
  // What the results page shows as "Risultati anche per".
  EXPECT_TRUE(has(r.interpretation.synonyms, "abito"));
}

TEST_F(SearchThesaurusTest, WordSpelledRightIsExpandedNotCorrected) {
  if (!Thesaurus::shared().loaded()) GTEST_SKIP() << "mythes-it is not installed";
  // "compera" is one letter from "compra", which the library uses, but it is
  // an Italian word of its own: no "did you mean compra", its synonyms instead.
  const auto r = query("compera");
  EXPECT_EQ(r.interpretation.corrected.count("compera"), 0u);
  EXPECT_FALSE(r.suggestion.has_value());
  auto it = r.interpretation.expanded.find("compera");
  ASSERT_NE(it, r.interpretation.expanded.end());
  EXPECT_TRUE(has(it->second, "acquisto") || has(it->second, "spesa"));
  // A misspelling is still corrected.
  EXPECT_EQ(query("microcreditto").interpretation.corrected.count("microcreditto"), 1u);
}

TEST_F(SearchThesaurusTest, WordsTheLibraryUsesAreNotExpanded) {
  if (!Thesaurus::shared().loaded()) GTEST_SKIP() << "mythes-it is not installed";
  const auto r = query("abiti");
  EXPECT_TRUE(in_top(r, "riparazioni-sartoria-napoli", 1));
  EXPECT_EQ(r.interpretation.expanded.count("abiti"), 0u);
}

TEST_F(SearchThesaurusTest, AlteredWordFindsThePracticeThatUsesItsBase) {
  if (!Thesaurus::shared().loaded()) GTEST_SKIP() << "mythes-it is not installed";
  // No practice says "giardinetti"; the civil service one says "giardini".
  const auto r = query("giardinetti");
  EXPECT_TRUE(in_top(r, "servizio-civile-lecce", 1));
  auto it = r.interpretation.expanded.find("giardinetti");
  ASSERT_NE(it, r.interpretation.expanded.end());
  EXPECT_TRUE(has(it->second, "giardini"));
  EXPECT_TRUE(has(r.interpretation.synonyms, "giardini"));
  EXPECT_EQ(r.interpretation.corrected.count("giardinetti"), 0u);
}

TEST_F(SearchThesaurusTest, AnotherFormOfAnIdiomsVerbMatchesTheIdiom) {
  if (!Thesaurus::shared().loaded()) GTEST_SKIP() << "mythes-it is not installed";
  auto taxonomy = Taxonomy::from_yaml("synonyms:\n  - [\"dare una mano\", \"servizio civile\"]\n",
                                      "taxonomy.yaml", nullptr);
  ASSERT_TRUE(taxonomy.has_value());
  // "danno" is a form of "dare" that neither the stemmer nor Hunspell
  // relates to it: the idiom still matches, as a whole.
  const auto r = query("ragazzi che danno una mano", *taxonomy);
  auto it = r.interpretation.expanded.find("danno una mano");
  ASSERT_NE(it, r.interpretation.expanded.end());
  EXPECT_TRUE(has(it->second, "servizio civile"));
  EXPECT_TRUE(in_top(r, "servizio-civile-lecce", 1));
  // A function word is no verb: "da una mano" is not the idiom.
  const auto preposition = query("da una mano", *taxonomy);
  EXPECT_EQ(preposition.interpretation.expanded.count("da una mano"), 0u);
  // Where the rest of the idiom is a phrase of its own ("a piedi"), the word
  // before it keeps its meaning: "anziani a piedi" is not "andare a piedi".
  auto walking = Taxonomy::from_yaml(
      "synonyms:\n  - [\"andare a piedi\", \"mobilità dolce\"]\n  - [\"a piedi\", \"camminando\"]\n",
      "taxonomy.yaml", nullptr);
  ASSERT_TRUE(walking.has_value());
  const auto elderly = query("anziani a piedi", *walking);
  EXPECT_EQ(elderly.interpretation.expanded.count("anziani a piedi"), 0u);
  EXPECT_EQ(elderly.interpretation.expanded.count("a piedi"), 1u);
  EXPECT_EQ(query("vanno a piedi", *walking).interpretation.expanded.count("vanno a piedi"), 0u);
}

TEST_F(SearchThesaurusTest, AnEverydayExpressionFindsThePlainWordsThatSayIt) {
  auto taxonomy = Taxonomy::from_yaml(
      "expressions:\n"
      "  spostamenti:\n"
      "    \"due ruote\": [bicicletta, bici]\n"
      "  aiuto e relazioni:\n"
      "    \"dare una mano\": [volontariato]\n",
      "taxonomy.yaml", nullptr);
  ASSERT_TRUE(taxonomy.has_value());
  // No practice says "ruote"; the bicycle workshop says "bici".
  const auto r = query("riparare le due ruote", *taxonomy);
  EXPECT_TRUE(in_top(r, "ciclofficina-firenze", 1));
  auto it = r.interpretation.expanded.find("due ruote");
  ASSERT_NE(it, r.interpretation.expanded.end());
  EXPECT_TRUE(has(it->second, "bici"));
  // What the results page shows as "Risultati anche per".
  EXPECT_TRUE(has(r.interpretation.synonyms, "bici"));
  // A plain word more than one practice in twenty uses says nothing of the
  // expression: not searched, not shown ("bicicletta": 2 of 11 here).
  EXPECT_FALSE(has(it->second, "bicicletta"));
  EXPECT_EQ(query("dare una mano", *taxonomy).interpretation.expanded.count("dare una mano"), 0u);
  // One way: the plain word does not search the expression.
  const auto plain = query("bici", *taxonomy);
  for (const auto& [word, alternatives] : plain.interpretation.expanded)
    EXPECT_FALSE(has(alternatives, "due ruote")) << word;
}

TEST_F(SearchThesaurusTest, AnotherFormOfAnExpressionsVerbMatchesTheExpression) {
  if (!Thesaurus::shared().loaded()) GTEST_SKIP() << "mythes-it is not installed";
  auto taxonomy = Taxonomy::from_yaml(
      "expressions:\n  casa e quartiere:\n    \"mettere a posto\": [sistemare, riparare]\n",
      "taxonomy.yaml", nullptr);
  ASSERT_TRUE(taxonomy.has_value());
  // "mettiamo" is a form of "mettere" the stemmer does not relate to it.
  const auto r = query("mettiamo a posto le biciclette", *taxonomy);
  auto it = r.interpretation.expanded.find("mettiamo a posto");
  ASSERT_NE(it, r.interpretation.expanded.end());
  EXPECT_TRUE(has(it->second, "sistemare"));
  EXPECT_TRUE(in_top(r, "ciclofficina-firenze", 1));
}

// The fixture's [venduti, sold] only translates an Italian word: "sold"
// leads to "venduti", but "soldi", whose Italian stem is "sold"'s, is not
// that group, neither in the taxonomy's table nor in the index's copy of it.
TEST_F(SearchThesaurusTest, AnItalianWordIsNotATranslationOfTheSameStem) {
  if (!Thesaurus::shared().has_dictionary()) GTEST_SKIP() << "hunspell-it is not installed";
  const auto r = query("prestiti senza soldi");
  for (const auto& [word, alternatives] : r.interpretation.expanded) {
    EXPECT_FALSE(has(alternatives, "venduti")) << word;
    EXPECT_FALSE(has(alternatives, "sold")) << word;
  }
  EXPECT_FALSE(has(r.interpretation.synonyms, "venduti"));
  EXPECT_TRUE(in_top(r, "microcredito-roma", 1));
  const auto english = query("sold");
  const auto it = english.interpretation.expanded.find("sold");
  ASSERT_NE(it, english.interpretation.expanded.end());
  EXPECT_TRUE(has(it->second, "venduti"));
}

// An everyday word of the editors' list that no practice uses is searched
// as the case files' word it stands for, and the answer says so; the case
// files' word does not search the everyday word.
TEST_F(SearchThesaurusTest, AnEditorsEverydayWordFindsThePracticeThatUsesTheLibrarysWord) {
  auto taxonomy = Taxonomy::from_yaml("everyday_words:\n  ciclofficina: [bicimeccanico, sellini]\n",
                                      "taxonomy.yaml", nullptr);
  ASSERT_TRUE(taxonomy.has_value());
  // Without the list, the word means nothing here.
  EXPECT_FALSE(in_top(query("bicimeccanico"), "ciclofficina-firenze", 3));
  const auto r = query("bicimeccanico", *taxonomy);
  EXPECT_TRUE(in_top(r, "ciclofficina-firenze", 1));
  auto it = r.interpretation.expanded.find("bicimeccanico");
  ASSERT_NE(it, r.interpretation.expanded.end());
  EXPECT_TRUE(has(it->second, "ciclofficina"));
  EXPECT_TRUE(has(r.interpretation.synonyms, "ciclofficina"));
  // Another form of a listed word ("sellino", listed in the plural), but
  // not a word being typed that only shares its stem ("sellin").
  EXPECT_TRUE(in_top(query("sellino", *taxonomy), "ciclofficina-firenze", 1));
  for (const auto& [word, alternatives] : query("riparare sellin", *taxonomy).interpretation.expanded)
    EXPECT_FALSE(has(alternatives, "ciclofficina")) << word;
  // One way: the case files' word does not search the everyday word.
  for (const auto& [word, alternatives] : query("ciclofficina", *taxonomy).interpretation.expanded)
    EXPECT_FALSE(has(alternatives, "bicimeccanico")) << word;
}

// A case files' word of the editors' list is searched by its stem, so its
// other forms count; but a stem that is mostly other words' ("port" of
// "porto" is "porta" and "portano" too) is searched as written: "molo" finds
// the harbour. By the stem it would mean every practice that "porta"
// something, too common a term to search, and "molo" would find nothing.
TEST(QueryUnderstanding, AnEditorsWordWhoseStemIsOtherWordsIsSearchedAsWritten) {
  SmallLibrary library;
  const Xapian::docid harbour = library.add("I pescatori puliscono il porto con i volontari.");
  library.add("Il comune porta avanti il progetto con le associazioni.");
  library.add("Le famiglie portano il pranzo al centro.");
  library.add("Una porta aperta per tutti nel quartiere.");
  const Xapian::docid beach = library.add("Le classi puliscono la spiaggia.");
  const Xapian::docid beaches = library.add("Un censimento dei rifiuti sulle spiagge.");
  for (int i = 0; i < 6; ++i) library.add("Un altro progetto del quartiere.");
  const std::string taxonomy = "everyday_words:\n  porto: [molo]\n  spiaggia: [bagnasciuga]\n";
  EXPECT_EQ(library.found(library.parse("molo", taxonomy)), std::set<Xapian::docid>({harbour}));
  // A stem of the word's own forms: both the singular and the plural.
  EXPECT_EQ(library.found(library.parse("bagnasciuga", taxonomy)), std::set<Xapian::docid>({beach, beaches}));
}

// A word the editors listed is searched as its case files' word even when
// its stem is another word's of the library: "compere" (shopping) shares
// "comp" with "compiti" (homework), and still finds the shopping.
TEST(QueryUnderstanding, AListedEverydayWordIsExpandedThoughItsStemIsAnotherWords) {
  SmallLibrary library;
  library.add("I ragazzi fanno i compiti insieme dopo la scuola.");
  const Xapian::docid shopping = library.add("La spesa solidale per le famiglie del quartiere.");
  for (int i = 0; i < 6; ++i) library.add("Un altro progetto del quartiere.");
  ASSERT_EQ(library.analyzer().terms_for("compere").stemmed, library.analyzer().terms_for("compiti").stemmed);
  const search::ParsedQuery parsed = library.parse("compere", "everyday_words:\n  spesa: [compere]\n");
  auto it = parsed.expanded.find("compere");
  ASSERT_NE(it, parsed.expanded.end());
  EXPECT_TRUE(has(it->second, "spesa"));
  EXPECT_EQ(library.found(parsed).count(shopping), 1u);
}

// A word the editors listed is expanded even when a few practices' plain
// words use it: "strozzini" (loan sharks), in the plain words of one
// practice, still finds the other whose text says "usura". A word the plain
// words of many practices use is theirs: "soldi" is not expanded to "fondi".
TEST(QueryUnderstanding, AListedWordInAFewPracticesPlainWordsIsStillExpanded) {
  SmallLibrary library;
  library.add("Microcredito contro l'usura per le famiglie.", "Prestiti piccoli, così si evitano gli strozzini.");
  const Xapian::docid other = library.add("Uno sportello contro l'usura in parrocchia.");
  library.add("Fondi per le associazioni.");
  for (int i = 0; i < 4; ++i) library.add("Una sede per il quartiere.", "Servono soldi per la sede.");
  for (int i = 0; i < 6; ++i) library.add("Un altro progetto del quartiere.");
  const std::string everyday = "everyday_words:\n  usura: [strozzini]\n  fondi: [soldi]\n";
  const search::ParsedQuery parsed = library.parse("strozzini", everyday);
  auto it = parsed.expanded.find("strozzini");
  ASSERT_NE(it, parsed.expanded.end());
  EXPECT_TRUE(has(it->second, "usura"));
  EXPECT_EQ(library.found(parsed).count(other), 1u);
  EXPECT_EQ(library.parse("soldi", everyday).expanded.count("soldi"), 0u);
}

// A question's filler word is left out even when a group lists a word of
// the same stem: "can" of "how can we…" is not [scatolame, cans].
TEST_F(SearchThesaurusTest, AQuestionsFillerWordIsNotAGroupsWordOfTheSameStem) {
  auto taxonomy = Taxonomy::from_yaml("synonyms:\n  - [scatolame, cans, tins]\n", "taxonomy.yaml", nullptr);
  ASSERT_TRUE(taxonomy.has_value());
  const auto r = query("how can we repair bikes", *taxonomy);
  EXPECT_EQ(r.interpretation.expanded.count("can"), 0u);
  EXPECT_FALSE(has(r.interpretation.synonyms, "scatolame"));
  EXPECT_TRUE(has(r.interpretation.ignored, "can"));
  // Typed alone, or as the group writes it, the word is still the group's.
  const auto alone = query("cans", *taxonomy);
  auto it = alone.interpretation.expanded.find("cans");
  ASSERT_NE(it, alone.interpretation.expanded.end());
  EXPECT_TRUE(has(it->second, "scatolame"));
}

// What the page shows: a blocked alternative is neither in the
// interpretation's expansions nor in "Risultati anche per".
TEST_F(SearchThesaurusTest, ABlockedAlternativeIsNotInTheInterpretation) {
  if (!Thesaurus::shared().loaded()) GTEST_SKIP() << "mythes-it is not installed";
  auto open = Taxonomy::from_yaml("version: 1\n", "taxonomy.yaml", nullptr);
  auto closed = Taxonomy::from_yaml("blocked_expansions:\n  indumenti: [abito]\n", "taxonomy.yaml", nullptr);
  ASSERT_TRUE(open.has_value() && closed.has_value());
  const auto before = query("indumenti", *open);
  auto it = before.interpretation.expanded.find("indumenti");
  ASSERT_NE(it, before.interpretation.expanded.end());
  EXPECT_TRUE(has(it->second, "abito"));
  EXPECT_TRUE(has(before.interpretation.synonyms, "abito"));
  const auto after = query("indumenti", *closed);
  it = after.interpretation.expanded.find("indumenti");
  if (it != after.interpretation.expanded.end()) {
    EXPECT_FALSE(has(it->second, "abito"));
  }
  EXPECT_FALSE(has(after.interpretation.synonyms, "abito"));
}

TEST_F(SearchThesaurusTest, AnAcronymMatchesOnlyAsTyped) {
  auto taxonomy = Taxonomy::from_yaml(
      "acronyms:\n"
      "  - {acronym: CAS, expansion: \"centro di accoglienza straordinaria\", area: welfare}\n"
      "  - {acronym: SAI, expansion: \"sistema di accoglienza e integrazione\", area: welfare}\n",
      "taxonomy.yaml", nullptr);
  ASSERT_TRUE(taxonomy.has_value());
  // "casa" stems like "cas", but is not the acronym.
  const auto house = query("casa", *taxonomy);
  for (const auto& [word, alternatives] : house.interpretation.expanded)
    EXPECT_FALSE(has(alternatives, "centro di accoglienza straordinaria")) << word;
  const auto acronym = query("CAS", *taxonomy);
  auto it = acronym.interpretation.expanded.find("cas");
  ASSERT_NE(it, acronym.interpretation.expanded.end());
  EXPECT_TRUE(has(it->second, "centro di accoglienza straordinaria"));
  if (!Thesaurus::shared().loaded()) return;
  // "sai" in small letters is the verb (Hunspell knows it); "SAI" the acronym.
  const auto verb = query("sai dove riparare", *taxonomy);
  EXPECT_EQ(verb.interpretation.expanded.count("sai"), 0u);
  const auto system = query("SAI", *taxonomy);
  it = system.interpretation.expanded.find("sai");
  ASSERT_NE(it, system.interpretation.expanded.end());
  EXPECT_TRUE(has(it->second, "sistema di accoglienza e integrazione"));
}

// An acronym the editors mark `lowercase: true` is the acronym in small
// letters too, although Hunspell knows the word: teachers type «bes», and
// found nothing where «BES» found the practice (a tester). Unmarked, «sai»
// stays the verb.
TEST_F(SearchThesaurusTest, AnAcronymMarkedLowercaseIsTheAcronymInSmallLetters) {
  if (!Thesaurus::shared().loaded()) GTEST_SKIP() << "Hunspell's Italian dictionary is not installed (hunspell-it)";
  auto taxonomy = Taxonomy::from_yaml(
      "acronyms:\n"
      "  - {acronym: BES, expansion: \"bisogni educativi speciali\", area: scuola, lowercase: true}\n"
      "  - {acronym: SAI, expansion: \"sistema di accoglienza e integrazione\", area: welfare}\n",
      "taxonomy.yaml", nullptr);
  ASSERT_TRUE(taxonomy.has_value());
  ASSERT_TRUE(taxonomy->acronyms()[0].lowercase);
  const auto small = query("alunni con bes", *taxonomy);
  auto it = small.interpretation.expanded.find("bes");
  ASSERT_NE(it, small.interpretation.expanded.end());
  EXPECT_TRUE(has(it->second, "bisogni educativi speciali"));
  EXPECT_EQ(query("sai dove riparare", *taxonomy).interpretation.expanded.count("sai"), 0u);
}

}  // namespace
}  // namespace bp
