// A small timing harness shared by the benchmark programs: the query mix
// (bench/queries.txt format), latency percentiles and a "key value" result
// format that bench/run collects and bp-bench-report turns into the table.
#pragma once

#include <algorithm>
#include <chrono>
#include <ctime>
#include <cstdio>
#include <fstream>
#include <map>
#include <stdexcept>
#include <string>
#include <vector>

namespace bp::bench {

// One line of queries.txt: kind TAB q TAB filters ("hub=nord&theme=x").
struct BenchQuery {
  std::string kind;  // plain | unaccented | typo | prefix
  std::string q;
  std::map<std::string, std::vector<std::string>> filters;
};

inline std::vector<BenchQuery> load_queries(const std::string& file) {
  std::ifstream in(file);
  if (!in) throw std::runtime_error("cannot read " + file);
  std::vector<BenchQuery> out;
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    const auto t1 = line.find('\t');
    const auto t2 = line.find('\t', t1 + 1);
    BenchQuery q;
    q.kind = line.substr(0, t1);
    q.q = line.substr(t1 + 1, t2 == std::string::npos ? std::string::npos : t2 - t1 - 1);
    std::string f = t2 == std::string::npos ? "" : line.substr(t2 + 1);
    std::size_t at = 0;
    while (at < f.size()) {
      std::size_t amp = f.find('&', at);
      if (amp == std::string::npos) amp = f.size();
      const std::string pair = f.substr(at, amp - at);
      const auto eq = pair.find('=');
      if (eq != std::string::npos) q.filters[pair.substr(0, eq)].push_back(pair.substr(eq + 1));
      at = amp + 1;
    }
    out.push_back(std::move(q));
  }
  return out;
}

struct LatencyStats {
  double p50_ms = 0, p95_ms = 0, p99_ms = 0, mean_ms = 0, qps = 0;
  // CPU time of the calling thread per call (CLOCK_THREAD_CPUTIME_ID): what
  // a call costs when the machine is shared with other work.
  double cpu_p50_ms = 0, cpu_mean_ms = 0;
  std::size_t count = 0;
};

inline double thread_cpu_ms() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) * 1e3 + static_cast<double>(ts.tv_nsec) / 1e6;
}

inline LatencyStats summarise(std::vector<double> ms, double wall_seconds) {
  LatencyStats s;
  if (ms.empty()) return s;
  std::sort(ms.begin(), ms.end());
  auto at = [&](double p) {
    const std::size_t i = static_cast<std::size_t>(p * static_cast<double>(ms.size() - 1) + 0.5);
    return ms[std::min(i, ms.size() - 1)];
  };
  s.p50_ms = at(0.50);
  s.p95_ms = at(0.95);
  s.p99_ms = at(0.99);
  double sum = 0;
  for (double v : ms) sum += v;
  s.mean_ms = sum / static_cast<double>(ms.size());
  s.count = ms.size();
  s.qps = wall_seconds > 0 ? static_cast<double>(ms.size()) / wall_seconds : 0;
  return s;
}

// Runs `fn(query)` over the whole mix once to warm caches, then in passes
// over the mix until `min_seconds` have gone by (at least `min_passes`),
// on the calling thread. Returns the per-call latencies.
template <typename F>
LatencyStats measure(const std::vector<BenchQuery>& queries, F&& fn, double min_seconds,
                     int min_passes = 1) {
  using Clock = std::chrono::steady_clock;
  for (const auto& q : queries) fn(q);
  std::vector<double> ms, cpu;
  const auto start = Clock::now();
  for (int pass = 0;; ++pass) {
    for (const auto& q : queries) {
      const double c0 = thread_cpu_ms();
      const auto t0 = Clock::now();
      fn(q);
      ms.push_back(std::chrono::duration<double, std::milli>(Clock::now() - t0).count());
      cpu.push_back(thread_cpu_ms() - c0);
    }
    const double elapsed = std::chrono::duration<double>(Clock::now() - start).count();
    if (pass + 1 >= min_passes && elapsed >= min_seconds) {
      LatencyStats s = summarise(std::move(ms), elapsed);
      const LatencyStats c = summarise(std::move(cpu), elapsed);
      s.cpu_p50_ms = c.p50_ms;
      s.cpu_mean_ms = c.mean_ms;
      return s;
    }
  }
}

// Prints "<name>.p50_ms 0.412" ... lines.
inline void print_stats(const std::string& name, const LatencyStats& s) {
  std::printf("%s.p50_ms %.4f\n%s.p95_ms %.4f\n%s.p99_ms %.4f\n%s.mean_ms %.4f\n%s.qps %.1f\n",
              name.c_str(), s.p50_ms, name.c_str(), s.p95_ms, name.c_str(), s.p99_ms, name.c_str(),
              s.mean_ms, name.c_str(), s.qps);
  std::printf("%s.cpu_p50_ms %.4f\n%s.cpu_mean_ms %.4f\n", name.c_str(), s.cpu_p50_ms, name.c_str(),
              s.cpu_mean_ms);
  std::fflush(stdout);
}

}  // namespace bp::bench
