// End-to-end tests of bp-server's HTTP layer over a fake engine: answer
// shapes, validation, static hosting, security headers, metrics, 404s and a
// fuzz run. The real engine is exercised by server_search_test.cc.
#include <gtest/gtest.h>

#include <algorithm>

#include <atomic>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <random>

#include "bp/civil_time.h"
#include "test_server.h"

namespace bp::test {
namespace {

using nlohmann::json;

struct FakeState {
  std::atomic<int> opens{0};
  std::atomic<bool> index_available{true};
};

// Answers from the request it was given, so tests can see what the handler
// parsed; knows one practice.
class FakeSearcher : public Searcher {
 public:
  Result<SearchResponse> search(const SearchRequest& r) override {
    SearchResponse out;
    out.query = r.q;
    out.page = r.page;
    out.per_page = r.per_page;
    out.total = 1;
    SearchHit hit;
    hit.practice = summary();
    hit.snippet_html = "un <mark>gruppo</mark> di acquisto";
    out.results.push_back(hit);
    for (const auto& [facet, values] : r.filters)
      for (const auto& v : values) out.facets[facet][v] = 1;
    if (r.year_from) out.facets["year_from"][std::to_string(*r.year_from)] = 1;
    if (r.year_to) out.facets["year_to"][std::to_string(*r.year_to)] = 1;
    out.facets["sort"][std::to_string(static_cast<int>(r.sort))] = 1;
    if (r.q == "grupo") out.suggestion = "gruppo";
    out.interpretation.corrected["grupo"] = "gruppo";
    return out;
  }
  Result<std::vector<Suggestion>> suggest(const std::string& prefix, int limit) override {
    std::vector<Suggestion> out;
    if (!prefix.empty()) out.push_back({"gruppo di acquisto", "term", ""});
    out.push_back({summary().title, "title", summary().slug});
    if (static_cast<int>(out.size()) > limit) out.resize(static_cast<std::size_t>(limit));
    return out;
  }
  Result<PracticePage> practice(const std::string& slug) override {
    if (slug != "gas-quartiere-torino") return Status::not_found(slug);
    PracticePage page;
    page.practice = summary();
    page.body_html = "<h2>Contesto</h2>\n<p>Corpo <em>già</em> sicuro.</p>";
    page.json = R"({"title":"x","path":"practices/nord/gas-quartiere-torino.md",)"
                R"("cover":{"src":"copertina.svg","alt":"Cassette \"bio\"",)"
                R"("url":"/media/nord/gas-quartiere-torino/copertina.svg"}})";
    PracticeSummary related;
    related.slug = "repair-cafe-milano";
    related.title = "Repair café <Milano>";
    related.region = "lombardia";
    page.related.push_back(related);
    return page;
  }
  Result<FacetCounts> facet_counts() override {
    return FacetCounts{{"hub", {{"nord", 2}}}, {"theme", {{"economia-circolare", 1}}}};
  }
  std::uint64_t document_count() override { return 6; }
  bool refresh() override { return false; }
  // Built two hours ago: what a replica reports although its files are new.
  Result<IndexInfo> index_info() override {
    const auto now = std::chrono::duration_cast<std::chrono::seconds>(
                         std::chrono::system_clock::now().time_since_epoch())
                         .count();
    return IndexInfo{"uuid:7", utc_iso(now - 7200), ""};
  }

