// The production shape on one machine, loopback only (issue 13, item 4):
// bp-index builds the master index, xapian-replicate-server serves it, two
// xapian-replicate clients keep two replicas, two bp-server processes read
// one replica each, and the real nginx with deploy/nginx/bp-proxy.conf sits
// in front of both. Registrations go to one shared PostgreSQL
// (BP_TEST_DATABASE_URL, a schema of its own); without it that part is
// skipped, saying why, and each server keeps its own SQLite file.
//
// Skipped, saying why, when nginx or xapian-tools is not installed
// (scripts/test installs both).
#include <gtest/gtest.h>
#include <httplib.h>

#include <nlohmann/json.hpp>
#include <random>

#include "bp/search.h"
#include "bp/taxonomy.h"
#include "child_process.h"
#include "store_engines.h"
#include "temp_dir.h"
#include "test_programme.h"

namespace bp::test {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using test_util::ChildProcess;
using test_util::eventually;

constexpr const char* kNginx = "/usr/sbin/nginx";
constexpr const char* kReplicateServer = "/usr/bin/xapian-replicate-server";
constexpr const char* kReplicate = "/usr/bin/xapian-replicate";
constexpr const char* kAdminToken = "token-di-prova-di-almeno-32-caratteri";

// How often each replica asks the master for changes (xapian-replicate -i).
// Production uses 10 s (docs/index-replication.md); the test 1 s.
constexpr int kReplicateInterval = 1;
// The delay the test allows a change to reach both servers: the interval,
// the incremental build and a replica's reader time (-r 1), with a wide
// margin for a loaded shared machine. Polled, never slept.
constexpr auto kPropagationDeadline = std::chrono::seconds(20);

class ReplicatedSite : public ::testing::Test {
 protected:
  void SetUp() override {
    for (const char* program : {kNginx, kReplicateServer, kReplicate})
      if (::access(program, X_OK) != 0)
        GTEST_SKIP() << program << " is not installed (scripts/test installs nginx and xapian-tools)";
    fs::copy(fs::path(BP_SOURCE_DIR) / "library-content", content_, fs::copy_options::recursive);
    // The tests' catalogue: edition m03-nord stays open until 2099.
    test_util::write_file(content_ / "programme.yaml", test_util::kTestProgramme);
    ASSERT_EQ(build(), 0) << test_util::file_text(dir_ / "bp-index.log");

    const int master_port = test_util::unused_loopback_port();
    start({kReplicateServer, "-I", "127.0.0.1", "-p", std::to_string(master_port), master_.string()},
          "replicate-server");
    ASSERT_TRUE(eventually(std::chrono::seconds(20), [&] { return test_util::loopback_accepts(master_port); }))
        << children_.back()->log();

    // Set but unreachable is a broken setup: fail, never skip.
    if (!registration::test::test_database_url().empty()) {
      ASSERT_FALSE(pg_.url().empty()) << pg_.error();
    }
    database_url_ = pg_.url();
    for (int i = 0; i < 2; ++i) {
      const fs::path replica = dir_ / ("replica-" + std::to_string(i));
      start({kReplicate, "-h", "127.0.0.1", "-p", std::to_string(master_port), "-m", "live", "-i",
             std::to_string(kReplicateInterval), "-r", "1", replica.string()},
            "replicate-" + std::to_string(i));
      ports_[i] = test_util::unused_loopback_port();
      std::vector<std::string> argv = {BP_SERVER_EXE, "--index", replica.string(), "--content", content_.string(),
                                       "--web", (fs::path(BP_SOURCE_DIR) / "web").string(), "--data",
                                       (dir_ / ("data-" + std::to_string(i))).string(), "--port",
                                       std::to_string(ports_[i])};
      if (!database_url_.empty()) argv.insert(argv.end(), {"--database", database_url_});
      fs::create_directories(dir_ / ("data-" + std::to_string(i)));
      servers_[i] = start(argv, "bp-server-" + std::to_string(i),
                          {std::string("BP_ADMIN_TOKEN=") + kAdminToken, "BP_DATABASE_URL="});
    }
    start_nginx();
    // Both servers answer once their replica holds the master's index.
    const std::string revision = master_revision();
    for (int i = 0; i < 2; ++i)
      ASSERT_TRUE(eventually(std::chrono::seconds(60), [&] { return revision_of(ports_[i]) == revision; }))
          << servers_[i]->log() << children_[1 + 2 * i]->log();
  }

