// End-to-end tests of bp-server on the real engine: the fixture library in
// tests/server/library (6 practices) is copied to a temp folder, indexed
// with bp::build_index and served on a free loopback port.
//
// The fixture, for the hand-computed facet counts below:
//   slug                   hub    region     dimensions           sdgs  year audience
//   gas-quartiere-torino   nord   piemonte   economica, sociale   2 12  2021 volontari
//   repair-cafe-milano     nord   lombardia  ambientale, economica 12   2022 volontari, giovani
//   cer-solidale-lecce     sud    puglia     ambientale, sociale  7 13  2022 operatori
//   orti-didattici-bari    sud    puglia     ambientale, sociale  2 4   2023 docenti, studenti
//   emporio-solidale-roma  centro lazio      sociale              1 2   2021 volontari, operatori
//   bicibus-firenze        centro toscana    ambientale           11    2023 studenti
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <map>
#include <nlohmann/json.hpp>
#include <random>

#include "bp/file_bytes.h"
#include "bp/index_builder.h"
#include "test_server.h"

namespace bp::test {
namespace {

using nlohmann::json;

// A facet's counts without zero entries, as {"value": count}.
json counts(const json& facet) {
  json out = json::object();
  for (auto it = facet.begin(); it != facet.end(); ++it)
    if (it.value().get<int>() > 0) out[it.key()] = it.value();
  return out;
}

class ServerSearch : public ::testing::Test {
 protected:
  void SetUp() override {
    content_ = tmp_.path() / "library";
    fs::copy(fs::path(BP_SOURCE_DIR) / "tests/server/library", content_,
             fs::copy_options::recursive);
    index_ = tmp_.path() / "index";
    build();
    Diagnostics diagnostics;
    taxonomy_ = Taxonomy::load(content_ / "taxonomy.yaml", &diagnostics);
    ASSERT_TRUE(taxonomy_.has_value());

    running_ = std::make_unique<RunningServer>(options_on_index(content_, index_, tmp_.path() / "web"), *taxonomy_,
                                               searcher_on(index_, *taxonomy_));
    client_ = running_->client();
  }

  void build(bool rebuild = false, const std::string& content_commit = "") {
    BuildOptions options;
    options.content_root = content_;
    options.index_dir = index_;
    options.rebuild = rebuild;
    options.content_commit = content_commit;
    auto report = build_index(options);
    ASSERT_TRUE(report.ok()) << report.status().message();
    ASSERT_EQ(report->skipped, 0u);
  }

  json search(const std::string& query) {
    auto r = client_->Get(("/api/search?" + query).c_str());
    EXPECT_TRUE(r) << query;
    if (!r) return json();
    EXPECT_EQ(r->status, 200) << query << " " << r->body;
    return json::parse(r->body);
  }

  static std::vector<std::string> slugs(const json& answer) {
    std::vector<std::string> out;
    for (const auto& hit : answer["results"]) out.push_back(hit["slug"]);
    return out;
  }

