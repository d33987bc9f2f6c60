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
  // The page says it as a sentence.
  EXPECT_NE(person->body.find("Iscrizione non trovata o link non valido."), std::string::npos) << person->body;
  // Once each, though the module's handler sets them too.
  for (const char* name : {"Cache-Control", "Referrer-Policy", "X-Robots-Tag"})
    EXPECT_EQ(person->get_header_value_count(name), 1u) << name;

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

// bp-server and the registration module behind a proxy: X-Forwarded-For is
// believed only from --trusted-proxy peers, for the access log, the POST
// rate limit and /metrics; from anyone else it is ignored.
class ForwardedClients : public ::testing::Test {
 protected:
  void start(const std::vector<std::string>& proxies) {
    content_ = fs::path(BP_SOURCE_DIR) / "library-content";
    Diagnostics diagnostics;
    taxonomy_ = Taxonomy::load(content_ / "taxonomy.yaml", &diagnostics);
    ASSERT_TRUE(taxonomy_);
    auto trusted = site::TrustedProxies::parse(proxies);
    ASSERT_TRUE(trusted.ok());
    server::Options options;
    options.content_root = content_;
    options.web_root = tmp_.path() / "web";
    options.index_dir = tmp_.path() / "no-index";
    options.trusted_proxies = *trusted;
    log_path_ = tmp_.path() / "access.log";
    log_ = std::fopen(log_path_.c_str(), "w");
    options.access_log = log_;
    fs::create_directories(options.web_root);
    running_ = std::make_unique<RunningServer>(
        options, *taxonomy_, [] { return Result<std::unique_ptr<Searcher>>(Status::not_found("none")); },
        [&](server::Server& s) {
          registration::Options reg;
          reg.data_dir = tmp_.path() / "var";
          reg.content_root = content_;
          reg.rate_limit_per_minute = 2;
          reg.trusted_proxies = *trusted;
          fs::create_directories(reg.data_dir);
          auto mounted = registration::open(reg, *taxonomy_, pages());
          ASSERT_TRUE(mounted.ok()) << mounted.status().message();
          module_ = std::move(*mounted);
          s.mount(module_->routes());
          s.add_metrics([module = module_.get()] { return module->metrics(); });
        });
  }
  void TearDown() override {
    running_.reset();
    if (log_) std::fclose(log_);
  }
  int post_from(const std::string& forwarded_for) {
    auto res = running_->client()->Post("/api/registrations", {{"X-Forwarded-For", forwarded_for}}, "{}",
                                        "application/json");
    return res ? res->status : 0;
  }
  int metrics_from(const std::string& forwarded_for) {
    httplib::Headers headers;
    if (!forwarded_for.empty()) headers.emplace("X-Forwarded-For", forwarded_for);
    auto res = running_->client()->Get("/metrics", headers);
    return res ? res->status : 0;
  }
  // The access log once it has `lines` lines (each is written just after
  // its answer is sent, so wait for it, bounded).
  std::string access_log(std::size_t lines) {
    std::string log;
    for (int i = 0; i < 500; ++i) {
      log = read_file_for_test(log_path_);
      if (static_cast<std::size_t>(std::count(log.begin(), log.end(), '\n')) >= lines) break;
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return log;
  }

  TempDir tmp_;
  fs::path content_;
  std::optional<Taxonomy> taxonomy_;
  fs::path log_path_;
  std::FILE* log_ = nullptr;
  std::unique_ptr<registration::Module> module_;
  std::unique_ptr<RunningServer> running_;
};

TEST_F(ForwardedClients, FromATrustedProxyTheForwardedClientIsLoggedLimitedAndKeptFromMetrics) {
  start({"127.0.0.1", "::1"});
  // Each forwarded client has its own budget of two POSTs a minute.
  EXPECT_NE(post_from("198.51.100.1"), 429);
  EXPECT_NE(post_from("192.0.2.66, 198.51.100.1"), 429) << "the forged left entry is not the client";
  EXPECT_EQ(post_from("198.51.100.1"), 429);
  EXPECT_NE(post_from("198.51.100.2"), 429);
  EXPECT_EQ(metrics_from("198.51.100.1"), 403) << "a visitor through the proxy is not the monitoring host";
  EXPECT_EQ(metrics_from(""), 200) << "a scraper on the machine itself";
  const std::string metrics = running_->client()->Get("/metrics")->body;
  EXPECT_NE(metrics.find("bp_outbox_pending_messages 0\n"), std::string::npos) << metrics;
  EXPECT_NE(metrics.find("bp_registrations_store_up 1\n"), std::string::npos) << metrics;
  EXPECT_NE(metrics.find("bp_outbox_oldest_pending_seconds 0\n"), std::string::npos) << metrics;
  const std::string log = access_log(6);
  EXPECT_NE(log.find(" 198.51.100.1 POST /api/registrations 429 "), std::string::npos) << log;
  EXPECT_NE(log.find(" 198.51.100.2 POST "), std::string::npos) << log;
  EXPECT_EQ(log.find("192.0.2.66"), std::string::npos) << log;
}

// A personal link with a slash too many, or a path under a private route
// that matches none: the catch-all answers it (a redirect, a 404), and the
// log keeps only the private route's start, never the person's code.
TEST_F(ForwardedClients, NearMissesOfPrivateRoutesLogNoCode) {
  start({});
  auto slash = running_->client()->Get("/iscrizione/codicepersonale7/?token=segreto");
  ASSERT_TRUE(slash);
  EXPECT_EQ(slash->status, 301);
  EXPECT_EQ(slash->get_header_value("Location"), "/iscrizione/codicepersonale7?token=segreto");
  EXPECT_EQ(slash->get_header_value("Cache-Control"), "no-store");
  EXPECT_EQ(slash->get_header_value("Referrer-Policy"), "no-referrer");
  ASSERT_TRUE(running_->client()->Get("/api/registrations/codicepersonale8/altro"));
  const std::string log = access_log(2);
  EXPECT_EQ(log.find("codicepersonale"), std::string::npos) << log;
  EXPECT_EQ(log.find("segreto"), std::string::npos) << log;
  EXPECT_NE(log.find("GET /iscrizione/..."), std::string::npos) << log;
}

TEST_F(ForwardedClients, WithoutTrustedProxiesASpoofedForwardedForIsIgnored) {
  start({});
  EXPECT_NE(post_from("198.51.100.1"), 429);
  EXPECT_NE(post_from("198.51.100.2"), 429);
  EXPECT_EQ(post_from("198.51.100.3"), 429) << "every spoofed address shares the peer's budget";
  EXPECT_EQ(metrics_from("198.51.100.1"), 200) << "the peer is loopback, whatever the header says";
  const std::string log = access_log(4);
  EXPECT_EQ(log.find("198.51.100."), std::string::npos) << log;
  EXPECT_NE(log.find(" 127.0.0.1 POST /api/registrations 429 "), std::string::npos) << log;
}

}  // namespace
}  // namespace bp::test
