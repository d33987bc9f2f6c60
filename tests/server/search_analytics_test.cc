// What people search, counted by the server for the editors (issue 17,
// item 7; server/src/search_analytics.h): the search page and deliberate API
// searches count, crawlers and scripts do not, result links count their
// click through /vai/ and land on the practice, and nobody gets a cookie.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <regex>

#include "bp/index_builder.h"
#include "bp/query_tally.h"
#include "test_server.h"

namespace bp::test {
namespace {

using nlohmann::json;

constexpr const char* kFirefox = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0";

class SearchAnalytics : public ::testing::Test {
 protected:
  void SetUp() override {
    const fs::path content = tmp_.path() / "library";
    fs::copy(fs::path(BP_SOURCE_DIR) / "tests/server/library", content, fs::copy_options::recursive);
    const fs::path index = tmp_.path() / "index";
    BuildOptions build;
    build.content_root = content;
    build.index_dir = index;
    ASSERT_TRUE(build_index(build).ok());
    Diagnostics diagnostics;
    taxonomy_ = Taxonomy::load(content / "taxonomy.yaml", &diagnostics);
    ASSERT_TRUE(taxonomy_.has_value());
    running_ = std::make_unique<RunningServer>(options_on_index(content, index, tmp_.path() / "web"), *taxonomy_,
                                               searcher_on(index, *taxonomy_),
                                               [this](server::Server& s) { s.count_searches(&tally_); });
    client_ = running_->client();
  }

  httplib::Result get(const std::string& path, const std::string& user_agent = kFirefox,
                      httplib::Headers headers = {}) {
    headers.emplace("User-Agent", user_agent);
    return client_->Get(path.c_str(), headers);
  }

  // The figures counted for `query` (normalised) since the last call.
  QueryCounts counted(const std::string& query) {
    batch_.merge(tally_.drain());
    QueryCounts total;
    for (const auto& [key, c] : batch_.queries)
      if (key.second == query) total += c;
    return total;
  }
  std::int64_t clicks_at(int position) {
    batch_.merge(tally_.drain());
    std::int64_t n = 0;
    for (const auto& [key, c] : batch_.positions)
      if (key.second == position) n += c;
    return n;
  }