  ChildProcess* start(std::vector<std::string> argv, const std::string& name,
                      std::vector<std::string> env = {}) {
    children_.push_back(std::make_unique<ChildProcess>(std::move(argv), dir_ / (name + ".log"), std::move(env)));
    EXPECT_TRUE(children_.back()->started()) << name;
    return children_.back().get();
  }

  // nginx from deploy/nginx/loopback.conf.in, in front of both servers.
  void start_nginx() {
    nginx_port_ = test_util::unused_loopback_port();
    const fs::path prefix = dir_ / "nginx";
    fs::create_directories(prefix);
    std::string servers;
    for (int port : ports_)
      servers += "        server 127.0.0.1:" + std::to_string(port) + " max_fails=2 fail_timeout=5s;\n";  // as in buone-pratiche.conf
    std::string conf = test_util::file_text(fs::path(BP_SOURCE_DIR) / "deploy/nginx/loopback.conf.in");
    const std::pair<std::string, std::string> values[] = {
        {"@PREFIX@", prefix.string()},
        {"@PORT@", std::to_string(nginx_port_)},
        {"@SERVERS@", servers},
        {"@PROXY_CONF@", (fs::path(BP_SOURCE_DIR) / "deploy/nginx/bp-proxy.conf").string()}};
    for (const auto& [key, value] : values)
      for (auto at = conf.find(key); at != std::string::npos; at = conf.find(key, at + value.size()))
        conf.replace(at, key.size(), value);
    test_util::write_file(prefix / "nginx.conf", conf);
    ChildProcess* nginx = start({kNginx, "-p", prefix.string() + "/", "-c", (prefix / "nginx.conf").string()}, "nginx");
    ASSERT_TRUE(eventually(std::chrono::seconds(20), [&] {
      return test_util::loopback_accepts(nginx_port_) || !nginx->running();
    }));
    ASSERT_TRUE(nginx->running()) << nginx->log() << test_util::file_text(prefix / "error.log");
  }

  int build() {
    return test_util::run_program({BP_INDEX_EXE, "build", "--content", content_.string(), "--index", master_.string()},
                                  dir_ / "bp-index.log");
  }

  // The master's index revision, as bp-server reports a replica's.
  std::string master_revision() {
    Diagnostics diagnostics;
    auto taxonomy = Taxonomy::load(content_ / "taxonomy.yaml", &diagnostics);
    if (!taxonomy) return "";
    auto searcher = Searcher::open(master_, *taxonomy);
    if (!searcher.ok()) return "";
    auto info = (*searcher)->index_info();
    return info.ok() ? info->revision : "";
  }

  static json health(int port) {
    httplib::Client c("127.0.0.1", port);
    c.set_connection_timeout(2, 0);
    auto r = c.Get("/healthz");
    if (!r || r->status != 200) return json::object();
    return json::parse(r->body, nullptr, false);
  }

  static std::string revision_of(int port) {
    return health(port).value("index", json::object()).value("revision", "");
  }

  // Total of a search on `port`, or -1 when it did not answer 200.
  static long total_on(int port, const std::string& q) {
    httplib::Client c("127.0.0.1", port);
    c.set_read_timeout(10, 0);
    auto r = c.Get(("/api/search?q=" + q).c_str());
    if (!r || r->status != 200) return -1;
    return json::parse(r->body).value("total", -1L);
  }

  httplib::Result register_person(const std::string& edition, const std::string& email) {
    httplib::Client c("127.0.0.1", nginx_port_);
    c.set_read_timeout(10, 0);
    const json body = {{"edition", edition},     {"first_name", "Giulia"}, {"last_name", "Ferrero"},
                       {"email", email},         {"role", "volontario"},   {"region", "piemonte"},
                       {"age_band", "18-35"},    {"consent", true}};
    return c.Post("/api/registrations", body.dump(), "application/json");
  }

  // How many registrations the shared store holds for `email` (asked
  // through nginx with the admin token).
  int registrations_of(const std::string& email) {
    httplib::Client c("127.0.0.1", nginx_port_);
    auto r = c.Get("/api/admin/registrations", {{"Authorization", std::string("Bearer ") + kAdminToken}});
    EXPECT_TRUE(r && r->status == 200) << (r ? r->body : "no answer");
    if (!r || r->status != 200) return -1;
    const json answer = json::parse(r->body);  // a named object: the loop must not outlive it
    int n = 0;
    for (const auto& row : answer["registrations"]) n += row.value("email", "") == email;
    return n;
  }

