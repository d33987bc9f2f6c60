// Issue 12: two bp-server processes on one PostgreSQL never sell the same
// seat twice. 100 clients register at once for the 30-seat edition, half
// through each process, with a pause between the seat check and the insert
// that widens the race window; then staff cancellations race new
// registrations, again through both processes. The control run, without the
// store's locks, must oversell: proof that the test can see the race.
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <iostream>
#include <mutex>
#include <nlohmann/json.hpp>
#include <set>

#include "child_server.h"
#include "fixture.h"
#include "store_engines.h"

namespace bp::registration {
namespace {

using nlohmann::json;
namespace fs = std::filesystem;

const std::string kToken(32, 't');
constexpr int kClients = 100;
constexpr int kSeats = 30;  // the "thirty" edition of the test programme

struct Edition {
  int confirmed = 0, cancelled = 0, seats_taken = 0;
  std::vector<int> positions;  // of the people waiting, in list order
  std::set<std::string> codes;
};

class TwoServers {
 public:
  TwoServers(const test::StoreLocation& loc, bool unsafe) {
    content_ = test::make_content(dir_.path());
    for (int i = 0; i < 2; ++i) {
      const fs::path own = dir_.path() / ("server" + std::to_string(i));
      fs::create_directories(own);
      std::vector<std::string> env = {"BP_ADMIN_TOKEN=" + kToken, "BP_RATE_LIMIT=0", "BP_CONFIRM_EMAIL=0",
                                      "BP_DATABASE_URL=" + loc.database_url(), "BP_TEST_SEAT_CHECK_DELAY_MS=10",
                                      std::string("BP_TEST_UNSAFE_NO_LOCKING=") + (unsafe ? "1" : "0")};
      servers_.push_back(std::make_unique<test::ChildServer>(own / "var", content_, own / "port", env));
    }
  }
  bool ok() const { return servers_[0]->port() > 0 && servers_[1]->port() > 0; }
  int port(int i) const { return servers_[i % 2]->port(); }

  // POSTs with an Idempotency-Key, retried when no answer came (httplib's
  // backlog of 5 drops connections under a burst); the HTTP status or 0.
  int post(int server, const std::string& path, const json& body, const std::string& key,
           json* answer = nullptr) const {
    httplib::Client c("127.0.0.1", port(server));
    c.set_read_timeout(60, 0);
    httplib::Headers headers = {{"Authorization", "Bearer " + kToken}};
    if (!key.empty()) headers.emplace("Idempotency-Key", key);
    httplib::Result res = c.Post(path.c_str(), headers, body.dump(), "application/json");
    for (int attempt = 0; attempt < 5 && !res; ++attempt) {
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
      res = c.Post(path.c_str(), headers, body.dump(), "application/json");
    }
    if (!res) return 0;
    if (answer && res->status < 300) *answer = json::parse(res->body);
    if (res->status >= 300) std::cerr << "POST " << path << ": " << res->status << " " << res->body << "\n";
    return res->status;
  }

  static json person(const std::string& tag) {
    return {{"edition", "thirty"}, {"first_name", "Persona"}, {"last_name", "Rossi " + tag},
            {"email", tag + "@example.org"}, {"role", "giovane"}, {"region", "puglia"},
            {"age_band", "18-35"}, {"consent", true}};
  }

  // The edition as the staff list shows it, read through `server`.
  Edition edition(int server) const {
    httplib::Client c("127.0.0.1", port(server));
    Edition e;
    auto list = c.Get("/api/admin/registrations?edition=thirty", {{"Authorization", "Bearer " + kToken}});
    EXPECT_TRUE(list && list->status == 200);
    if (!list) return e;
    const json rows = json::parse(list->body)["registrations"];  // kept alive for the loop
    for (const auto& r : rows) {
      const std::string status = r["status"];
      e.confirmed += status == "confirmed";
      e.cancelled += status == "cancelled";
      if (status == "waitlisted") e.positions.push_back(r["position"].get<int>());
      e.codes.insert(r["code"].get<std::string>());
    }
    auto stats = c.Get("/api/admin/stats", {{"Authorization", "Bearer " + kToken}});
    if (stats && stats->status == 200)
      e.seats_taken = json::parse(stats->body)["editions"]["thirty"]["seats_taken"].get<int>();
    return e;
  }

