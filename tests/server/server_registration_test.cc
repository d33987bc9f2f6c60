// The registration module mounted on bp-server as main mounts it: its routes
// get the server's security headers, metrics labels, access log and 404s.
#include <gtest/gtest.h>

#include <algorithm>

#include <nlohmann/json.hpp>

#include "bp/registration/registration.h"
#include "test_server.h"

namespace bp::test {
namespace {

using nlohmann::json;

TEST(ServerRegistration, MountedRoutesShareTheServerHooks) {
  TempDir tmp;
  const fs::path content = fs::path(BP_SOURCE_DIR) / "library-content";
  Diagnostics diagnostics;
  auto taxonomy = Taxonomy::load(content / "taxonomy.yaml", &diagnostics);
  ASSERT_TRUE(taxonomy);
  server::Options options;
  options.content_root = content;
  options.web_root = tmp.path() / "web";
  options.index_dir = tmp.path() / "no-index";
  options.access_log = nullptr;
  fs::create_directories(options.web_root);

  std::unique_ptr<registration::Module> module;
  RunningServer running(
      options, *taxonomy, [] { return Result<std::unique_ptr<Searcher>>(Status::not_found("none")); },
      [&](server::Server& s) {
        registration::Options reg;
        reg.data_dir = tmp.path() / "var";
        reg.content_root = content;
        reg.admin_token = "test-admin-token-of-32-characters";
        fs::create_directories(reg.data_dir);
        auto mounted = registration::open(reg, *taxonomy, pages());
        ASSERT_TRUE(mounted.ok()) << mounted.status().message();
        module = std::move(*mounted);
        s.mount(module->routes());
      });
  ASSERT_TRUE(module);
  auto client = running.client();

  auto programme = client->Get("/api/programme");
  ASSERT_TRUE(programme);
  EXPECT_EQ(programme->status, 200);
  EXPECT_EQ(programme->get_header_value("X-Content-Type-Options"), "nosniff");
  EXPECT_EQ(programme->get_header_value("X-Frame-Options"), "DENY");
  EXPECT_FALSE(programme->get_header_value("Content-Security-Policy").empty());

  auto admin = client->Get("/api/admin/stats");  // no token
  ASSERT_TRUE(admin);
  EXPECT_GE(admin->status, 400);
  EXPECT_LT(admin->status, 500);

  auto unknown = client->Get("/api/registrations-nope");
  ASSERT_TRUE(unknown);
  EXPECT_EQ(unknown->status, 404);
  EXPECT_EQ(json::parse(unknown->body)["error"], "not_found");

  // Unknown paths under any module's prefix, GET or POST: 404, "unmatched".
  for (const char* path : {"/api/registrations-nope", "/api/admin/zzz", "/iscrizione-x", "/api/programmes"}) {
    auto get = client->Get(path);
    ASSERT_TRUE(get) << path;
    EXPECT_EQ(get->status, 404) << path;
    auto post = client->Post(path, "{}", "application/json");
    ASSERT_TRUE(post) << path;
    EXPECT_EQ(post->status, 404) << path;
    if (std::string(path).starts_with("/api/")) {
      EXPECT_EQ(json::parse(post->body)["error"], "not_found") << path;
    }
  }
  // A known path with the wrong method: 405 and the methods it takes.
  auto wrong = client->Post("/api/programme", "{}", "application/json");
  ASSERT_TRUE(wrong);
  EXPECT_EQ(wrong->status, 405);
  EXPECT_EQ(wrong->get_header_value("Allow"), "GET, HEAD");
  EXPECT_EQ(json::parse(wrong->body)["error"], "method_not_allowed");
  auto wrong_get = client->Get("/api/registrations");
  ASSERT_TRUE(wrong_get);
  EXPECT_EQ(wrong_get->status, 405);
  EXPECT_EQ(wrong_get->get_header_value("Allow"), "POST");

  // Private routes are answered with no-store and no-referrer.
  auto person = client->Get("/iscrizione/abc123?token=x");
  ASSERT_TRUE(person);
  EXPECT_EQ(person->get_header_value("Cache-Control"), "no-store");
  EXPECT_EQ(person->get_header_value("Referrer-Policy"), "no-referrer");

  const std::vector<std::string> expected = {
      "bp_http_requests_total{route=\"/api/programme\",method=\"GET\",status=\"200\"} 1",
      "bp_http_requests_total{route=\"/api/admin/stats\",method=\"GET\",status=\"401\"} 1",
      "bp_http_requests_total{route=\"unmatched\",method=\"GET\",status=\"404\"} 5",
      "bp_http_requests_total{route=\"unmatched\",method=\"POST\",status=\"404\"} 4",
      "bp_http_requests_total{route=\"unmatched\",method=\"POST\",status=\"405\"} 1",
      "bp_http_requests_total{route=\"/iscrizione/:code\",method=\"GET\",status=\"404\"} 1"};
  std::string metrics;
  auto all = [&] {
    return std::all_of(expected.begin(), expected.end(),
                       [&](const std::string& line) { return metrics.find(line) != std::string::npos; });
  };
  for (int i = 0; i < 500; ++i) {  // the last request is counted just after its answer
    metrics = client->Get("/metrics")->body;
    if (all()) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  for (const auto& line : expected) EXPECT_NE(metrics.find(line), std::string::npos) << line << "\n" << metrics;
  EXPECT_EQ(metrics.find("nope"), std::string::npos);
  EXPECT_EQ(metrics.find("zzz"), std::string::npos);
}

}  // namespace
}  // namespace bp::test
