// bp-bench-registration: registration opening day (issue 12, item 6).
//
//   bp-bench-registration run --label NAME --server URL [--server URL…]
//       [--n 2000] [--clients 32] [--seed 1] [--database URL | --data DIR]
//   bp-bench-registration table RESULTS_FILE
//
// `run` reads the open editions from the first server's /api/programme, then
// `--clients` threads post `--n` registrations (one e-mail address each) as
// fast as they can, client k always through server k mod S (a load balancer
// that keeps connections). Editions are drawn with a Zipf-like skew, so the
// popular ones fill up and build waiting lists while others stay free, as on
// a real opening day. A request that gets no answer at all (connection
// dropped) is sent again with the same Idempotency-Key, so it is never
// counted twice. Afterwards the store itself (the engine the servers used)
// is read through the Store interface and checked: no edition holds more
// seats than its capacity, no seat is free while someone waits, waiting-list
// positions are 1..k without gaps or duplicates, and the rows stored equal
// the 201 answers. Prints "NAME.key value" lines (bench/run's format).
//
// `table` prints those lines of every label side by side as Markdown.
#include <CLI/CLI.hpp>
#include <httplib.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <random>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "bp/registration/store.h"
#include "harness.h"

namespace {

using nlohmann::json;
namespace reg = bp::registration;

struct Options {
  std::string label;
  std::vector<std::string> servers;  // http://127.0.0.1:PORT
  int n = 2000;
  int clients = 32;
  unsigned seed = 1;
  std::string database_url;
  std::string data_dir;
};

struct Edition {
  std::string id;
  int capacity = 0;
};

std::pair<std::string, int> host_port(const std::string& url) {
  const std::string rest = url.substr(url.find("//") + 2);
  const auto colon = rest.rfind(':');
  return {rest.substr(0, colon), std::stoi(rest.substr(colon + 1))};
}

std::vector<Edition> open_editions(const std::string& server) {
  auto [host, port] = host_port(server);
  httplib::Client c(host, port);
  auto res = c.Get("/api/programme");
  if (!res || res->status != 200) throw std::runtime_error("GET /api/programme failed on " + server);
  const json programme = json::parse(res->body);
  std::vector<Edition> out;
  for (const auto& a : programme["activities"])
    for (const auto& e : a["editions"])
      if (e.value("open", false) && e.value("capacity", 0) > 0 && a.value("kind", "") != "tutoraggio")
        out.push_back({e["id"].get<std::string>(), e["capacity"].get<int>()});
  if (out.empty()) throw std::runtime_error("no open edition in the programme");
  return out;
}

// Edition of each registration: rank r drawn with weight 1/(r+1), the
// catalogue's order shuffled first so popularity is not by module number.
std::vector<std::size_t> draw_editions(std::size_t editions, int n, unsigned seed) {
  std::mt19937 rng(seed);
  std::vector<std::size_t> rank(editions);
  for (std::size_t i = 0; i < editions; ++i) rank[i] = i;
  std::shuffle(rank.begin(), rank.end(), rng);
  std::vector<double> weight(editions);
  for (std::size_t r = 0; r < editions; ++r) weight[r] = 1.0 / static_cast<double>(r + 1);
  std::discrete_distribution<std::size_t> pick(weight.begin(), weight.end());
  std::vector<std::size_t> out(static_cast<std::size_t>(n));
  for (auto& e : out) e = rank[pick(rng)];
  return out;
}

json person(int i, const std::string& edition) {
  return {{"edition", edition},
          {"first_name", "Persona"},
          {"last_name", "Numero " + std::to_string(i)},
          {"email", "persona" + std::to_string(i) + "@example.org"},
          {"role", "volontario"},
          {"region", "piemonte"},
          {"age_band", "18-35"},
          {"consent", true}};
}

struct Outcome {
  double ms = 0;
  int status = 0;  // 0: no answer even after the retries
  int retries = 0;
};

// Reads the store after the run and prints the checks.
void check_store(const Options& o, const std::vector<Edition>& editions, long answered_201) {
  reg::StoreOptions so;
  so.pool_size = 2;
  auto store = reg::open_store(o.database_url, o.data_dir.empty() ? "." : o.data_dir,
                               [](reg::MessageKind, const reg::Registration&) { return reg::OutboxMessage{}; }, so);
  if (!store.ok()) throw std::runtime_error("cannot open the store: " + store.status().message());
  const auto counts = (*store)->counts();
  const auto rows = (*store)->list("");
  if (!counts.ok() || !rows.ok()) throw std::runtime_error("cannot read the store");
  std::map<std::string, std::vector<int>> positions;
  for (const auto& r : *rows)
    if (r.status == "waitlisted") positions[r.edition_id].push_back(r.position);
  int oversold = 0, seat_free_while_waiting = 0, position_gaps = 0, full = 0;
  long waiting = 0, seats = 0, capacity = 0;
  for (const auto& c : *counts) {
    if (std::none_of(editions.begin(), editions.end(), [&](const Edition& e) { return e.id == c.edition_id; }))
      continue;
    const int held = c.pending + c.confirmed;
    capacity += c.capacity;
    seats += held;
    waiting += c.waitlisted;
    if (held > c.capacity || held != c.taken) ++oversold;
    if (c.waitlisted > 0 && held < c.capacity) ++seat_free_while_waiting;
    if (held == c.capacity) ++full;
    auto p = positions[c.edition_id];
    std::sort(p.begin(), p.end());
    for (std::size_t i = 0; i < p.size(); ++i)
      if (p[i] != static_cast<int>(i + 1)) {
        ++position_gaps;
        break;
      }
    if (static_cast<int>(p.size()) != c.waitlisted) ++position_gaps;
  }
  const std::string& l = o.label;
  std::printf("%s.editions %zu\n%s.editions_full %d\n%s.capacity %ld\n%s.seats_taken %ld\n%s.waitlisted %ld\n",
              l.c_str(), editions.size(), l.c_str(), full, l.c_str(), capacity, l.c_str(), seats, l.c_str(),
              waiting);
  std::printf("%s.check.oversold_editions %d\n%s.check.free_seat_while_waiting %d\n%s.check.position_gaps %d\n",
              l.c_str(), oversold, l.c_str(), seat_free_while_waiting, l.c_str(), position_gaps);
  std::printf("%s.check.rows_stored %zu\n%s.check.answers_201 %ld\n", l.c_str(), rows->size(), l.c_str(),
              answered_201);
}

int run(const Options& o) {
  const std::vector<Edition> editions = open_editions(o.servers.front());
  const std::vector<std::size_t> chosen = draw_editions(editions.size(), o.n, o.seed);
  std::vector<Outcome> outcomes(static_cast<std::size_t>(o.n));
  std::atomic<int> next{0};
  using Clock = std::chrono::steady_clock;
  const auto start = Clock::now();
  auto client = [&](int k) {
    auto [host, port] = host_port(o.servers[static_cast<std::size_t>(k) % o.servers.size()]);
    httplib::Client c(host, port);
    c.set_keep_alive(true);
    c.set_read_timeout(60, 0);
    for (int i; (i = next.fetch_add(1)) < o.n;) {
      const auto& edition = editions[chosen[static_cast<std::size_t>(i)]];
      const std::string body = person(i, edition.id).dump();
      const httplib::Headers headers = {{"Idempotency-Key", "bench-" + std::to_string(o.seed) + "-" + std::to_string(i)}};
      Outcome& out = outcomes[static_cast<std::size_t>(i)];
      const auto t0 = Clock::now();
      for (int attempt = 0; attempt < 4; ++attempt) {
        auto res = c.Post("/api/registrations", headers, body, "application/json");
        if (res) {
          out.status = res->status;
          break;
        }
        ++out.retries;
      }
      out.ms = std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
    }
  };
  std::vector<std::thread> threads;
  for (int k = 0; k < o.clients; ++k) threads.emplace_back(client, k);
  for (auto& t : threads) t.join();
  const double wall = std::chrono::duration<double>(Clock::now() - start).count();

  std::vector<double> ms;
  std::map<int, long> by_status;
  long retries = 0;
  for (const auto& out : outcomes) {
    ms.push_back(out.ms);
    ++by_status[out.status];
    retries += out.retries;
  }
  const bp::bench::LatencyStats s = bp::bench::summarise(ms, wall);
  const std::string& l = o.label;
  std::printf("%s.servers %zu\n%s.clients %d\n%s.requests %d\n%s.seconds %.2f\n%s.rps %.1f\n", l.c_str(),
              o.servers.size(), l.c_str(), o.clients, l.c_str(), o.n, l.c_str(), wall, l.c_str(), s.qps);
  std::printf("%s.p50_ms %.2f\n%s.p99_ms %.2f\n%s.max_ms %.2f\n%s.retries %ld\n", l.c_str(), s.p50_ms, l.c_str(),
              s.p99_ms, l.c_str(), *std::max_element(ms.begin(), ms.end()), l.c_str(), retries);
  for (const auto& [status, count] : by_status) std::printf("%s.status.%d %ld\n", l.c_str(), status, count);
  check_store(o, editions, by_status[201]);
  return 0;
}

// "label.key value" lines -> one Markdown table, a column per label.
int table(const std::string& file) {
  std::ifstream in(file);
  if (!in) throw std::runtime_error("cannot read " + file);
  std::vector<std::string> labels, keys;
  std::map<std::pair<std::string, std::string>, std::string> values;
  std::string line;
  while (std::getline(in, line)) {
    std::istringstream words(line);
    std::string name, value;
    if (!(words >> name >> value)) continue;
    const auto dot = name.find('.');
    if (dot == std::string::npos) continue;
    const std::string label = name.substr(0, dot), key = name.substr(dot + 1);
    if (std::find(labels.begin(), labels.end(), label) == labels.end()) labels.push_back(label);
    if (std::find(keys.begin(), keys.end(), key) == keys.end()) keys.push_back(key);
    values[{label, key}] = value;
  }
  std::cout << "| |";
  for (const auto& l : labels) std::cout << " " << l << " |";
  std::cout << "\n| --- |";
  for (std::size_t i = 0; i < labels.size(); ++i) std::cout << " ---: |";
  std::cout << "\n";
  for (const auto& k : keys) {
    std::cout << "| " << k << " |";
    for (const auto& l : labels) {
      auto it = values.find({l, k});
      std::cout << " " << (it == values.end() ? "0" : it->second) << " |";
    }
    std::cout << "\n";
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) try {
  CLI::App app{"Registration opening day: concurrent registrations against running bp-servers"};
  app.require_subcommand(1);
  Options o;
  auto* r = app.add_subcommand("run", "post the registrations, then check the store");
  r->add_option("--label", o.label, "name of this run in the results")->required();
  r->add_option("--server", o.servers, "http://127.0.0.1:PORT (repeat for several servers)")->required();
  r->add_option("--n", o.n, "registrations to post")->check(CLI::PositiveNumber);
  r->add_option("--clients", o.clients, "concurrent HTTP clients")->check(CLI::PositiveNumber);
  r->add_option("--seed", o.seed, "seed of the editions' draw");
  r->add_option("--database", o.database_url, "the servers' PostgreSQL (empty: SQLite in --data)");
  r->add_option("--data", o.data_dir, "the server's data folder (SQLite)");
  std::string results;
  auto* t = app.add_subcommand("table", "print the results of several runs side by side");
  t->add_option("RESULTS", results, "file of \"label.key value\" lines")->required();
  CLI11_PARSE(app, argc, argv);
  return t->parsed() ? table(results) : run(o);
} catch (const std::exception& e) {
  std::cerr << "bp-bench-registration: " << e.what() << "\n";
  return 1;
}