  static PracticeSummary summary() {
    PracticeSummary p;
    p.slug = "gas-quartiere-torino";
    p.title = "Il GAS <di> \"quartiere\" & l'emporio";
    p.summary = "Un gruppo di acquisto solidale di Torino <script>alert(1)</script>.";
    p.hub = "nord";
    p.region = "piemonte";
    p.city = "Torino";
    p.themes = {"gruppi-di-acquisto-solidale"};
    p.dimensions = {"economica", "sociale"};
    p.sdgs = {2, 12};
    p.audience = {"volontari"};
    p.modules = {"m03"};
    p.organisation = "APS Filo Verde";
    p.year = 2021;
    p.date = "2023-03-14";
    return p;
  }
};

class ServerHttp : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    Diagnostics diagnostics;
    taxonomy_ = new std::optional<Taxonomy>(
        Taxonomy::load(fs::path(BP_SOURCE_DIR) / "tests/server/library/taxonomy.yaml", &diagnostics));
    ASSERT_TRUE(taxonomy_->has_value());
  }
  static void TearDownTestSuite() { delete taxonomy_; }

  void SetUp() override {
    const fs::path root = tmp_.path();
    web_ = root / "web";
    write_file(web_ / "index.html", "<!doctype html><title>Cerca</title>");
    write_file(web_ / "templates/layout.mustache", "{{{content}}}");
    write_file(web_ / "css/practice.css", "body { color: #222; }\n" + std::string(3000, ' '));
    write_file(web_ / "js/app.mjs", "export const x = 1;\n");
    write_file(web_ / "img/logo.svg", "<svg xmlns=\"http://www.w3.org/2000/svg\"/>");
    write_file(web_ / "fonts/a.woff2", "wOF2");
    write_file(web_ / ".hidden", "hidden");
    write_file(root / "secret.txt", "TOP-SECRET-CONTENT");
    write_file(root / "outside/secret.txt", "TOP-SECRET-CONTENT");
    fs::create_symlink(root / "secret.txt", web_ / "link-out.txt");
    fs::create_directory_symlink(root / "outside", web_ / "linkdir");
    fs::create_symlink(web_ / "css/practice.css", web_ / "link-in.css");

    options_.web_root = web_;
    options_.content_root = fs::path(BP_SOURCE_DIR) / "tests/server/library";
    options_.index_dir = root / "no-index";
    options_.access_log = nullptr;
    options_.public_base_url = "https://buonepratiche.example.org";
  }

  RunningServer& start() {
    auto state = state_;
    running_ = std::make_unique<RunningServer>(options_, **taxonomy_, [state]() -> Result<std::unique_ptr<Searcher>> {
      if (!state->index_available) return Status::not_found("no index");
      ++state->opens;
      return std::unique_ptr<Searcher>(std::make_unique<FakeSearcher>());
    });
    client_ = running_->client();
    return *running_;
  }

  httplib::Result get(const std::string& target, const httplib::Headers& headers = {}) {
    return client_->Get(target.c_str(), headers);
  }

  static json body_json(const httplib::Result& r) { return json::parse(r->body); }

  static std::optional<Taxonomy>* taxonomy_;
  TempDir tmp_;
  fs::path web_;
  server::Options options_;
  std::shared_ptr<FakeState> state_ = std::make_shared<FakeState>();
  std::unique_ptr<RunningServer> running_;
  std::unique_ptr<httplib::Client> client_;
};

std::optional<Taxonomy>* ServerHttp::taxonomy_ = nullptr;

TEST_F(ServerHttp, SearchAnswerHasTheDocumentedShape) {
  start();
  auto r = get("/api/search?q=gruppo&theme=economia-circolare&theme=beni-comuni&hub=nord&sdg=2"
               "&year_from=2020&year_to=2023&sort=date&page=2&per_page=5");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(r->get_header_value("Content-Type"), "application/json; charset=utf-8");
  EXPECT_EQ(r->get_header_value("Cache-Control"), "no-store");
  json j = body_json(r);
  for (const char* key : {"query", "total", "page", "per_page", "results", "facets", "suggestion",
                          "interpretation", "took_ms"})
    EXPECT_TRUE(j.contains(key)) << key;
  EXPECT_EQ(j["query"], "gruppo");
  EXPECT_EQ(j["page"], 2);
  EXPECT_EQ(j["per_page"], 5);
  EXPECT_TRUE(j["suggestion"].is_null());
  const json& hit = j["results"][0];
  EXPECT_EQ(hit["url"], "/pratiche/gas-quartiere-torino");
  EXPECT_EQ(hit["snippet"], "un <mark>gruppo</mark> di acquisto");
  EXPECT_EQ(hit["sdgs"], json({2, 12}));
  for (const char* key : {"slug", "url", "title", "summary", "hub", "region", "city", "themes",
                          "dimensions", "sdgs", "year", "date", "snippet"})
    EXPECT_TRUE(hit.contains(key)) << key;
  // Repeated parameters reach the engine as one OR-ed facet.
  EXPECT_EQ(j["facets"]["theme"], json({{"beni-comuni", 1}, {"economia-circolare", 1}}));
  EXPECT_EQ(j["facets"]["hub"], json({{"nord", 1}}));
  EXPECT_EQ(j["facets"]["year_from"], json({{"2020", 1}}));
  EXPECT_EQ(j["facets"]["sort"], json({{"1", 1}}));  // SortOrder::kDate
  EXPECT_EQ(j["interpretation"]["corrected"]["grupo"], "gruppo");
  for (const auto& facet : facet_names()) EXPECT_TRUE(j["facets"].contains(facet)) << facet;
}