 private:
  test::TempDir dir_;
  fs::path content_;
  std::vector<std::unique_ptr<test::ChildServer>> servers_;
};

// Fires kClients registrations at once, alternating between the servers;
// returns how many were answered 201.
int burst(const TwoServers& servers, const std::string& prefix, int clients) {
  std::atomic<int> created{0};
  std::atomic<bool> go{false};
  std::vector<std::thread> threads;
  for (int i = 0; i < clients; ++i)
    threads.emplace_back([&, i] {
      while (!go) std::this_thread::yield();
      const std::string tag = prefix + std::to_string(i);
      if (servers.post(i, "/api/registrations", TwoServers::person(tag), "key-" + tag) == 201) ++created;
    });
  go = true;
  for (auto& t : threads) t.join();
  return created;
}

std::vector<int> one_to(int n) {
  std::vector<int> v(n);
  for (int i = 0; i < n; ++i) v[i] = i + 1;
  return v;
}

TEST(MultiProcess, TwoServersOnOnePostgresNeverSellASeatTwice) {
  test::StoreLocation loc(test::Engine::kPostgresql);
  BP_REQUIRE_ENGINE(loc);
  TwoServers servers(loc, /*unsafe=*/false);
  ASSERT_TRUE(servers.ok()) << "a test server did not start";

  const auto started = std::chrono::steady_clock::now();
  EXPECT_EQ(burst(servers, "p", kClients), kClients);
  const auto ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started).count();
  std::cout << "[ measured ] " << kClients << " registrations through 2 processes in " << ms << " ms\n";
  RecordProperty("burst_ms", static_cast<int>(ms));

  // Both servers see the same edition: exactly 30 seats, 70 waiting 1..70.
  for (int s = 0; s < 2; ++s) {
    const Edition e = servers.edition(s);
    EXPECT_EQ(e.confirmed, kSeats) << "server " << s;
    EXPECT_EQ(e.seats_taken, kSeats) << "server " << s;
    EXPECT_EQ(e.positions, one_to(kClients - kSeats)) << "server " << s;
    EXPECT_EQ(e.codes.size(), static_cast<std::size_t>(kClients));
  }

  // Staff cancellations (each promotes the first person waiting) race 20 new
  // registrations, through both processes.
  const Edition before = servers.edition(0);
  httplib::Client c("127.0.0.1", servers.port(0));
  auto list = c.Get("/api/admin/registrations?edition=thirty", {{"Authorization", "Bearer " + kToken}});
  ASSERT_TRUE(list && list->status == 200);
  std::vector<std::string> confirmed;
  const json rows = json::parse(list->body)["registrations"];
  for (const auto& r : rows)
    if (r["status"] == "confirmed" && confirmed.size() < 10) confirmed.push_back(r["code"]);
  std::atomic<int> cancelled{0};
  std::thread cancels([&] {
    std::vector<std::thread> t;
    for (std::size_t i = 0; i < confirmed.size(); ++i)
      t.emplace_back([&, i] {
        const std::string path = "/api/admin/registrations/" + confirmed[i] + "/cancel";
        if (servers.post(static_cast<int>(i), path, json::object(), "") == 200) ++cancelled;
      });
    for (auto& x : t) x.join();
  });
  const int late = burst(servers, "q", 20);
  cancels.join();
  EXPECT_EQ(late, 20);
  EXPECT_EQ(cancelled, 10);
  for (int s = 0; s < 2; ++s) {
    const Edition e = servers.edition(s);
    EXPECT_EQ(e.confirmed, kSeats) << "server " << s << ": every cancelled seat went to someone waiting";
    EXPECT_EQ(e.seats_taken, kSeats) << "server " << s;
    EXPECT_EQ(e.cancelled, 10);
    EXPECT_EQ(e.positions, one_to(kClients + 20 - kSeats - 10)) << "server " << s;
  }
}

TEST(MultiProcess, ControlRunWithoutLocksOversells) {
  test::StoreLocation loc(test::Engine::kPostgresql);
  BP_REQUIRE_ENGINE(loc);
  TwoServers servers(loc, /*unsafe=*/true);
  ASSERT_TRUE(servers.ok()) << "a test server did not start";
  const int created = burst(servers, "p", kClients);
  const Edition e = servers.edition(0);
  EXPECT_EQ(e.codes.size(), static_cast<std::size_t>(created));
  std::cout << "[ measured ] without locks: " << e.confirmed << " confirmed for " << kSeats << " seats\n";
  EXPECT_GT(e.confirmed, kSeats) << "the race was not visible: the test above would prove nothing";
}

}  // namespace
}  // namespace bp::registration
