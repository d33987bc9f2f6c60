// A searcher follows the index as bp-index build changes it.
#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "search_test_util.h"
#include "search_thesaurus.h"

namespace bp {
namespace {

namespace fs = std::filesystem;

class SearchRefreshTest : public ::testing::Test {
 protected:
  void SetUp() override {
    library_ = dir_ / "library";
    fs::copy(testing::fixture_library(), library_, fs::copy_options::recursive);
    testing::build(library_, dir_ / "index");
    taxonomy_ = testing::load_taxonomy(library_);
    auto s = Searcher::open(dir_ / "index", taxonomy_);
    ASSERT_TRUE(s.ok()) << s.status().message();
    searcher_ = std::move(*s);
  }

  void add_tandem_practice() { testing::add_tandem_practice(library_); }

  // Adds `lines` to the case file `practice` (a path under practices/):
  // front-matter lines right after its summary, or text at the end of its
  // body; then builds and refreshes.
  void add_after_summary(const std::string& practice, const std::string& lines) {
    std::string s = read(practice);
    s.insert(s.find('\n', s.find("\nsummary:") + 1) + 1, lines);
    std::ofstream(library_ / "practices" / practice) << s;
    update();
  }
  void add_to_body(const std::string& practice, const std::string& text) {
    const std::string s = read(practice);
    std::ofstream(library_ / "practices" / practice) << s << "\n" << text << "\n";
    update();
  }
  std::string read(const std::string& practice) {
    std::stringstream text;
    text << std::ifstream(library_ / "practices" / practice).rdbuf();
    return text.str();
  }
  void update() {
    testing::build(library_, dir_ / "index");
    EXPECT_TRUE(searcher_->refresh());
  }
  std::vector<std::string> completions(const std::string& typed) {
    std::vector<std::string> out;
    auto r = searcher_->suggest(typed, 50);
    EXPECT_TRUE(r.ok());
    if (r.ok())
      for (const auto& s : *r)
        if (s.kind == "term") out.push_back(s.text);
    return out;
  }
  // Gives the practice `practice` (a path under practices/) the editors'
  // plain words `lines` (a folded YAML block, each line indented), then
  // builds and refreshes.
  void add_plain_words(const std::string& practice, const std::string& lines) {
    add_after_summary(practice, "in_parole_semplici: >-\n" + lines);
  }

  std::uint64_t total(const std::string& q) {
    SearchRequest r;
    r.q = q;
    auto res = searcher_->search(r);
    EXPECT_TRUE(res.ok()) << res.status().message();
    return res.ok() ? res->total : 0;
  }