TEST_F(ServerHttp, DidYouMeanIsAString) {
  start();
  auto r = get("/api/search?q=grupo");
  ASSERT_TRUE(r);
  EXPECT_EQ(body_json(r)["suggestion"], "gruppo");
}

TEST_F(ServerHttp, UnknownFacetValueIsNotAnError) {
  start();
  auto r = get("/api/search?theme=non-esiste&region=" + pct("Valle d'Aosta"));
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
}

TEST_F(ServerHttp, EachBadParameterIsA400WithCodeAndItalianMessage) {
  start();
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"page=0", "invalid_page"},
      {"page=-1", "invalid_page"},
      {"page=abc", "invalid_page"},
      {"page=1.5", "invalid_page"},
      {"page=", "invalid_page"},
      {"page=99999999999999999999", "invalid_page"},
      {"page=10001", "invalid_page"},
      {"per_page=0", "invalid_per_page"},
      {"per_page=101", "invalid_per_page"},
      {"per_page=x", "invalid_per_page"},
      {"sort=popular", "invalid_sort"},
      {"year=duemila", "invalid_year"},
      {"sdg=x", "invalid_sdg"},
      {"sdg=%20", "invalid_sdg"},
      {"year_from=2020a", "invalid_year_from"},
      {"year_to=%20", "invalid_year_to"},
      {"q=" + std::string(501, 'a'), "query_too_long"},
      {"q=%C3%28", "invalid_encoding"},
      {"theme=%FF", "invalid_theme"},
      {"hub=" + std::string(101, 'a'), "invalid_hub"},
  };
  for (const auto& [query, code] : cases) {
    auto r = get("/api/search?" + query);
    ASSERT_TRUE(r) << query;
    EXPECT_EQ(r->status, 400) << query;
    json j = body_json(r);
    EXPECT_EQ(j["error"], code) << query;
    EXPECT_FALSE(j["message"].get<std::string>().empty()) << query;
  }
  auto ok = get("/api/search?q=" + std::string(500, 'a'));
  EXPECT_EQ(ok->status, 200);
  // An empty value is no filter: the same answer as without it.
  const json plain = body_json(get("/api/search?q=orti"));
  for (const char* empty : {"theme=", "hub=", "sdg=", "level=&theme="}) {
    const json with = body_json(get(std::string("/api/search?q=orti&") + empty));
    EXPECT_EQ(with["total"], plain["total"]) << empty;
  }
  auto suggest = get("/api/suggest?q=" + std::string(501, 'a'));
  EXPECT_EQ(suggest->status, 400);
}

TEST_F(ServerHttp, SuggestAnswersCompletions) {
  start();
  auto r = get("/api/suggest?q=grup");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  json j = body_json(r);
  EXPECT_EQ(j["query"], "grup");
  ASSERT_EQ(j["suggestions"].size(), 2u);
  EXPECT_EQ(j["suggestions"][1]["url"], "/pratiche/gas-quartiere-torino");
}

TEST_F(ServerHttp, PracticeApiAnswersMetadataBodyAndRelated) {
  start();
  auto r = get("/api/practices/gas-quartiere-torino");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  json j = body_json(r);
  EXPECT_EQ(j["slug"], "gas-quartiere-torino");
  EXPECT_EQ(j["organisation"], "APS Filo Verde");
  EXPECT_EQ(j["metadata"]["cover"]["src"], "copertina.svg");
  EXPECT_NE(j["body_html"].get<std::string>().find("<em>già</em>"), std::string::npos);
  EXPECT_EQ(j["related"][0]["url"], "/pratiche/repair-cafe-milano");

  auto missing = get("/api/practices/non-esiste");
  EXPECT_EQ(missing->status, 404);
  EXPECT_EQ(body_json(missing)["error"], "not_found");
  auto bad_slug = get("/api/practices/Non_Slug");
  EXPECT_EQ(bad_slug->status, 404);
  EXPECT_EQ(body_json(bad_slug)["error"], "not_found");
}

