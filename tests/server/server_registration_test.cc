// The registration module mounted on bp-server as main mounts it: its routes
// get the server's security headers, metrics labels, access log and 404s.
#include <gtest/gtest.h>

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
        auto mounted = registration::mount(s.http(), reg);
        ASSERT_TRUE(mounted.ok()) << mounted.status().message();
        module = std::move(*mounted);
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

  std::string metrics;
  for (int i = 0; i < 500; ++i) {  // the last request is counted just after its answer
    metrics = client->Get("/metrics")->body;
    if (metrics.find("/api/registrations/*") != std::string::npos) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  EXPECT_NE(metrics.find("bp_http_requests_total{route=\"/api/programme\",method=\"GET\",status=\"200\"} 1"),
            std::string::npos) << metrics;
  EXPECT_NE(metrics.find("route=\"/api/admin/*\""), std::string::npos) << metrics;
}

}  // namespace
}  // namespace bp::test