  bp::test_util::TempDir tmp_{"bp-refresh-test"};
  fs::path dir_ = tmp_.path();
  fs::path library_;
  Taxonomy taxonomy_;
  std::unique_ptr<Searcher> searcher_;
};

TEST_F(SearchRefreshTest, NothingChangedIsCheap) {
  EXPECT_FALSE(searcher_->refresh());
  EXPECT_FALSE(searcher_->refresh());
}

TEST_F(SearchRefreshTest, SeesAnIncrementalBuild) {
  EXPECT_EQ(total("tandem "), 0u);
  add_tandem_practice();
  testing::build(library_, dir_ / "index");
  EXPECT_TRUE(searcher_->refresh());
  EXPECT_EQ(total("tandem "), 1u);
  EXPECT_EQ(searcher_->document_count(), 11u);
  EXPECT_TRUE(searcher_->practice("tandem-prato").ok());
}

TEST_F(SearchRefreshTest, SpellingsAndCompletionsFollowTheIndex) {
  // Close spellings and prefix completions are remembered per index
  // revision (search_query_memo.h): asked twice before the change, they
  // must still see the new practice after it.
  for (int i = 0; i < 2; ++i) {
    EXPECT_EQ(total("tandemm "), 0u);  // a typo of a word the index lacks
    EXPECT_EQ(total("tande"), 0u);     // a word being typed
  }
  add_tandem_practice();
  testing::build(library_, dir_ / "index");
  EXPECT_TRUE(searcher_->refresh());
  EXPECT_EQ(total("tandemm "), 1u);
  EXPECT_EQ(total("tande"), 1u);
}

TEST_F(SearchRefreshTest, ScoresFollowTheTermFrequenciesOfTheNewIndex) {
  // Term frequencies and synonyms' term weights are remembered per index
  // revision (TermCache, search_term_sets.h): a practice whose words are
  // now in two practices ranks as a fresh searcher ranks it, not as before.
  auto scores = [](Searcher& searcher, const std::string& q) {
    SearchRequest r;
    r.q = q;
    auto res = searcher.search(r);
    EXPECT_TRUE(res.ok()) << res.status().message();
    std::map<std::string, double> out;
    if (res.ok())
      for (const auto& hit : res->results) out[hit.practice.slug] = hit.score;
    return out;
  };
  const std::vector<std::string> queries = {"ciclofficina popolare ", "ciclo"};
  std::map<std::string, std::map<std::string, double>> before;
  for (int i = 0; i < 2; ++i)
    for (const auto& q : queries) before[q] = scores(*searcher_, q);
  add_tandem_practice();  // a copy of ciclofficina-firenze
  testing::build(library_, dir_ / "index");
  EXPECT_TRUE(searcher_->refresh());
  auto fresh = Searcher::open(dir_ / "index", taxonomy_);
  ASSERT_TRUE(fresh.ok()) << fresh.status().message();
  for (const auto& q : queries) {
    const auto now = scores(*searcher_, q);
    EXPECT_EQ(now, scores(**fresh, q)) << q;
    ASSERT_TRUE(now.count("ciclofficina-firenze")) << q;
    ASSERT_TRUE(before[q].count("ciclofficina-firenze")) << q;
    EXPECT_NE(now.at("ciclofficina-firenze"), before[q].at("ciclofficina-firenze")) << q;
  }
}

TEST_F(SearchRefreshTest, SeesAFullRebuild) {
  add_tandem_practice();
  testing::build(library_, dir_ / "index", /*rebuild=*/true);
  EXPECT_TRUE(searcher_->refresh());
  EXPECT_EQ(total("tandem "), 1u);
  // A second rebuild removes the folder this searcher first opened.
  fs::remove(library_ / "practices/centro/tandem-prato.md");
  testing::build(library_, dir_ / "index", /*rebuild=*/true);
  EXPECT_TRUE(searcher_->refresh());
  EXPECT_EQ(total("tandem "), 0u);
  EXPECT_EQ(searcher_->document_count(), 10u);
}

TEST_F(SearchRefreshTest, SearchesWithoutRefreshKeepWorking) {
  add_tandem_practice();
  testing::build(library_, dir_ / "index", /*rebuild=*/true);
  testing::build(library_, dir_ / "index", /*rebuild=*/true);
  // The folder it opened is gone, but its files are still open.
  EXPECT_EQ(total("ciclofficina "), 1u);
}

// Builds commit while a searcher reads (no refresh() between): its one
// reopen-and-retry answers from the new revision, facet counts included,
// not with the counts of the revision it had before. Here a practice's
// year changes (its document keeps its number).
TEST_F(SearchRefreshTest, ARetryAfterACommitCountsTheNewRevision) {
  EXPECT_EQ(testing::search(*searcher_, "ciclofficina ").facets["year"]["2021"], 1u);
  const std::string practice = "centro/ciclofficina-firenze.md";
  for (int i = 0; i < 3; ++i) {
    std::string text = read(practice);
    const auto at = text.find("\nyear: ") + 7;
    text.replace(at, 4, std::to_string(2017 + i));
    std::ofstream(library_ / "practices" / practice) << text;
    testing::build(library_, dir_ / "index");
  }
  auto facets = testing::search(*searcher_, "ciclofficina ").facets;
  EXPECT_EQ(facets["year"]["2019"], 1u) << "the last build's year";
  EXPECT_EQ(facets["year"]["2021"], 0u) << "the year before the builds";
}

// An editor adds a synonym to taxonomy.yaml and the library is rebuilt. A
// server's searchers follow the taxonomy the index stores: one open since
// before names the new synonym, as does one a new server thread opens
// afterwards with the taxonomy the server read at start; no restart.
TEST_F(SearchRefreshTest, ASynonymAddedToTheTaxonomyWorksAfterTheRebuild) {
  auto before = Searcher::open(dir_ / "index", taxonomy_, Searcher::TaxonomySource::kIndex);
  ASSERT_TRUE(before.ok()) << before.status().message();
  auto search = [](Searcher& searcher) {
    SearchRequest r;
    r.q = "velocipedi ";
    auto res = searcher.search(r);
    EXPECT_TRUE(res.ok()) << res.status().message();
    return res.ok() ? *res : SearchResponse{};
  };
  EXPECT_EQ(search(**before).total, 0u);
  std::ofstream(library_ / "taxonomy.yaml", std::ios::app) << "  - [velocipedi, ciclofficina]\n";
  testing::build(library_, dir_ / "index", /*rebuild=*/true);
  EXPECT_TRUE((*before)->refresh());
  auto after = Searcher::open(dir_ / "index", taxonomy_, Searcher::TaxonomySource::kIndex);
  ASSERT_TRUE(after.ok()) << after.status().message();
  for (Searcher* searcher : {before->get(), after->get()}) {
    const SearchResponse res = search(*searcher);
    ASSERT_FALSE(res.results.empty());
    EXPECT_EQ(res.results.front().practice.slug, "ciclofficina-firenze");
    EXPECT_TRUE(testing::contains(res.interpretation.synonyms, "ciclofficina"));
  }
  // A searcher given its taxonomy keeps it (tools that compare taxonomies
  // on one index, the tests): the new line is not named.
  EXPECT_TRUE(searcher_->refresh());
  EXPECT_FALSE(testing::contains(search(*searcher_).interpretation.synonyms, "ciclofficina"));
}

// "rinnovo" (a renewal) has the stem of "rinnovabili", one of the energy
// communities' names, and the page said «Risultati anche per: Comunità
// energetiche rinnovabili». An editor's `blocked_expansions:` line keeps it,
// and the other forms of "rinnovare", from that theme: through the index's
// synonym table too, where the names are stemmed terms ("Zrinnov").
// "rinnovabili" keeps its theme.
TEST_F(SearchRefreshTest, ABlockedExpansionKeepsAWordOfTheSameStemFromTheTheme) {
  if (!search::Thesaurus::shared().has_dictionary()) GTEST_SKIP() << "hunspell-it is not installed";
  auto search = [](Searcher& searcher, const std::string& q) {
    SearchRequest r;
    r.q = q;
    auto res = searcher.search(r);
    EXPECT_TRUE(res.ok()) << res.status().message();
    return res.ok() ? *res : SearchResponse{};
  };
  const SearchResponse open = search(*searcher_, "rinnovo");
  EXPECT_EQ(open.interpretation.expanded.count("rinnovo"), 1u);
  EXPECT_TRUE(testing::contains(open.interpretation.synonyms, "Comunità energetiche rinnovabili"));

  std::ofstream(library_ / "taxonomy.yaml", std::ios::app) << "blocked_expansions:\n  rinnovare: [rinnovabili]\n";
  testing::build(library_, dir_ / "index", /*rebuild=*/true);
  auto blocked = Searcher::open(dir_ / "index", testing::load_taxonomy(library_));
  ASSERT_TRUE(blocked.ok()) << blocked.status().message();
  for (const std::string q : {"rinnovo", "rinnovano", "rinnovare"}) {
    const SearchResponse res = search(**blocked, q);
    EXPECT_EQ(res.interpretation.expanded.count(q), 0u) << q;
    EXPECT_TRUE(res.interpretation.synonyms.empty()) << q;
  }
  const SearchResponse renewables = search(**blocked, "rinnovabili");
  EXPECT_EQ(renewables.interpretation.expanded.count("rinnovabili"), 1u);
  EXPECT_TRUE(testing::contains(renewables.interpretation.synonyms, "Comunità energetiche rinnovabili"));
}

// The editors' plain words (`in_parole_semplici`) bridge everyday words: a
// query in words the practice's own text never uses finds it once they are
// there (one word too), and shows them on its page data; a practice that
// has the word in its own text still ranks above one whose plain words
// have it.
TEST_F(SearchRefreshTest, PlainWordsFindThePracticeInEverydayWords) {
  SearchRequest r;
  r.q = "tostapane asciugacapelli ";
  auto before = searcher_->search(r);
  ASSERT_TRUE(before.ok());
  // No practice has these words yet: nothing matches them (any listing is unranked).
  for (const auto& hit : before->results) EXPECT_EQ(hit.score, 0) << hit.practice.slug;
  add_after_summary("nord/repair-cafe-milano.md",
                    "in_parole_semplici: >-\n"
                    "  In biblioteca, una volta al mese, si porta il tostapane, l'asciugacapelli\n"
                    "  o la bici rotta e la si aggiusta insieme a un volontario che sa di meccanica,\n"
                    "  invece di buttarla.\n");

  auto found = searcher_->search(r);
  ASSERT_TRUE(found.ok());
  ASSERT_EQ(found->total, 1u);
  EXPECT_EQ(found->results[0].practice.slug, "repair-cafe-milano");
  EXPECT_TRUE(found->results[0].found_in_plain_words);
  EXPECT_NE(found->results[0].snippet_html.find("<mark>tostapane</mark>, l&#39;<mark>asciugacapelli</mark>"),
            std::string::npos)
      << found->results[0].snippet_html;
  EXPECT_EQ(total("tostapane"), 1u);
  EXPECT_EQ(total("asciugacapelli "), 1u);
  // "meccanica" is in the ciclofficina's own text and in the repair café's plain words only.
  r.q = "meccanica ";
  auto literal = searcher_->search(r);
  ASSERT_TRUE(literal.ok());
  ASSERT_EQ(literal->total, 2u);
  EXPECT_EQ(literal->results[0].practice.slug, "ciclofficina-firenze");
  EXPECT_EQ(literal->results[1].practice.slug, "repair-cafe-milano");
  // Each snippet shows where the word is: the ciclofficina's own text, the
  // repair café's plain words (its summary and body never say "meccanica").
  EXPECT_FALSE(literal->results[0].found_in_plain_words);
  EXPECT_NE(literal->results[0].snippet_html.find("<mark>meccanica</mark>"), std::string::npos);
  EXPECT_TRUE(literal->results[1].found_in_plain_words);
  EXPECT_EQ(literal->results[1].snippet_html,
            "In biblioteca, una volta al mese, si porta il tostapane, l&#39;asciugacapelli o la bici rotta e "
            "la si aggiusta insieme a un volontario che sa di <mark>meccanica</mark>, invece di buttarla.");
  // Every result has the one word, in its text or its plain words: the
  // answer does not call it dropped (the page would say "Non tutte le
  // parole sono presenti in ogni risultato").
  EXPECT_FALSE(literal->interpretation.relaxed);
  EXPECT_TRUE(literal->interpretation.dropped.empty());
  EXPECT_EQ(literal->interpretation.required, std::vector<std::string>{"meccanica"});

  auto page = searcher_->practice("repair-cafe-milano");
  ASSERT_TRUE(page.ok());
  const nlohmann::json data = nlohmann::json::parse(page->json);
  EXPECT_EQ(data.value("in_parole_semplici", ""),
            "In biblioteca, una volta al mese, si porta il tostapane, l'asciugacapelli o la bici rotta e "
            "la si aggiusta insieme a un volontario che sa di meccanica, invece di buttarla.");
  // A practice without the field has it empty, not missing.
  auto other = searcher_->practice("gas-barriera-torino");
  ASSERT_TRUE(other.ok());
  EXPECT_EQ(nlohmann::json::parse(other->json).value("in_parole_semplici", "missing"), "");
}

// Completions while typing offer words a person looks for, never the
// function words the Italian stop list lacks ("spreco al" is not
// "spreco altrimenti", "dur" not "durante").
TEST_F(SearchRefreshTest, CompletionsNeverOfferFunctionWords) {
  add_to_body("centro/emporio-solidale-perugia.md",
              "Lo spreco altrimenti cresce: durante l'anno, attraverso i turni, qualsiasi volontario "
              "raccoglie tutte le eccedenze verso sera, attorno alle sette, anziché buttarle; eppure "
              "chiunque può aiutare un po' pertanto nonostante tutto.");
  const std::vector<std::string> after_spreco = completions("spreco al");
  EXPECT_NE(std::find(after_spreco.begin(), after_spreco.end(), "spreco alimentare"), after_spreco.end());
  EXPECT_EQ(std::find(after_spreco.begin(), after_spreco.end(), "spreco altrimenti"), after_spreco.end());
  for (const auto& [typed, word] : std::vector<std::pair<std::string, std::string>>{
           {"dur", "durante"}, {"attra", "attraverso"}, {"qual", "qualsiasi"},
           {"tut", "tutte"}, {"ver", "verso"}, {"attor", "attorno"}, {"anz", "anziché"},
           {"epp", "eppure"}, {"chiun", "chiunque"}, {"perta", "pertanto"}, {"nono", "nonostante"}}) {
    const std::vector<std::string> got = completions(typed);
    EXPECT_EQ(std::find(got.begin(), got.end(), word), got.end()) << typed;
  }
  // Content words with the same beginnings are still offered.
  const std::vector<std::string> tur = completions("tur");
  EXPECT_NE(std::find(tur.begin(), tur.end(), "turni"), tur.end());
}

// Completions offer one form of a word: after "spreco" the list has
// "alimentare" and not also "alimentari", so the other words that go with
// "spreco" have room; "alimenti" is another word and stays.
TEST_F(SearchRefreshTest, CompletionsOfferOneFormOfAWord) {
  add_to_body("centro/emporio-solidale-perugia.md",
              "Contro lo spreco: eccedenze alimentari, alimenti freschi, una dispensa alimentata "
              "dai mercati; lo spreco alimentare cala e gli alunni delle scuole vengono a vedere. "
              "Le comunità energetiche e una comunità energetica di quartiere.");
  const std::vector<std::string> after_spreco = completions("spreco al");
  ASSERT_FALSE(after_spreco.empty());
  EXPECT_EQ(after_spreco.front(), "spreco alimentare");
  EXPECT_EQ(std::find(after_spreco.begin(), after_spreco.end(), "spreco alimentari"), after_spreco.end());
  EXPECT_NE(std::find(after_spreco.begin(), after_spreco.end(), "spreco alimenti"), after_spreco.end());
  EXPECT_NE(std::find(after_spreco.begin(), after_spreco.end(), "spreco alunni"), after_spreco.end());
  const std::vector<std::string> energy = completions("comunità energe");
  EXPECT_EQ(std::count_if(energy.begin(), energy.end(),
                          [](const std::string& s) { return s.rfind("comunità energetic", 0) == 0; }),
            1);
  // Typed on a phone without the accent, the completion has it, as the
  // library writes the word; a word typed with capitals stays as typed.
  const std::vector<std::string> plain = completions("comunita energe");
  EXPECT_NE(std::find(plain.begin(), plain.end(), "comunità energetica"), plain.end()) << ::testing::PrintToString(plain);
  EXPECT_EQ(std::find(plain.begin(), plain.end(), "comunita energetica"), plain.end());
  const std::vector<std::string> capital = completions("Comunita energe");
  EXPECT_NE(std::find(capital.begin(), capital.end(), "Comunita energetica"), capital.end())
      << ::testing::PrintToString(capital);
}

// The library writes "sì", "è", "dà" and "là" too, but a word typed
// without an accent that is a word so stays as typed in the completions:
// "come si fa un gr" is not completed as "come sì fa un gruppo", nor "la
// spesa da fa" as "là spesa dà fatto". A word that is none without its
// accent still takes it ("citta" -> "città").
TEST_F(SearchRefreshTest, CompletionsKeepAWordTypedWithoutAnAccentThatIsAWord) {
  if (!search::Thesaurus::shared().has_dictionary()) GTEST_SKIP() << "hunspell-it is not installed";
  add_to_body("centro/emporio-solidale-perugia.md",
              "Sì, è il gruppo che dà una mano: là si fa la spesa da fare insieme, in città, "
              "con un gruppo di acquisto e una famiglia che fa la spesa per tutte.");
  const std::vector<std::string> how = completions("come si fa un gr");
  EXPECT_NE(std::find(how.begin(), how.end(), "come si fa un gruppo"), how.end()) << ::testing::PrintToString(how);
  for (const auto& c : how) EXPECT_EQ(c.rfind("come si fa un gr", 0), 0u) << c;
  const std::vector<std::string> spesa = completions("la spesa da fa");
  EXPECT_NE(std::find(spesa.begin(), spesa.end(), "la spesa da famiglie"), spesa.end())
      << ::testing::PrintToString(spesa);
  for (const auto& c : spesa) EXPECT_EQ(c.rfind("la spesa da fa", 0), 0u) << c;
  const std::vector<std::string> city = completions("citta e gr");
  EXPECT_NE(std::find(city.begin(), city.end(), "città e gruppo"), city.end()) << ::testing::PrintToString(city);
}

// When the typed words fit no practice well (each is in a different
// practice, and none of those is about what was asked), the practice whose
// plain words say all of it comes first: "verdura", "lavoro" and "pensione"
// are in three other practices' text (one of them in a title), and in the
// emporio's plain words together. With the plain words at 0.2 of their idf
// (their weight until December 2026) it was fourth, behind the three
// practices with one word each.
TEST_F(SearchRefreshTest, PlainWordsLeadWhenTheWordsFitNoPracticeWell) {
  add_plain_words("centro/emporio-solidale-perugia.md",
                  "  Un negozio dove chi vive di una pensione bassa o ha perso il lavoro fa la\n"
                  "  spesa senza pagare: pasta, verdura e latte che i supermercati non vendono.\n");

  SearchRequest r;
  r.q = "verdura per chi ha perso il lavoro o vive di pensione";
  auto found = searcher_->search(r);
  ASSERT_TRUE(found.ok()) << found.status().message();
  ASSERT_GE(found->results.size(), 4u);
  EXPECT_EQ(found->results[0].practice.slug, "emporio-solidale-perugia");
  EXPECT_TRUE(found->interpretation.relaxed);
  // The practices with one of the words still follow.
  std::set<std::string> next;
  for (std::size_t i = 1; i < 4; ++i) next.insert(found->results[i].practice.slug);
  EXPECT_EQ(next, (std::set<std::string>{"gas-barriera-torino", "microcredito-roma", "riparazioni-sartoria-napoli"}));

  // Words one practice's own text fits keep it first: the plain words of
  // the emporio have "verdura" too, but the purchasing group is about it.
  r.q = "verdura gruppo acquisto";
  auto literal = searcher_->search(r);
  ASSERT_TRUE(literal.ok()) << literal.status().message();
  ASSERT_FALSE(literal->results.empty());
  EXPECT_EQ(literal->results[0].practice.slug, "gas-barriera-torino");
}

// A practice that has two of the three words in its own text and the third
// in its plain words matches every concept: it comes before a practice with
// fewer of them that weighs more on BM25 (here two words repeated in a short
// text). Only the typed words count, and only from three words.
TEST_F(SearchRefreshTest, APracticeWithEveryConceptInItsTextOrPlainWordsComesFirst) {
  add_to_body("nord/repair-cafe-milano.md", "Allo sportello si ritirano i pacchi e si lasciano le chiavi.");
  add_plain_words("nord/repair-cafe-milano.md",
                  "  Un posto dove lasciare pacchi e chiavi e farsi aiutare con una prenotazione\n"
                  "  su internet, oltre a riparare le cose rotte.\n");
  add_to_body("centro/microcredito-roma.md",
              "La chiave è internet: internet per le domande, internet per i colloqui, la chiave del prestito.");

  SearchRequest r;
  r.q = "pacchi chiavi internet";
  auto found = searcher_->search(r);
  ASSERT_TRUE(found.ok()) << found.status().message();
  ASSERT_GE(found->results.size(), 2u);
  EXPECT_TRUE(found->interpretation.relaxed);
  EXPECT_EQ(found->results[0].practice.slug, "repair-cafe-milano");
  EXPECT_EQ(found->results[1].practice.slug, "microcredito-roma");
}

// The last word of a long query is finished, not a prefix being typed: it
// counts once, as every other word. As a prefix it counted twice (its stem,
// and its completions, among them itself), so a practice with only that
// word, twice, came before one with two of the other words.
TEST_F(SearchRefreshTest, TheLastWordOfALongQueryCountsAsMuchAsTheOthers) {
  add_to_body("nord/orti-scuole-torino.md", "Sotto il pergolato si allevano i lombrichi per il compost.");
  add_to_body("sud/servizio-civile-lecce.md", "Al pozzo serve una carrucola: la carrucola vecchia si e rotta.");

  SearchRequest r;
  r.q = "pergolato con lombrichi, semi antichi, vasi e una carrucola";
  auto found = searcher_->search(r);
  ASSERT_TRUE(found.ok()) << found.status().message();
  ASSERT_GE(found->results.size(), 2u);
  EXPECT_TRUE(found->interpretation.relaxed);
  EXPECT_EQ(found->results[0].practice.slug, "orti-scuole-torino");
  EXPECT_EQ(found->results[1].practice.slug, "servizio-civile-lecce");

  // A word still being typed at the end of a query is still a prefix,
  // however long the query.
  r.q = "pergolato con lombrichi, semi antichi, vasi e una carruc";
  found = searcher_->search(r);
  ASSERT_TRUE(found.ok()) << found.status().message();
  std::set<std::string> slugs;
  for (const auto& res : found->results) slugs.insert(res.practice.slug);
  EXPECT_EQ(slugs.count("servizio-civile-lecce"), 1u);
}

// A relaxed query ranks a practice about three of its concepts before one
// that has a fourth, rarer word many times: each concept's weight
// saturates (search::saturate_clauses), where BM25's sum let one rare word
// outweigh the rest.
TEST_F(SearchRefreshTest, SeveralConceptsOutweighOneRareWordRepeated) {
  add_to_body("nord/orti-scuole-torino.md", "Nel cortile un'upupa, un gelso e una meridiana.");
  add_to_body("nord/gas-barriera-torino.md", "Sul tetto un'upupa e un gelso.");
  add_to_body("nord/repair-cafe-milano.md", "Davanti un'upupa e una meridiana.");
  add_to_body("centro/ciclofficina-firenze.md", "In piazza un gelso e una meridiana.");
  add_to_body("sud/servizio-civile-lecce.md",
              "La carrucola del pozzo: la carrucola si rompe, la carrucola si ripara, "
              "una carrucola nuova, la carrucola di ferro, la carrucola di legno.");

  SearchRequest r;
  r.q = "carrucola upupa gelso meridiana";
  auto found = searcher_->search(r);
  ASSERT_TRUE(found.ok()) << found.status().message();
  ASSERT_GE(found->results.size(), 5u);
  EXPECT_TRUE(found->interpretation.relaxed);
  EXPECT_EQ(found->results[0].practice.slug, "orti-scuole-torino");
  // The one with the rare word many times after those with two concepts
  // of which one is the last word, still a prefix (it weighs twice).
  std::vector<std::string> order;
  for (const auto& res : found->results) order.push_back(res.practice.slug);
  const auto at = [&](const std::string& slug) { return std::find(order.begin(), order.end(), slug) - order.begin(); };
  EXPECT_GT(at("servizio-civile-lecce"), at("repair-cafe-milano"));
  EXPECT_GT(at("servizio-civile-lecce"), at("ciclofficina-firenze"));

  // Page by page, the same order: pages of two make the first page of ten.
  std::vector<std::string> paged;
  for (int page = 1; page <= 3; ++page) {
    r.page = page;
    r.per_page = 2;
    auto p = searcher_->search(r);
    ASSERT_TRUE(p.ok()) << p.status().message();
    for (const auto& res : p->results) paged.push_back(res.practice.slug);
  }
  ASSERT_GE(order.size(), paged.size());
  EXPECT_EQ(paged, std::vector<std::string>(order.begin(), order.begin() + static_cast<long>(paged.size())));
}

}  // namespace
}  // namespace bp