TEST_F(ServerHttp, TaxonomyListsEveryVocabularyWithLabelsAndCounts) {
  start();
  auto r = get("/api/taxonomy");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  json v = body_json(r)["vocabularies"];
  for (const char* name : {"hub", "region", "theme", "dimension", "sdg", "audience", "module"})
    EXPECT_TRUE(v.contains(name)) << name;
  EXPECT_EQ(v["hub"][0]["slug"], "nord");
  EXPECT_EQ(v["hub"][0]["label"], "Nord");
  EXPECT_EQ(v["hub"][0]["count"], 2);
  EXPECT_EQ(v["hub"][1]["count"], 0);
  EXPECT_EQ(v["sdg"][1]["color"], "#DDA63A");
  EXPECT_EQ(v["region"].size(), 20u);
}

TEST_F(ServerHttp, PracticePageIsCompleteEscapedHtml) {
  start();
  auto r = get("/pratiche/gas-quartiere-torino");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(r->get_header_value("Content-Type"), "text/html; charset=utf-8");
  const std::string& html = r->body;
  auto has = [&](const std::string& s) { return html.find(s) != std::string::npos; };
  EXPECT_TRUE(has("<html lang=\"it\">"));
  EXPECT_TRUE(has("<title>Il GAS &lt;di&gt; &quot;quartiere&quot; &amp; l&apos;emporio – Buone Pratiche</title>"))
      << html.substr(0, 400);
  EXPECT_FALSE(has("<script>alert(1)</script>"));
  EXPECT_TRUE(has("<meta name=\"description\""));
  EXPECT_TRUE(has("property=\"og:title\""));
  EXPECT_TRUE(has("<link rel=\"canonical\" href=\"https://buonepratiche.example.org/pratiche/gas-quartiere-torino\">"));
  EXPECT_TRUE(has("href=\"/css/practice.css\""));
  EXPECT_TRUE(has("href=\"/css/print.css\" media=\"print\""));
  EXPECT_TRUE(has("Gruppi di acquisto solidale"));  // theme label from the taxonomy
  EXPECT_TRUE(has("Piemonte"));
  EXPECT_TRUE(has("class=\"badge-sdg sdg-2\""));
  EXPECT_TRUE(has("href=\"/css/sdg-colori.css\""));
  EXPECT_TRUE(has("<em>già</em>"));  // body_html as given
  EXPECT_TRUE(has("href=\"/pratiche/repair-cafe-milano\">Repair café &lt;Milano&gt;</a>"));
  EXPECT_TRUE(has("class=\"citation\""));
  EXPECT_TRUE(has("Copia link"));
  EXPECT_TRUE(has("14 marzo 2023"));
  EXPECT_TRUE(has("src=\"/media/nord/gas-quartiere-torino/copertina.svg\""));
}

TEST_F(ServerHttp, SdgColoursComeFromTheTaxonomy) {
  start();
  auto r = get("/css/sdg-colori.css");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(r->get_header_value("Content-Type"), "text/css; charset=utf-8");
  EXPECT_NE(r->body.find(".badge-sdg.sdg-2 { background-color: #DDA63A;"), std::string::npos);
}

TEST_F(ServerHttp, UnknownPracticePageIsAnItalian404WithALinkToTheSearch) {
  start();
  auto r = get("/pratiche/non-esiste");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 404);
  EXPECT_NE(r->body.find("Pagina non trovata"), std::string::npos);
  EXPECT_NE(r->body.find("href=\"/\""), std::string::npos);
}

// A page typed or linked with a trailing slash ("/docenti/") is the page:
// 301 to it, the query kept; never to another host.
TEST_F(ServerHttp, APageWithATrailingSlashRedirectsToThePage) {
  start();
  auto r = get("/docenti/");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 301);
  EXPECT_EQ(r->get_header_value("Location"), "/docenti");
  r = get("/pratiche/gas-quartiere-torino//?da=qr");
  EXPECT_EQ(r->status, 301);
  EXPECT_EQ(r->get_header_value("Location"), "/pratiche/gas-quartiere-torino?da=qr");
  // In capitals, as a leaflet or a message may print it: the page.
  r = get("/pratiche/GAS-Quartiere-Torino?da=qr");
  EXPECT_EQ(r->status, 301);
  EXPECT_EQ(r->get_header_value("Location"), "/pratiche/gas-quartiere-torino?da=qr");
  r = get("/Docenti/");
  EXPECT_EQ(r->status, 301);
  EXPECT_EQ(r->get_header_value("Location"), "/docenti");
  // "/pratiche/", a practice's address without its name: the library's
  // list, which is the search page, not a 404.
  r = get("/pratiche/");
  EXPECT_EQ(r->status, 301);
  EXPECT_EQ(r->get_header_value("Location"), "/pratiche");
  r = get("/pratiche?hub=sud");
  EXPECT_EQ(r->status, 301);
  EXPECT_EQ(r->get_header_value("Location"), "/?hub=sud");
  for (const char* away : {"//evil.example/", "/%2F%2Fevil.example/", "/%5Cevil.example/", "///", "//EVIL.example",
                           "/A%0D%0ASet-Cookie:%20x=1"}) {
    r = get(away);
    ASSERT_TRUE(r) << away;
    EXPECT_EQ(r->status, 404) << away;
    EXPECT_FALSE(r->has_header("Location")) << away;
  }
}