  TempDir tmp_;
  fs::path content_, index_;
  std::optional<Taxonomy> taxonomy_;
  std::unique_ptr<RunningServer> running_;
  std::unique_ptr<httplib::Client> client_;
};

// What a load balancer and a person read to see which servers are behind
// (docs/index-replication.md).
TEST_F(ServerSearch, HealthzReportsTheIndexItServes) {
  auto health = [&] {
    auto r = client_->Get("/healthz");
    EXPECT_TRUE(r);
    EXPECT_EQ(r ? r->status : 0, 200);
    return r ? json::parse(r->body) : json();
  };
  const json first = health();
  EXPECT_EQ(first["documents"], 6);
  const json index = first["index"];
  ASSERT_TRUE(index.is_object()) << first.dump();
  const std::string revision = index["revision"];
  EXPECT_NE(revision.find(':'), std::string::npos) << "uuid:revision, got " << revision;
  EXPECT_EQ(index["built_at"].get<std::string>().size(), 20u) << index.dump();
  EXPECT_FALSE(index.contains("content_commit")) << "not a git checkout";

  const std::string commit = "4b825dc642cb6eb9a060e54bf8d69288fbee4904";
  std::ofstream(content_ / "practices/nord/repair-cafe-milano.md", std::ios::app) << "\nAggiunta.\n";
  build(false, commit);
  const json second = health()["index"];
  EXPECT_EQ(second["content_commit"], commit);
  EXPECT_NE(second["revision"], revision) << "a new revision after a build that changed the index";
  build(true, commit);
  const json third = health()["index"];
  EXPECT_NE(third["revision"].get<std::string>().substr(0, 36), revision.substr(0, 36))
      << "a rebuild is a new database";
}

TEST_F(ServerSearch, BrowsingCountsEveryValueOfEveryFacet) {
  json j = search("");
  EXPECT_EQ(j["total"], 6);
  EXPECT_EQ(j["results"].size(), 6u);
  const json& f = j["facets"];
  EXPECT_EQ(counts(f["hub"]), json({{"nord", 2}, {"centro", 2}, {"sud", 2}}));
  EXPECT_EQ(counts(f["dimension"]), json({{"economica", 2}, {"sociale", 4}, {"ambientale", 4}}));
  EXPECT_EQ(counts(f["sdg"]),
            json({{"1", 1}, {"2", 3}, {"4", 1}, {"7", 1}, {"11", 1}, {"12", 2}, {"13", 1}}));
  EXPECT_EQ(counts(f["year"]), json({{"2021", 2}, {"2022", 2}, {"2023", 2}}));
  EXPECT_EQ(counts(f["audience"]), json({{"volontari", 3}, {"giovani", 1}, {"operatori", 2},
                                          {"docenti", 1}, {"studenti", 2}}));
  EXPECT_EQ(counts(f["region"]), json({{"piemonte", 1}, {"lombardia", 1}, {"puglia", 2},
                                        {"lazio", 1}, {"toscana", 1}}));
}

TEST_F(ServerSearch, FacetCountsAreDisjunctive) {
  json j = search("hub=sud&dimension=ambientale");
  EXPECT_EQ(j["total"], 2);
  const json& f = j["facets"];
  // hub ignores its own filter: practices with "ambientale" by hub.
  EXPECT_EQ(counts(f["hub"]), json({{"nord", 1}, {"sud", 2}, {"centro", 1}}));
  // dimension ignores its own filter: practices of the sud hub by dimension.
  EXPECT_EQ(counts(f["dimension"]), json({{"ambientale", 2}, {"sociale", 2}}));
  // Other facets honour both filters.
  EXPECT_EQ(counts(f["region"]), json({{"puglia", 2}}));
  EXPECT_EQ(counts(f["theme"]), json({{"comunita-energetiche", 1}, {"agricoltura-sociale", 1},
                                       {"educazione-ambientale", 1}}));
  EXPECT_EQ(counts(f["sdg"]), json({{"2", 1}, {"4", 1}, {"7", 1}, {"13", 1}}));
  EXPECT_EQ(counts(f["year"]), json({{"2022", 1}, {"2023", 1}}));
}

TEST_F(ServerSearch, ValuesOfOneFacetAreOredAndFacetsAnded) {
  json two_hubs = search("hub=sud&hub=centro");
  EXPECT_EQ(two_hubs["total"], 4);
  EXPECT_EQ(counts(two_hubs["facets"]["hub"]), json({{"nord", 2}, {"centro", 2}, {"sud", 2}}));
  EXPECT_EQ(counts(two_hubs["facets"]["dimension"]), json({{"ambientale", 3}, {"sociale", 3}}));

  json j = search("dimension=economica&dimension=ambientale&audience=volontari");
  EXPECT_EQ(j["total"], 2);
  EXPECT_EQ(counts(j["facets"]["dimension"]),
            json({{"economica", 2}, {"sociale", 2}, {"ambientale", 1}}));
  EXPECT_EQ(counts(j["facets"]["audience"]), json({{"volontari", 2}, {"giovani", 1},
                                                   {"operatori", 1}, {"docenti", 1},
                                                   {"studenti", 2}}));
  EXPECT_EQ(search("sdg=2")["total"], 3);
  EXPECT_EQ(search("year=2021")["total"], 2);
  EXPECT_EQ(search("year_from=2022&year_to=2022")["total"], 2);
  EXPECT_EQ(search("year_from=2023")["total"], 2);
  EXPECT_EQ(search("theme=non-esiste")["total"], 0);
  EXPECT_EQ(search("hub=nord&hub=non-esiste")["total"], 2);
}

TEST_F(ServerSearch, PagesAndSortWork) {
  json page1 = search("per_page=4&sort=title");
  json page2 = search("per_page=4&sort=title&page=2");
  EXPECT_EQ(page1["total"], 6);
  EXPECT_EQ(page1["results"].size(), 4u);
  EXPECT_EQ(page2["results"].size(), 2u);
  EXPECT_EQ(slugs(page1)[0], "bicibus-firenze");  // "Bicibus: ..." sorts first
  json by_date = search("sort=date");
  EXPECT_EQ(slugs(by_date)[0], "bicibus-firenze");  // 2023-09-15, the latest sheet
  EXPECT_EQ(search("page=50")["results"].size(), 0u);
}

TEST_F(ServerSearch, TextQueriesFindTheirPracticeWithSnippets) {
  json j = search("q=riparazioni");
  ASSERT_FALSE(j["results"].empty());
  EXPECT_EQ(j["results"][0]["slug"], "repair-cafe-milano");
  EXPECT_NE(j["results"][0]["snippet"].get<std::string>().find("<mark>"), std::string::npos);
  EXPECT_EQ(j["results"][0]["url"], "/pratiche/repair-cafe-milano");

  auto top3 = [&](const std::string& q) {
    auto s = slugs(search("q=" + pct(q)));
    if (s.size() > 3) s.resize(3);
    return s;
  };
  using ::testing::Contains;
  EXPECT_THAT(top3("comunita energetica"), Contains("cer-solidale-lecce"));  // no accent
  EXPECT_THAT(top3("orti scolastci"), Contains("orti-didattici-bari"));      // typo
  EXPECT_THAT(top3("bicicl"), Contains("bicibus-firenze"));                  // prefix
  EXPECT_THAT(top3("gruppo di acquisto solidale"), Contains("gas-quartiere-torino"));
  EXPECT_EQ(search("q=riparazioni&hub=sud")["total"], 0);
}

TEST_F(ServerSearch, AnswersSayWhatWasSearchedAndThePageSaysItInItalian) {
  // "gas" is a synonym of a theme: the answer lists what it was expanded
  // with, and the page tells the person it searched for related words.
  json j = search("q=gas");
  const json& in = j["interpretation"];
  EXPECT_EQ(in["required"], json({"gas"}));
  ASSERT_TRUE(in["expanded"].contains("gas"));
  EXPECT_FALSE(in["expanded"]["gas"].empty());
  EXPECT_TRUE(in["ignored"].empty());
  auto page = client_->Get("/?q=gas");
  ASSERT_TRUE(page);
  EXPECT_NE(page->body.find("Risultati anche per: «"), std::string::npos);
  // A question: the question words are reported as left out.
  json question = search("q=" + pct("come posso fare un gas?"));
  EXPECT_NE(std::find(question["interpretation"]["ignored"].begin(),
                      question["interpretation"]["ignored"].end(), "posso"),
            question["interpretation"]["ignored"].end());
}

// Nothing to search in «😀»: the page does not say "44 found for «😀»";
// with no result, no result lacks a word.
TEST_F(ServerSearch, ThePageSaysWhenThereIsNoWordToSearchAndNoResultToLackOne) {
  auto emoji = client_->Get(("/?q=" + pct("😀")).c_str());
  ASSERT_EQ(emoji->status, 200);
  EXPECT_NE(emoji->body.find("Nessuna parola da cercare in «😀»: "), std::string::npos) << emoji->body;
  EXPECT_EQ(emoji->body.find("trovate per «😀»"), std::string::npos);
  auto none = client_->Get(("/?q=" + pct("orti bicibus") + "&hub=atlantide").c_str());
  ASSERT_EQ(none->status, 200);
  EXPECT_NE(none->body.find("Nessuna pratica trovata"), std::string::npos);
  EXPECT_EQ(none->body.find("Non tutte le parole"), std::string::npos) << none->body;
  // A paste full of spaces is searched, not refused as too long.
  auto pasted = client_->Get(("/?q=orti" + std::string(600, '+') + "sociali").c_str());
  EXPECT_EQ(pasted->status, 200) << pasted->body;
}

// A relaxed answer lists, for each result, the words it has nowhere
// ("missing"), and the page says so under the result; a result with every
// word, or a strict answer, says nothing.
TEST_F(ServerSearch, ARelaxedAnswerSaysUnderEachResultWhichWordsItLacks) {
  const json j = search("q=" + pct("orti bicibus"));
  ASSERT_TRUE(j["interpretation"]["relaxed"].get<bool>()) << j.dump();
  std::map<std::string, json> missing;
  for (const auto& r : j["results"]) missing[r["slug"]] = r.value("missing", json::array());
  ASSERT_EQ(missing.size(), 2u) << j.dump();
  for (const auto& [slug, words] : missing) {
    const bool orti = slug.find("orti") != std::string::npos;
    EXPECT_EQ(words, json::array({orti ? "bicibus" : "orti"})) << slug;
  }
  auto page = client_->Get(("/?q=" + pct("orti bicibus")).c_str());
  ASSERT_TRUE(page);
  EXPECT_NE(page->body.find("<p class=\"result-missing\">Non contiene: «bicibus»</p>"), std::string::npos);
  EXPECT_NE(page->body.find("<p class=\"result-missing\">Non contiene: «orti»</p>"), std::string::npos);
  for (const auto& r : search("q=orti")["results"]) EXPECT_FALSE(r.contains("missing")) << r.dump();
  auto strict = client_->Get("/?q=orti");
  ASSERT_TRUE(strict);
  EXPECT_EQ(strict->body.find("Non contiene"), std::string::npos);
}

// «Risultati anche per» (`synonyms`) names only the alternatives some
// practice has: a word the fixture's practices use ("bicicletta") or a
// theme one of them is filed under ("Economia circolare"); never the
// everyday name "aggiustare", which none uses, nor "Welfare di comunità",
// a theme none is filed under. `expanded` still says they were searched.
TEST_F(ServerSearch, TheAnswerNamesOnlyTheAlternativesThatFoundSomething) {
  using ::testing::Contains;
  using ::testing::Not;
  using Words = std::vector<std::string>;
  json bici = search("q=bici")["interpretation"];
  EXPECT_THAT(bici["synonyms"].get<Words>(), Contains("bicicletta"));
  json repair = search("q=riparazione")["interpretation"];
  EXPECT_THAT(repair["synonyms"].get<Words>(), Contains("Economia circolare"));
  EXPECT_THAT(repair["synonyms"].get<Words>(), Not(Contains("aggiustare")));
  EXPECT_THAT(repair["expanded"]["riparazione"].get<Words>(), Contains("aggiustare"));
  json old = search("q=anziani")["interpretation"];
  EXPECT_THAT(old["synonyms"].get<Words>(), Not(Contains("Welfare di comunità")));
  EXPECT_THAT(old["expanded"]["anziani"].get<Words>(), Contains("Welfare di comunità"));
  auto page = client_->Get("/?q=riparazione");
  ASSERT_TRUE(page);
  EXPECT_NE(page->body.find("Risultati anche per: «Economia circolare»."), std::string::npos);
  EXPECT_EQ(page->body.find("«aggiustare»"), std::string::npos);
  // Nothing found (a year no practice began in): what was also searched
  // for, not «results» for it.
  const json none = search("q=bici&year_from=2090");
  ASSERT_EQ(none["total"], 0) << none.dump();
  ASSERT_FALSE(none["interpretation"]["synonyms"].empty()) << none.dump();
  const std::string empty = client_->Get("/?q=bici&year_from=2090")->body;
  EXPECT_NE(empty.find("Abbiamo cercato anche: «"), std::string::npos) << empty;
  EXPECT_EQ(empty.find("Risultati anche per"), std::string::npos);
}

// A query past kMaxQueryWords distinct content words: the answer names the
// words it did not search, and the page tells the person.
TEST_F(ServerSearch, AVeryLongQuerySaysWhichWordsItDidNotSearch) {
  const std::string q =
      "orto+scuola+torino+energia+solare+comunita+riparazione+bicicletta+quartiere+famiglie+poverta+cibo+"
      "spreco+volontari+giovani+lavoro+sartoria+microcredito";
  json in = search("q=" + q)["interpretation"];
  EXPECT_EQ(in["unread"].get<std::vector<std::string>>(), (std::vector<std::string>{"sartoria", "microcredito"}));
  EXPECT_TRUE(search("q=orto+torino")["interpretation"]["unread"].empty());
  auto page = client_->Get("/?q=" + q);
  ASSERT_TRUE(page);
  EXPECT_NE(page->body.find("Ricerca troppo lunga: non abbiamo cercato le ultime parole («sartoria», «microcredito»)."),
            std::string::npos);
}

// A NUL or a line break in the address's query is a space on the page:
// never echoed into the search box, the title or the results' links.
TEST_F(ServerSearch, ControlCharactersOfTheQueryNeverReachThePage) {
  auto page = client_->Get("/?q=%00gas%0Aquartiere");
  ASSERT_TRUE(page);
  EXPECT_EQ(page->status, 200);
  EXPECT_EQ(page->body.find('\0'), std::string::npos);
  EXPECT_NE(page->body.find("value=\"gas quartiere\""), std::string::npos);
  EXPECT_EQ(search("q=%00gas")["interpretation"]["required"], json::array({"gas"}));
}

// The form sent without JavaScript keeps the spaces typed around and
// between the words; the page quotes the words as the JS does, once
// spaced: «gas quartiere», not «gas   quartiere  ».
TEST_F(ServerSearch, ThePageQuotesTheWordsWithoutTheSpacesAroundThem) {
  auto page = client_->Get("/?q=%20%20gas%20%20%20quartiere%20%20");
  ASSERT_TRUE(page);
  EXPECT_EQ(page->status, 200);
  EXPECT_NE(page->body.find("per «gas quartiere»"), std::string::npos) << page->body;
  EXPECT_NE(page->body.find("value=\"gas quartiere\""), std::string::npos);
  EXPECT_EQ(page->body.find("gas  "), std::string::npos);
}

// The filters' summary counts in Italian: "(1 attivo)", "(2 attivi)".
TEST_F(ServerSearch, TheActiveFiltersAreCountedInTheSingularAndThePlural) {
  auto one = client_->Get("/?q=gas&hub=sud");
  ASSERT_TRUE(one);
  EXPECT_NE(one->body.find("id=\"filters-count\">(1 attivo)</span>"), std::string::npos);
  auto two = client_->Get("/?q=gas&hub=sud&hub=nord");
  ASSERT_TRUE(two);
  EXPECT_NE(two->body.find("id=\"filters-count\">(2 attivi)</span>"), std::string::npos);
  // A link's bad value is neither counted nor applied; the good one is both.
  auto stale = client_->Get("/?q=gas&year=2019&year=abc");
  ASSERT_TRUE(stale);
  EXPECT_NE(stale->body.find("id=\"filters-count\">(1 attivo)</span>"), std::string::npos);
  EXPECT_EQ(stale->body.find("abc"), std::string::npos);
  const auto status = [](const std::string& page) {
    const std::size_t at = page.find("id=\"results-status\"");
    return at == std::string::npos ? std::string() : page.substr(at, page.find("</p>", at) - at);
  };
  const std::string alone = client_->Get("/?q=gas&year=2019")->body;
  EXPECT_FALSE(status(alone).empty());
  EXPECT_EQ(status(stale->body), status(alone)) << "the same results as year=2019 alone";
  EXPECT_NE(status(alone), status(client_->Get("/?q=gas")->body)) << "the year filters";
  // Hundreds of values: refused, and the refusal is a page of ordinary size
  // (each shown filter's «remove» link holds all the others).
  std::string many = "/?q=gas";
  for (int i = 0; i < 700; ++i) many += "&theme=t" + std::to_string(i);
  auto refused = client_->Get(many);
  ASSERT_TRUE(refused);
  EXPECT_EQ(refused->status, 400);
  EXPECT_NE(refused->body.find("Troppi filtri insieme"), std::string::npos);
  EXPECT_LT(refused->body.size(), 500'000u) << "7.6 MB before the page's own cap";
}

// Nothing with the filters chosen: the page offers the words without the
// filters, saying how many practices they find; without filters, or when
// the words find nothing either, it does not.
TEST_F(ServerSearch, NothingWithTheFiltersOffersTheWordsWithoutThem) {
  ASSERT_EQ(search("q=ciclofficina&hub=sud")["total"], 0);
  const int alone = search("q=ciclofficina")["total"].get<int>();
  ASSERT_GT(alone, 0);
  auto page = client_->Get("/?q=ciclofficina&hub=sud");
  ASSERT_TRUE(page);
  const std::string words = std::to_string(alone) + (alone == 1 ? " pratica" : " pratiche");
  EXPECT_NE(page->body.find("<a class=\"button\" href=\"/?q=ciclofficina\">Mostra " + words +
                            " per «ciclofficina» senza i filtri</a>"),
            std::string::npos)
      << page->body.substr(page->body.find("empty-state"), 1500);
  EXPECT_NE(page->body.find("id=\"empty-words-tip\" hidden"), std::string::npos) << "the words are not the problem";
  auto nothing = client_->Get("/?q=zzqqxx&hub=sud");
  ASSERT_TRUE(nothing);
  EXPECT_EQ(nothing->body.find("id=\"empty-words-tip\" hidden"), std::string::npos);
  EXPECT_NE(nothing->body.find("id=\"empty-without-filters\" hidden"), std::string::npos);
  EXPECT_EQ(nothing->body.find("senza i filtri</a>"), std::string::npos);
  auto found = client_->Get("/?q=ciclofficina");
  ASSERT_TRUE(found);
  EXPECT_EQ(found->body.find("senza i filtri</a>"), std::string::npos);
  // The order chosen stays.
  auto sorted = client_->Get("/?q=ciclofficina&sort=date&hub=sud");
  ASSERT_TRUE(sorted);
  EXPECT_NE(sorted->body.find("href=\"/?q=ciclofficina&amp;sort=date\">Mostra"), std::string::npos);
}

// Nothing found: the themes offered are those with the most practices
// within the filters chosen (the whole library when the filters alone find
// nothing), with their counts, never a theme without practices; «togli uno
// o più filtri» only when taking a filter away can help.
TEST_F(ServerSearch, NothingFoundOffersTheThemesThatHavePractices) {
  auto themes_of = [](const std::string& body) {
    const auto from = body.find("id=\"empty-themes\">");
    EXPECT_NE(from, std::string::npos);
    if (from == std::string::npos) return std::string();
    return body.substr(from, body.find("</span>", from) - from);
  };
  // Words that find nothing, in the Sud: the Sud's three themes, each with
  // its filter kept; removing the filter would not help.
  auto sud = client_->Get("/?q=zzqqxx&hub=sud");
  ASSERT_TRUE(sud);
  const std::string offered = themes_of(sud->body);
  EXPECT_NE(
      offered.find(
          "<a href=\"/?theme=comunita-energetiche&amp;hub=sud\">Comunità energetiche rinnovabili</a> (1 pratica)"),
      std::string::npos)
      << offered;
  EXPECT_NE(offered.find("theme=agricoltura-sociale&amp;hub=sud"), std::string::npos) << offered;
  EXPECT_NE(offered.find("theme=educazione-ambientale&amp;hub=sud"), std::string::npos) << offered;
  EXPECT_EQ(offered.find("consumo-responsabile"), std::string::npos) << "a Nord theme: " << offered;
  EXPECT_NE(sud->body.find("con più pratiche<span id=\"empty-themes-within\"> con i filtri scelti</span>"),
            std::string::npos);
  EXPECT_NE(sud->body.find("id=\"empty-filters-tip\" hidden"), std::string::npos);

  // Without filters: four themes of the library, none without practices
  // (the vocabulary's third, decarbonizzazione, has none).
  auto library = client_->Get("/?q=zzqqxx");
  ASSERT_TRUE(library);
  const std::string all = themes_of(library->body);
  EXPECT_EQ(all.find("decarbonizzazione"), std::string::npos) << all;
  EXPECT_NE(all.find("<a href=\"/?theme=consumo-responsabile\">"), std::string::npos) << all;
  EXPECT_EQ(std::count(all.begin(), all.end(), '<') / 2, 4) << all;
  EXPECT_NE(library->body.find("id=\"empty-themes-within\"></span>"), std::string::npos);

  // Filters that find nothing together: the library's themes, and the
  // filters are what to change.
  auto filters = client_->Get("/?hub=sud&region=lazio");
  ASSERT_TRUE(filters);
  EXPECT_NE(themes_of(filters->body).find("<a href=\"/?theme=consumo-responsabile\">"), std::string::npos);
  EXPECT_EQ(filters->body.find("id=\"empty-filters-tip\" hidden"), std::string::npos);
  EXPECT_NE(filters->body.find("id=\"empty-words-tip\" hidden"), std::string::npos) << "no words to check";
  // Words found elsewhere: the filters are in the way.
  auto elsewhere = client_->Get("/?q=ciclofficina&hub=sud");
  ASSERT_TRUE(elsewhere);
  EXPECT_EQ(elsewhere->body.find("id=\"empty-filters-tip\" hidden"), std::string::npos);
}

TEST_F(ServerSearch, AStaleOrEditedLinkShowsResultsRatherThanAnError) {
  // A sort, page or filter value the API refuses is left out by the page,
  // as the front end does: results, no message about parameters.
  for (const char* path : {"/?q=gas&sort=recenti", "/?q=gas&page=zero", "/?q=gas&year=duemila"}) {
    SCOPED_TRACE(path);
    auto page = client_->Get(path);
    ASSERT_TRUE(page);
    EXPECT_EQ(page->status, 200);
    EXPECT_EQ(page->body.find("parametro"), std::string::npos);
    EXPECT_EQ(page->body.find("Ordinamento"), std::string::npos);
    EXPECT_NE(page->body.find("Risultati anche per: «"), std::string::npos);
  }
  // A page past the last goes to the last one.
  const json all = search("");
  const int last = (all["total"].get<int>() + 9) / 10;
  auto past = client_->Get("/?page=99");
  ASSERT_TRUE(past);
  EXPECT_EQ(past->status, 302);
  EXPECT_EQ(past->get_header_value("Location"), last > 1 ? "/?page=" + std::to_string(last) : "/");
  auto beyond = client_->Get("/?q=gas&page=7");
  ASSERT_TRUE(beyond);
  EXPECT_EQ(beyond->status, 302);
  EXPECT_EQ(beyond->get_header_value("Location"), "/?q=gas");
  // A query too long says what to do, once.
  auto long_query = client_->Get(("/?q=" + std::string(600, 'a')).c_str());
  ASSERT_TRUE(long_query);
  EXPECT_EQ(long_query->status, 400);
  EXPECT_NE(long_query->body.find("La ricerca è troppo lunga: accorciala"), std::string::npos);
  EXPECT_EQ(long_query->body.find("non è valida"), std::string::npos);
}

// A practice found only through the editors' plain words, or only through
// its questions, says why: its snippet is cut from them (marked and escaped
// as any other), the API names the field, the results page says it in
// Italian. Other results are as before.
TEST_F(ServerSearch, ResultsFoundThroughThePlainWordsSaySo) {
  const fs::path file = content_ / "practices/nord/repair-cafe-milano.md";
  std::string text = read_file_for_test(file);
  const std::size_t after_summary = text.find('\n', text.find("\nsummary:") + 1) + 1;
  text.insert(
      after_summary,
      "in_parole_semplici: \"Si porta il frullatore rotto e lo si aggiusta insieme, <> invece di buttarlo.\"\n");
  write_file(file, text);
  build();

  const json j = search("q=frullatore");
  ASSERT_EQ(j["total"], 1) << j.dump();
  const json& hit = j["results"][0];
  EXPECT_EQ(hit.value("slug", ""), "repair-cafe-milano");
  EXPECT_EQ(hit.value("found_in", ""), "in_parole_semplici") << hit.dump();
  EXPECT_EQ(hit.value("snippet", ""),
            "Si porta il <mark>frullatore</mark> rotto e lo si aggiusta insieme, &lt;&gt; invece di buttarlo.");
  auto page = client_->Get("/?q=frullatore");
  ASSERT_TRUE(page);
  EXPECT_NE(page->body.find("<p class=\"result-why\">Trovata grazie alla descrizione in parole semplici</p>"),
            std::string::npos);
  EXPECT_NE(page->body.find("<mark>frullatore</mark>"), std::string::npos);

  // Found only through the questions it answers: the snippet is cut from
  // them, and the answer and the page say so.
  text = read_file_for_test(file);
  text.insert(text.find('\n', text.find("\nin_parole_semplici:") + 1) + 1,
              "domande:\n"
              "  - \"Dove porto l'asciugacapelli che non soffia più?\"\n"
              "  - \"Chi mi insegna a cucire un orlo <> scucito?\"\n"
              "  - \"Si può aggiustare una lampada invece di comprarne una nuova?\"\n");
  write_file(file, text);
  build();
  const json asked = search("q=" + pct("asciugacapelli che non soffia"));
  ASSERT_EQ(asked["total"], 1) << asked.dump();
  EXPECT_EQ(asked["results"][0].value("found_in", ""), "domande") << asked.dump();
  EXPECT_EQ(asked["results"][0].value("snippet", ""),
            "Dove porto l&#39;<mark>asciugacapelli</mark> che non <mark>soffia</mark> più? Chi mi insegna a cucire un "
            "orlo &lt;&gt; scucito? Si può aggiustare una lampada invece di comprarne una nuova?")
      << asked.dump();
  auto asked_page = client_->Get(("/?q=" + pct("asciugacapelli che non soffia")).c_str());
  ASSERT_TRUE(asked_page);
  EXPECT_NE(asked_page->body.find("<p class=\"result-why\">Trovata grazie alle domande a cui risponde</p>"),
            std::string::npos);
  // The plain words come first when they have the word.
  EXPECT_EQ(search("q=frullatore")["results"][0].value("found_in", ""), "in_parole_semplici");

  // Found by its own words: no "found_in", no line on the page.
  const json literal = search("q=riparazioni");
  ASSERT_FALSE(literal["results"].empty());
  for (const auto& other : literal["results"]) EXPECT_FALSE(other.contains("found_in")) << other.dump();
  auto literal_page = client_->Get("/?q=riparazioni");
  ASSERT_TRUE(literal_page);
  EXPECT_EQ(literal_page->body.find("Trovata grazie"), std::string::npos);
}

TEST_F(ServerSearch, SuggestCompletesTitlesAndTerms) {
  auto r = client_->Get("/api/suggest?q=bicib");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  json j = json::parse(r->body);
  ASSERT_FALSE(j["suggestions"].empty());
  EXPECT_LE(j["suggestions"].size(), 8u);
}

// A theme whose name is typed comes first and leads to its practices.
TEST_F(ServerSearch, SuggestOffersTheThemeAndItsFilter) {
  auto r = client_->Get("/api/suggest?q=gruppi%20di%20acq");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  json j = json::parse(r->body);
  ASSERT_FALSE(j["suggestions"].empty()) << r->body;
  const json& first = j["suggestions"][0];
  EXPECT_EQ(first["kind"], "theme") << r->body;
  EXPECT_EQ(first["text"], "Gruppi di acquisto solidale");
  EXPECT_EQ(first["url"], "/?theme=gruppi-di-acquisto-solidale");
  auto filtered = client_->Get(first["url"].get<std::string>());
  ASSERT_TRUE(filtered);
  EXPECT_EQ(filtered->status, 200);
}

TEST_F(ServerSearch, PracticeApiAndPageShowThePractice) {
  auto api = client_->Get("/api/practices/gas-quartiere-torino");
  ASSERT_TRUE(api);
  EXPECT_EQ(api->status, 200);
  json j = json::parse(api->body);
  EXPECT_EQ(j["title"], "Il GAS di quartiere che rifornisce l'emporio solidale");
  EXPECT_NE(j["body_html"].get<std::string>().find("<h2"), std::string::npos);
  EXPECT_LE(j["related"].size(), 5u);
  EXPECT_EQ(j["metadata"]["organisation"], "APS Filo Verde");

  auto page = client_->Get("/pratiche/gas-quartiere-torino");
  ASSERT_TRUE(page);
  EXPECT_EQ(page->status, 200);
  EXPECT_NE(page->body.find("Gruppi di acquisto solidale"), std::string::npos);
  EXPECT_NE(page->body.find("Barriera di Milano"), std::string::npos);
  EXPECT_NE(page->body.find("src=\"/media/nord/gas-quartiere-torino/copertina.svg\""), std::string::npos);
  auto media = client_->Get("/media/nord/gas-quartiere-torino/copertina.svg");
  EXPECT_EQ(media->status, 200);
  EXPECT_EQ(client_->Get("/pratiche/non-esiste")->status, 404);
}

TEST_F(ServerSearch, HealthzTaxonomyAndMetricsCountDocuments) {
  auto health = client_->Get("/healthz");
  EXPECT_EQ(health->status, 200);
  EXPECT_EQ(json::parse(health->body)["documents"], 6);
  json taxonomy = json::parse(client_->Get("/api/taxonomy")->body);
  for (const auto& hub : taxonomy["vocabularies"]["hub"]) EXPECT_EQ(hub["count"], 2);
  EXPECT_NE(client_->Get("/metrics")->body.find("bp_index_documents 6"), std::string::npos);
}

// A client loops on requests while the index is rebuilt twice (incremental,
// then full with a CURRENT swap) and reloaded: nothing fails and the new
// content shows up without a restart.
TEST_F(ServerSearch, RebuildsAreServedWithoutFailingRequests) {
  std::atomic<bool> stop{false};
  std::atomic<int> requests{0}, failures{0};
  std::vector<std::thread> clients;
  for (int t = 0; t < 3; ++t) {
    clients.emplace_back([&, t] {
      auto c = running_->client();
      const char* targets[] = {"/api/search?q=bicicletta&hub=centro", "/api/practices/bicibus-firenze",
                               "/pratiche/bicibus-firenze", "/api/search?theme=mobilita-sostenibile"};
      for (int i = t; !stop; ++i) {
        auto r = c->Get(targets[i % 4]);
        ++requests;
        if (!r || r->status != 200) ++failures;
      }
    });
  }
  auto wait_for = [&](const std::string& query, int total) {
    for (int i = 0; i < 2000; ++i) {  // bounded: about 20 s at most
      auto r = client_->Get(("/api/search?" + query).c_str());
      if (r && r->status == 200 && json::parse(r->body)["total"] == total) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return false;
  };

  const fs::path file = content_ / "practices/centro/bicibus-firenze.md";
  auto text = bp::read_file(file).value();
  auto replace = [&](const std::string& from, const std::string& to) {
    auto at = text.find(from);
    ASSERT_NE(at, std::string::npos);
    text.replace(at, from.size(), to);
    write_file(file, text);
  };
  replace("Bicibus: in bicicletta", "Velocipedi e bicibus: in bicicletta");
  build();
  EXPECT_TRUE(wait_for("q=velocipedi", 1));
  replace("Velocipedi e bicibus", "Tandem e bicibus");
  build(/*rebuild=*/true);
  EXPECT_TRUE(wait_for("q=tandem", 1));
  running_->server().reload();  // what SIGHUP does
  EXPECT_TRUE(wait_for("q=tandem", 1));
  EXPECT_EQ(search("q=velocipedi")["total"], 0);
  stop = true;
  for (auto& c : clients) c.join();
  EXPECT_GT(requests, 10);
  EXPECT_EQ(failures, 0);
  auto page = client_->Get("/pratiche/bicibus-firenze");
  EXPECT_NE(page->body.find("Tandem e bicibus"), std::string::npos);
}

// The descriptors this process holds on files under `dir` that were
// deleted (a replaced database folder that a reader still holds).
int deleted_files_held_under(const fs::path& dir) {
  const std::string prefix = fs::canonical(dir).string() + "/";
  int held = 0;
  for (const auto& fd : fs::directory_iterator("/proc/self/fd")) {
    std::error_code ec;
    const std::string target = fs::read_symlink(fd.path(), ec).string();
    if (!ec && target.starts_with(prefix) && target.ends_with(" (deleted)")) ++held;
  }
  return held;
}

// A full rebuild replaces the index's database folder, and the build after
// it deletes the old one. The workers that served searches before and
// nothing after still let go of it: its disk space is freed only when its
// last reader closes it.
TEST_F(ServerSearch, IdleWorkersLetGoOfARebuiltIndex) {
  auto options = options_on_index(content_, index_, tmp_.path() / "web");
  options.threads = 4;
  options.idle_refresh_ms = 20;
  client_.reset();
  running_ = std::make_unique<RunningServer>(options, *taxonomy_, searcher_on(index_, *taxonomy_));
  client_ = running_->client();
  std::vector<std::thread> clients;
  for (int t = 0; t < 4; ++t)
    clients.emplace_back([&] {
      auto c = running_->client();
      for (int i = 0; i < 20; ++i) {
        auto r = c->Get("/api/search?q=orti");
        EXPECT_TRUE(r && r->status == 200);
      }
    });
  for (auto& c : clients) c.join();
  const std::string before = search("q=orti")["total"].dump();

  // The rebuild writes a new folder; the next build deletes the old one
  // (kept meanwhile for the readers of the previous build).
  build(/*rebuild=*/true);
  build();
  bool released = false;
  for (int i = 0; i < 1000 && !released; ++i) {  // bounded: about 10 s at most
    released = deleted_files_held_under(index_) == 0;
    if (!released) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  EXPECT_TRUE(released) << deleted_files_held_under(index_) << " files of the replaced database still open";
  EXPECT_EQ(search("q=orti")["total"].dump(), before) << "and the new database answers";
}

// Query syntax and parameters at their nastiest, on the real engine.
TEST_F(ServerSearch, FuzzedQueriesNeverCause500) {
  std::mt19937 rng(7);
  const std::vector<std::string> pieces = {
      "\"", "\"orti", "OR", "AND", "NOT", "-", "-orti", "+", "*", "(", ")", "((", "a*",
      "orti", "citta", "città", "dell'ambiente", "l’agricoltura", "gas", "cer", "ríparazione",
      std::string(300, 'z'), std::string(250, 'a') + "é", "\xF0\x9F\x9A\xB2", "e\xCC\x81",
      "\xE2\x80\x8B", "NEAR", "ADJ", "title:orti", "XHUBnord", "Qgas-quartiere-torino", "~", "^",
      "0", "-1", "99999999999999999999", "%", "_", ":", ";", "\t", " "};
  const std::vector<std::string> facets = {"hub", "region", "theme", "dimension", "sdg",
                                           "audience", "module", "year"};
  int served = 0;
  for (int i = 0; i < 1500; ++i) {
    std::string q;
    const int words = static_cast<int>(rng() % 6);
    for (int w = 0; w < words; ++w) q += pieces[rng() % pieces.size()] + (rng() % 3 ? " " : "");
    if (q.size() > 500) q.resize(500);
    std::string target = (rng() % 4 ? "/api/search?q=" : "/api/suggest?q=") + pct(q);
    if (rng() % 2) {
      const auto& f = facets[rng() % facets.size()];
      target += "&" + f + "=" + pct(f == "sdg" || f == "year" ? std::to_string(rng() % 3000)
                                                              : pieces[rng() % pieces.size()]);
    }
    if (rng() % 4 == 0) target += "&sort=" + std::string(rng() % 2 ? "date" : "title");
    if (rng() % 4 == 0) target += "&page=" + std::to_string(1 + rng() % 10000);
    auto r = client_->Get(target.c_str());
    ASSERT_TRUE(r) << target;
    ++served;
    ASSERT_LT(r->status, 500) << target << " " << r->body;
  }
  EXPECT_EQ(served, 1500);
  EXPECT_EQ(client_->Get("/healthz")->status, 200);
}

}  // namespace
}  // namespace bp::test