  static std::string unique_email(const std::string& who) {
    std::random_device rd;
    return who + "-" + std::to_string(rd()) + "@example.org";
  }

  test_util::TempDir tmp_{"bp-replicated-site"};
  fs::path dir_ = tmp_.path();
  fs::path content_ = dir_ / "library-content";
  fs::path master_ = dir_ / "master";
  registration::test::PgSchema pg_;
  std::string database_url_;
  std::vector<std::unique_ptr<ChildProcess>> children_;
  ChildProcess* servers_[2] = {nullptr, nullptr};
  int ports_[2] = {0, 0};
  int nginx_port_ = 0;
};

TEST_F(ReplicatedSite, SearchesFollowTheIndexAndSurviveOneServerKilled) {
  // Searches through nginx, answered by either server.
  const long documents = health(ports_[0]).value("documents", -1L);
  ASSERT_GT(documents, 0);
  for (int i = 0; i < 6; ++i) EXPECT_EQ(total_on(nginx_port_, ""), documents);

  // A change to one case file: bp-index build on the master, then each
  // replica's next pass, and both servers answer with it.
  fs::path changed;
  for (const auto& entry : fs::recursive_directory_iterator(content_ / "practices"))
    if (entry.path().extension() == ".md") {
      changed = entry.path();
      break;
    }
  ASSERT_FALSE(changed.empty());
  EXPECT_EQ(total_on(ports_[0], "zanzibarica"), 0);
  std::ofstream(changed, std::ios::app) << "\nLa parola zanzibarica compare solo qui.\n";
  ASSERT_EQ(build(), 0) << test_util::file_text(dir_ / "bp-index.log");
  const std::string revision = master_revision();
  for (int i = 0; i < 2; ++i) {
    // The build commits twice (its documents, then their publication for
    // harvesters): both reach the replica.
    EXPECT_TRUE(
        eventually(kPropagationDeadline,
                   [&] { return total_on(ports_[i], "zanzibarica") == 1 && revision_of(ports_[i]) == revision; }))
        << "server " << i << " did not reach the master's revision " << revision << " within the deadline";
  }

  // One server killed: nginx sends searches to the other, no error reaches
  // the client.
  servers_[0]->stop(SIGKILL);
  for (int i = 0; i < 20; ++i) EXPECT_EQ(total_on(nginx_port_, "zanzibarica"), 1) << "search " << i;

  // 200 connections that sent half a request and wait: nginx holds them,
  // a normal request is still answered (its latency is measured in bench/front).
  std::vector<int> stalled;
  for (int i = 0; i < 200; ++i) {
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<uint16_t>(nginx_port_));
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ASSERT_EQ(::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0) << i;
    const std::string half = "GET /api/search?q=x HTTP/1.1\r\nHost: x\r\n";
    ASSERT_EQ(::send(fd, half.data(), half.size(), MSG_NOSIGNAL), static_cast<ssize_t>(half.size()));
    stalled.push_back(fd);
  }
  EXPECT_EQ(total_on(nginx_port_, "zanzibarica"), 1);
  auto page = httplib::Client("127.0.0.1", nginx_port_).Get("/healthz");
  ASSERT_TRUE(page);
  EXPECT_EQ(page->status, 200);
  for (int fd : stalled) ::close(fd);
}

TEST_F(ReplicatedSite, RegistrationsThroughNginxAreStoredOnceWhenAServerDies) {
  if (database_url_.empty())
    GTEST_SKIP() << "one shared registration store is needed: " << registration::test::kNoPostgres;
  const std::string edition = "m03-nord";  // test_programme.h: open until 2099
  const std::string email = unique_email("prima");
  auto r = register_person(edition, email);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 201) << r->body;
  EXPECT_EQ(registrations_of(email), 1);

  // One server killed: each registration is answered by the other (nginx
  // retries a POST only when it could not send it) or fails cleanly with a
  // 5xx from nginx, and is stored at most once.
  servers_[0]->stop(SIGKILL);
  for (int i = 0; i < 4; ++i) {
    const std::string next = unique_email("dopo");
    auto after = register_person(edition, next);
    ASSERT_TRUE(after) << i;
    EXPECT_TRUE(after->status == 201 || after->status == 502 || after->status == 503 || after->status == 504)
        << after->status << " " << after->body;
    EXPECT_EQ(registrations_of(next), after->status == 201 ? 1 : 0) << i;
  }
}

}  // namespace
}  // namespace bp::test