TEST_F(ServerHttp, UnknownApiRoutesAnswer404Json) {
  start();
  for (const char* method : {"GET", "POST", "DELETE", "PUT"}) {
    std::string answer = raw_http(running_->port(), std::string(method) +
                                                        " /api/nothing/here HTTP/1.1\r\nHost: x\r\n"
                                                        "Content-Length: 0\r\nConnection: close\r\n\r\n");
    EXPECT_EQ(raw_status(answer), 404) << method;
    EXPECT_NE(answer.find("application/json"), std::string::npos) << method;
    EXPECT_NE(answer.find("\"error\":\"not_found\""), std::string::npos) << method;
  }
  auto page = get("/non/esiste");
  EXPECT_EQ(page->status, 404);
  EXPECT_EQ(page->get_header_value("Content-Type"), "text/html; charset=utf-8");
  EXPECT_NE(page->body.find("Pagina non trovata"), std::string::npos);
}

TEST_F(ServerHttp, HealthzReportsDocumentsOr503WithoutIndex) {
  start();
  auto ok = get("/healthz");
  EXPECT_EQ(ok->status, 200);
  const json body = body_json(ok);
  EXPECT_EQ(body["status"], "ok");
  EXPECT_EQ(body["documents"], 6);
  EXPECT_EQ(body["index"]["revision"], "uuid:7");
}

TEST_F(ServerHttp, WithoutAnIndexSearchAnswers503AndPagesStillWork) {
  state_->index_available = false;
  start();
  EXPECT_EQ(get("/healthz")->status, 503);
  auto search = get("/api/search?q=x");
  EXPECT_EQ(search->status, 503);
  EXPECT_EQ(body_json(search)["error"], "index_unavailable");
  // The search page says so in Italian; pages that need no index still work.
  auto home = get("/");
  EXPECT_EQ(home->status, 503);
  EXPECT_NE(home->body.find("La ricerca non è disponibile"), std::string::npos);
  EXPECT_NE(home->body.find("class=\"site-header"), std::string::npos);
  EXPECT_EQ(get("/docenti")->status, 200);
  EXPECT_EQ(get("/api/taxonomy")->status, 200);
  // The index appears: the next request finds it without a restart.
  state_->index_available = true;
  EXPECT_EQ(get("/healthz")->status, 200);
}

TEST_F(ServerHttp, ReloadReopensTheSearcherOfEveryThread) {
  auto& running = start();
  EXPECT_EQ(get("/healthz")->status, 200);
  const int before = state_->opens;
  running.server().reload();
  EXPECT_EQ(get("/healthz")->status, 200);
  EXPECT_EQ(state_->opens, before + 1);
}

TEST_F(ServerHttp, MetricsCountByRoutePatternAndStatus) {
  start();
  get("/api/practices/gas-quartiere-torino");
  get("/api/practices/non-esiste");
  get("/api/search?page=0");
  get("/nowhere");
  // cpp-httplib logs a request after writing its answer, on the thread that
  // served it, so counts may land a moment after the client has its answers
  // (and not in request order): poll until all of them are there (bounded).
  const std::vector<std::string> expected = {
      "bp_http_requests_total{route=\"/api/practices/:slug\",method=\"GET\",status=\"200\"} 1",
      "bp_http_requests_total{route=\"/api/practices/:slug\",method=\"GET\",status=\"404\"} 1",
      "bp_http_requests_total{route=\"/api/search\",method=\"GET\",status=\"400\"} 1",
      "bp_http_requests_total{route=\"unmatched\",method=\"GET\",status=\"404\"} 1",
      "bp_http_request_duration_seconds_count{route=\"/api/practices/:slug\"} 2",
      "bp_http_request_duration_seconds_bucket{route=\"/api/search\",le=\"+Inf\"} 1"};
  std::string m;
  auto has = [&](const std::string& s) { return m.find(s) != std::string::npos; };
  for (int i = 0; i < 500; ++i) {
    auto r = get("/metrics");
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 200);
    m = r->body;
    if (std::all_of(expected.begin(), expected.end(), has)) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  for (const auto& line : expected) EXPECT_TRUE(has(line)) << line;
  EXPECT_TRUE(has("# TYPE bp_http_request_duration_seconds histogram"));
  EXPECT_TRUE(has("bp_index_documents 6"));
  // The age comes from the build stamp (two hours ago), not from when the
  // files were written: a fresh replica of an old index is still old.
  const auto at = m.find("\nbp_index_age_seconds ");
  ASSERT_NE(at, std::string::npos) << m;
  const long age = std::stol(m.substr(at + 22));
  EXPECT_GE(age, 7200);
  EXPECT_LT(age, 7200 + 600);
  EXPECT_FALSE(has("non-esiste"));
  EXPECT_FALSE(has("nowhere"));
}

