// Item 9 of issue 4, after pretix's concurrency tests: many parallel clients
// register for a 30-seat edition with a delay between the seat check and the
// insert. With the lock, exactly 30 are confirmed and the rest waitlisted in
// order; the control run without the lock must show overbooking, proving the
// test can see the race.
#include <gtest/gtest.h>

#include <atomic>
#include <nlohmann/json.hpp>
#include <set>

#include "fixture.h"

namespace bp::registration {
namespace {

using nlohmann::json;

constexpr int kClients = 60;

struct RunResult {
  int created = 0, failed = 0;
  std::vector<json> rows;  // the admin list of the edition, oldest first
};

RunResult run(bool unsafe) {
  test::TempDir dir;
  Options o;
  o.data_dir = dir.path() / "var";
  o.content_root = test::make_content(dir.path());
  o.admin_token = std::string(32, 't');
  o.rate_limit_per_minute = 0;
  o.test_hooks.after_seat_check = [] { std::this_thread::sleep_for(std::chrono::milliseconds(20)); };
  o.test_hooks.unsafe_no_locking = unsafe;
  test::TestServer server(o);
  EXPECT_TRUE(server.ok()) << server.error();
  RunResult out;
  std::atomic<int> created{0}, failed{0};
  std::atomic<bool> go{false};
  std::vector<std::thread> clients;
  for (int i = 0; i < kClients; ++i) {
    clients.emplace_back([&, i] {
      auto c = server.client();
      json p = {{"edition", "thirty"}, {"first_name", "Persona"}, {"last_name", "Rossi " + std::to_string(i)},
                {"email", "p" + std::to_string(i) + "@example.org"}, {"role", "giovane"},
                {"region", "puglia"}, {"age_band", "18-35"}, {"consent", true}};
      while (!go) std::this_thread::yield();
      // httplib's listen backlog is 5: under a burst the kernel may drop a
      // connection before any answer. A client then retries with the same
      // Idempotency-Key, which can never register twice.
      const httplib::Headers key = {{"Idempotency-Key", "client-" + std::to_string(i)}};
      httplib::Result res = c->Post("/api/registrations", key, p.dump(), "application/json");
      for (int attempt = 0; attempt < 5 && !res; ++attempt)
        res = c->Post("/api/registrations", key, p.dump(), "application/json");
      if (res && res->status == 201) {
        ++created;
      } else {
        ++failed;
        if (!unsafe)
          ADD_FAILURE() << "client " << i << ": "
                        << (res ? std::to_string(res->status) + " " + res->body : httplib::to_string(res.error()));
      }
    });
  }
  go = true;
  for (auto& t : clients) t.join();
  out.created = created;
  out.failed = failed;
  auto c = server.client();
  auto list = c->Get("/api/admin/registrations?edition=thirty", {{"Authorization", "Bearer " + std::string(32, 't')}});
  EXPECT_TRUE(list && list->status == 200);
  if (list) out.rows = json::parse(list->body)["registrations"].get<std::vector<json>>();
  return out;
}

TEST(Concurrency, ThirtySeatsGoToExactlyThirtyPeopleAndTheRestWaitInOrder) {
  const RunResult r = run(/*unsafe=*/false);
  EXPECT_EQ(r.created, kClients);
  EXPECT_EQ(r.failed, 0);
  ASSERT_EQ(r.rows.size(), static_cast<std::size_t>(kClients));
  int confirmed = 0;
  std::vector<int> positions;
  for (const auto& row : r.rows) {
    if (row["status"] == "pending") {  // a seat held until the person confirms
      ++confirmed;
      EXPECT_TRUE(positions.empty()) << "a held seat came after a waitlisted one";
    } else {
      EXPECT_EQ(row["status"], "waitlisted");
      positions.push_back(row["position"].get<int>());
    }
  }
  EXPECT_EQ(confirmed, 30);
  std::vector<int> expected(30);
  for (int i = 0; i < 30; ++i) expected[static_cast<std::size_t>(i)] = i + 1;
  EXPECT_EQ(positions, expected);
}

TEST(Concurrency, ControlRunWithoutTheLockOverbooks) {
  const RunResult r = run(/*unsafe=*/true);
  int confirmed = 0;
  for (const auto& row : r.rows) confirmed += row["status"] == "pending";
  EXPECT_GT(confirmed, 30) << "the race was not observed: the test would not catch a missing lock";
}

}  // namespace
}  // namespace bp::registration