  TempDir tmp_;
  std::optional<Taxonomy> taxonomy_;
  QueryTally tally_;
  TallyBatch batch_;
  std::unique_ptr<RunningServer> running_;
  std::unique_ptr<httplib::Client> client_;
};

TEST_F(SearchAnalytics, TheSearchPageCountsAPersonsSearchAndSetsNoCookie) {
  auto page = get("/?q=Orti%20didattici");
  ASSERT_TRUE(page);
  EXPECT_EQ(page->status, 200);
  EXPECT_FALSE(page->has_header("Set-Cookie"));
  auto none = get("/?q=astronavi");
  ASSERT_TRUE(none);
  EXPECT_FALSE(none->has_header("Set-Cookie"));
  EXPECT_EQ(counted("orti didattici").searches, 1);
  EXPECT_EQ(counted("orti didattici").zero_results, 0);
  EXPECT_EQ(counted("astronavi").zero_results, 1);
  // Page 2 of the same search, and the browsing page without a query, are
  // not new searches.
  ASSERT_TRUE(get("/?q=Orti%20didattici&page=2"));
  ASSERT_TRUE(get("/"));
  EXPECT_EQ(counted("orti didattici").searches, 1);
}

// The editors' report links each query to its results with anteprima=1:
// an editor looking at what people got does not add a search to the report.
TEST_F(SearchAnalytics, TheEditorsLookFromTheReportIsNotCounted) {
  auto page = get("/?q=Orti%20didattici&anteprima=1");
  ASSERT_TRUE(page);
  EXPECT_EQ(page->status, 200);
  EXPECT_NE(page->body.find("Orti didattici"), std::string::npos) << "the same page people see";
  EXPECT_EQ(counted("orti didattici").searches, 0);
  ASSERT_TRUE(get("/?q=Orti%20didattici"));
  EXPECT_EQ(counted("orti didattici").searches, 1);
}

TEST_F(SearchAnalytics, TheApiCountsOnlyWhenTheFrontEndAsks) {
  ASSERT_TRUE(get("/api/search?q=orti"));
  EXPECT_EQ(counted("orti").searches, 0) << "a pause while typing, a script: not counted";
  auto r = get("/api/search?q=orti&analytics=1");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  EXPECT_FALSE(r->has_header("Set-Cookie"));
  EXPECT_EQ(counted("orti").searches, 1);
}

TEST_F(SearchAnalytics, CrawlersScriptsAndPrefetchesAreNotCounted) {
  for (const char* agent : {"Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
                            "Mozilla/5.0 (compatible; bingbot/2.0)", "facebookexternalhit/1.1",
                            "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 HeadlessChrome/120.0",
                            "curl/7.88.1", ""}) {
    ASSERT_TRUE(get("/?q=riparazione", agent)) << agent;
    ASSERT_TRUE(get("/api/search?q=riparazione&analytics=1", agent)) << agent;
  }
  ASSERT_TRUE(get("/?q=riparazione", kFirefox, {{"Sec-Purpose", "prefetch"}}));
  EXPECT_EQ(counted("riparazione").searches, 0);
}

TEST_F(SearchAnalytics, ResultLinksCountTheirClickAndLeadToThePractice) {
  auto page = get("/?q=orti");
  ASSERT_TRUE(page);
  std::smatch m;
  ASSERT_TRUE(std::regex_search(page->body, m, std::regex(R"re(href="(/vai/1/([a-z0-9-]+)\?q=orti)" rel="nofollow")re")))
      << "the first result links through the counting redirect, nofollow";
  const std::string link = m[1], slug = m[2];
  auto click = get(link);
  ASSERT_TRUE(click);
  EXPECT_EQ(click->status, 303);
  EXPECT_EQ(click->get_header_value("Location"), "/pratiche/" + slug);
  EXPECT_EQ(click->get_header_value("Cache-Control"), "no-store");
  EXPECT_FALSE(click->has_header("Set-Cookie"));
  auto practice = get(click->get_header_value("Location"));
  ASSERT_TRUE(practice);
  EXPECT_EQ(practice->status, 200);
  EXPECT_EQ(counted("orti").clicks, 1);
  EXPECT_EQ(clicks_at(1), 1);
  // A query written by a form or URLSearchParams ('+' for spaces) counts as typed.
  auto spaced = get("/vai/2/" + slug + "?q=Orti+a+scuola");
  ASSERT_TRUE(spaced);
  EXPECT_EQ(spaced->status, 303);
  EXPECT_EQ(counted("orti a scuola").clicks, 1);
  EXPECT_EQ(clicks_at(2), 1);
  // A crawler that follows the link anyway reaches the practice uncounted.
  auto bot = get(link, "Mozilla/5.0 (compatible; Googlebot/2.1)");
  ASSERT_TRUE(bot);
  EXPECT_EQ(bot->status, 303);
  EXPECT_EQ(counted("orti").clicks, 1);
}

TEST_F(SearchAnalytics, TheRedirectRefusesUnknownPracticesAndOtherSites) {
  for (const char* path : {"/vai/1/non-esiste?q=orti", "/vai/1/https://evil.example.org?q=orti",
                           "/vai/1//evil.example.org", "/vai/x/orti-didattici-bari", "/vai/1/..%2F..%2Fetc"}) {
    auto r = get(path);
    ASSERT_TRUE(r) << path;
    EXPECT_EQ(r->status, 404) << path;
    EXPECT_FALSE(r->has_header("Location")) << path;
  }
  EXPECT_EQ(counted("orti").clicks, 0);
  // Without a query (browsing) results link to the practice directly.
  auto browse = get("/");
  ASSERT_TRUE(browse);
  EXPECT_EQ(browse->body.find("/vai/"), std::string::npos);
  // Crawlers are told not to index the redirect (and links are nofollow).
  auto redirect = get("/vai/1/orti-didattici-bari?q=orti");
  ASSERT_TRUE(redirect);
  EXPECT_EQ(redirect->get_header_value("X-Robots-Tag"), "noindex, nofollow");
  // The practice page keeps the search as its referrer ("Torna alla ricerca").
  EXPECT_EQ(redirect->get_header_value("Referrer-Policy"), "strict-origin-when-cross-origin");
}

}  // namespace
}  // namespace bp::test