TEST_F(ServerHttp, SecurityHeadersOnEveryKindOfAnswer) {
  start();
  for (const char* target : {"/", "/api/search?q=a", "/api/search?page=0", "/api/nothing",
                             "/nowhere", "/pratiche/gas-quartiere-torino", "/css/practice.css"}) {
    auto r = get(target);
    ASSERT_TRUE(r) << target;
    EXPECT_EQ(r->get_header_value("X-Content-Type-Options"), "nosniff") << target;
    EXPECT_EQ(r->get_header_value("X-Frame-Options"), "DENY") << target;
    EXPECT_EQ(r->get_header_value("Referrer-Policy"), "strict-origin-when-cross-origin") << target;
    const std::string csp = r->get_header_value("Content-Security-Policy");
    EXPECT_NE(csp.find("default-src 'self'"), std::string::npos) << target;
    EXPECT_EQ(csp.find("unsafe-inline"), std::string::npos) << target;
  }
}

TEST_F(ServerHttp, StaticFilesHaveContentTypesAndCacheHeaders) {
  start();
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"/css/practice.css", "text/css; charset=utf-8"},
      {"/js/app.mjs", "text/javascript; charset=utf-8"},
      {"/img/logo.svg", "image/svg+xml"},
      {"/fonts/a.woff2", "font/woff2"},
      {"/link-in.css", "text/css; charset=utf-8"},  // a symlink inside the root is fine
      {"/media/nord/gas-quartiere-torino/copertina.svg", "image/svg+xml"},
  };
  for (const auto& [target, type] : cases) {
    auto r = get(target);
    ASSERT_TRUE(r) << target;
    EXPECT_EQ(r->status, 200) << target;
    EXPECT_EQ(r->get_header_value("Content-Type"), type) << target;
    EXPECT_FALSE(r->get_header_value("ETag").empty()) << target;
    EXPECT_FALSE(r->get_header_value("Last-Modified").empty()) << target;
    EXPECT_FALSE(r->get_header_value("Cache-Control").empty()) << target;
  }
  // Pages come from the templates, never from files in the folder.
  for (const char* page : {"/", "/docenti"}) {
    auto r = get(page);
    EXPECT_EQ(r->status, 200) << page;
    EXPECT_EQ(r->get_header_value("Content-Type"), "text/html; charset=utf-8") << page;
    EXPECT_NE(r->body.find("class=\"site-header"), std::string::npos) << page;
    EXPECT_EQ(r->get_header_value("Cache-Control"), "no-cache") << page;
  }
  for (const char* hidden : {"/index.html", "/templates/layout.mustache", "/docenti.html"})
    EXPECT_EQ(get(hidden)->status, 404) << hidden;
}

TEST_F(ServerHttp, LargeFilesAreStreamedWholeAndByRange) {
  std::string big(3 * 1024 * 1024 + 17, '\0');
  for (std::size_t i = 0; i < big.size(); ++i) big[i] = static_cast<char>('a' + i % 26);
  write_file(web_ / "docs/grande.pdf", big);
  start();
  auto whole = get("/docs/grande.pdf");
  ASSERT_TRUE(whole);
  EXPECT_EQ(whole->status, 200);
  EXPECT_EQ(whole->get_header_value("Content-Type"), "application/pdf");
  EXPECT_EQ(whole->body, big);
  auto part = get("/docs/grande.pdf", {{"Range", "bytes=1048576-1048585"}});
  EXPECT_EQ(part->status, 206);
  EXPECT_EQ(part->body, big.substr(1048576, 10));
  EXPECT_EQ(get("/docs/grande.pdf", {{"If-None-Match", whole->get_header_value("ETag")}})->status, 304);
}

TEST_F(ServerHttp, ConditionalRequestsAnswer304) {
  start();
  auto first = get("/css/practice.css");
  const std::string etag = first->get_header_value("ETag");
  auto by_etag = get("/css/practice.css", {{"If-None-Match", etag}});
  EXPECT_EQ(by_etag->status, 304);
  EXPECT_TRUE(by_etag->body.empty());
  EXPECT_EQ(by_etag->get_header_value("ETag"), etag);
  auto by_date = get("/css/practice.css", {{"If-Modified-Since", first->get_header_value("Last-Modified")}});
  EXPECT_EQ(by_date->status, 304);
  auto stale = get("/css/practice.css", {{"If-None-Match", "\"other\""}});
  EXPECT_EQ(stale->status, 200);
  // A changed file gets a new ETag.
  write_file(web_ / "css/practice.css", "body { color: #000; }\n");
  auto changed = get("/css/practice.css", {{"If-None-Match", etag}});
  EXPECT_EQ(changed->status, 200);
  EXPECT_NE(changed->get_header_value("ETag"), etag);
}

TEST_F(ServerHttp, CompressesTextWhenTheClientAcceptsGzip) {
  start();
  for (const char* target : {"/", "/css/practice.css", "/api/search?q=a", "/pratiche/gas-quartiere-torino"}) {
    auto gz = get(target, {{"Accept-Encoding", "gzip"}});
    ASSERT_TRUE(gz) << target;
    EXPECT_EQ(gz->get_header_value("Content-Encoding"), "gzip") << target;
    EXPECT_EQ(gz->get_header_value("Vary"), "Accept-Encoding") << target;
    auto plain = get(target);
    EXPECT_FALSE(plain->has_header("Content-Encoding")) << target;
  }
  auto font = get("/fonts/a.woff2", {{"Accept-Encoding", "gzip"}});
  EXPECT_FALSE(font->has_header("Content-Encoding"));
}

TEST_F(ServerHttp, NothingIsServedFromOutsideTheRoots) {
  start();
  const std::vector<std::string> attacks = {
      "/../secret.txt", "/%2e%2e/secret.txt", "/%2E%2E/secret.txt", "/%2e%2e%2fsecret.txt",
      "/..%2fsecret.txt", "/css/..%2f..%2fsecret.txt", "/css/../../secret.txt",
      "//etc/passwd", "/%2fetc%2fpasswd", "/%2Fetc/passwd", "/..%5csecret.txt",
      "/%5c..%5csecret.txt", "/..\\secret.txt", "/index.html%00.png", "/%00", "/link-out.txt",
      "/linkdir/secret.txt", "/.hidden", "/%2ehidden", "/./index.html",
      "/media/../../secret.txt", "/media/%2e%2e/%2e%2e/secret.txt", "/media//etc/passwd",
      "/media/nord/gas-quartiere-torino.md", "/media/nord/../../taxonomy.yaml",
      "/media/%2e%2e/taxonomy.yaml", "/media/nord/gas-quartiere-torino/..%2f..%2f..%2ftaxonomy.yaml",
      "/" + pct(fs::absolute(tmp_.path() / "secret.txt").string()),
      "/media/" + pct(fs::absolute(tmp_.path() / "secret.txt").string()),
  };
  for (const auto& target : attacks) {
    auto r = get(target);
    ASSERT_TRUE(r) << target;
    EXPECT_TRUE(r->status == 404 || r->status == 400) << target << " -> " << r->status;
    EXPECT_EQ(r->body.find("TOP-SECRET"), std::string::npos) << target;
    EXPECT_EQ(r->body.find("hubs:"), std::string::npos) << target;
    EXPECT_EQ(r->body.find("root:"), std::string::npos) << target;
  }
  // Request targets a browser would never send, straight on the socket.
  for (const std::string target : {"../secret.txt", "secret.txt", "/..", "*", "/css/..\\..\\secret.txt"}) {
    std::string answer = raw_http(running_->port(), "GET " + target +
                                                        " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    const int status = raw_status(answer);
    EXPECT_TRUE(status == 404 || status == 400) << target << " -> " << status;
    EXPECT_EQ(answer.find("TOP-SECRET"), std::string::npos) << target;
  }
}

TEST_F(ServerHttp, OverlongPathsAreRefusedBeforeRouting) {
  start();
  auto api = get("/api/" + std::string(5000, 'a'));
  EXPECT_EQ(api->status, 414);
  EXPECT_EQ(body_json(api)["error"], "uri_too_long");
  EXPECT_EQ(get("/" + std::string(5000, 'a'))->status, 414);
  EXPECT_EQ(get("/healthz")->status, 200);
}

TEST_F(ServerHttp, AccessLogHasNoTokensNorAuthorization) {
  std::FILE* log = std::tmpfile();
  ASSERT_NE(log, nullptr);
  options_.access_log = log;
  start();
  get("/docenti?token=SEGRETO123&x=1", {{"Authorization", "Bearer SEGRETO456"}});
  get("/api/search?q=orti%20di%20via%20Roma&hub=nord");
  running_.reset();  // flushes and stops before reading
  std::rewind(log);
  std::string text;
  char buf[4096];
  std::size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, log)) > 0) text.append(buf, n);
  std::fclose(log);
  EXPECT_NE(text.find("GET /docenti?token=[redacted]&x=1 200"), std::string::npos) << text;
  // What a person searched never sits next to their address and the time.
  EXPECT_NE(text.find("GET /api/search?hub=nord&q=[omitted] 200"), std::string::npos) << text;
  EXPECT_EQ(text.find("orti"), std::string::npos) << text;
  EXPECT_EQ(text.find("SEGRETO"), std::string::npos) << text;
  EXPECT_EQ(text.find("Bearer"), std::string::npos) << text;
}

// A few thousand hostile requests: no 500, no crash, and the server still
// answers afterwards.
TEST_F(ServerHttp, FuzzedParametersAndPathsNeverCause500) {
  start();
  std::mt19937 rng(20231126);
  const std::vector<std::string> keys = {"q", "page", "per_page", "sort", "hub", "region", "theme",
                                         "dimension", "sdg", "audience", "module", "year",
                                         "year_from", "year_to", "", "q[]", "%00", "page%00"};
  const std::vector<std::string> nasty = {
      "", "0", "-1", "1", "100", "101", "2147483647", "2147483648", "-2147483649",
      "99999999999999999999999999", "1e3", "0x10", " 1", "1 ", "+1", "NaN", "%00", "%FF%FE",
      "%C3%28", "%ED%A0%80", "%F4%90%80%80", "%C0%AF", "a%00b", "%22%3Cscript%3E", "\"OR\"",
      "NOT", "-", "\"", "\"\"", "(((", ")", "*", "a*", "AND OR NOT", "%E2%80%99", "citt%C3%A0",
      "dell%27ambiente", "%27", "%5C", "..%2F..%2F", "%25", "%", "%G1", "relevance", "date",
      "title", "nord", "sud", "2022", "12", std::string(600, 'x'), std::string(499, 'a') + "%C3%A0"};
  const std::vector<std::string> paths = {"/api/search", "/api/suggest", "/api/practices/",
                                          "/pratiche/", "/api/taxonomy", "/media/", "/", "/api/",
                                          "/healthz", "/docenti"};
  auto random_bytes = [&](std::size_t max) {
    std::string s(rng() % (max + 1), '\0');
    for (auto& c : s) c = static_cast<char>(rng() % 256);
    return pct(s);
  };
  int served = 0;
  for (int i = 0; i < 3000; ++i) {
    std::string target = paths[rng() % paths.size()];
    if (target.back() == '/') target += (rng() % 2) ? nasty[rng() % nasty.size()] : random_bytes(40);
    const int params = static_cast<int>(rng() % 6);
    for (int p = 0; p < params; ++p) {
      target += (p == 0 ? "?" : "&") + keys[rng() % keys.size()] + "=" +
                ((rng() % 3) ? nasty[rng() % nasty.size()] : random_bytes(30));
    }
    auto r = get(target, {{"Accept-Encoding", (rng() % 2) ? "gzip" : "identity"}});
    if (!r) continue;  // a target the client refuses to send
    ++served;
    ASSERT_LT(r->status, 500) << target;
  }
  EXPECT_GT(served, 2500);
  EXPECT_EQ(get("/healthz")->status, 200);
}

}  // namespace
}  // namespace bp::test
