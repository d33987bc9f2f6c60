// bp-bench-search: search latency in process, on one thread, side by side
// in the same run: our engine (bp::Searcher::search, the full answer with
// disjunctive facets, snippets and suggestion; and the same turned into the
// API's JSON), the Xapian floor (xapian_floor.h) and SQLite FTS5
// (fts5_baseline.h), over the plain and the filtered query mix.
//
//   bp-bench-search --index DIR --content DIR --queries FILE --filtered FILE
//                   [--fts5 DB] [--seconds S] [--only ours|floor|fts5]
//                   [--dump FILE [--warm N]] [--api-dump FILE [--passes N] [--fresh]] [--profile FILE] [--pause-us N] [--server PORT --server-pid PID]
//
// Prints "name value" lines: <engine>.<mix>.{p50_ms,p95_ms,p99_ms,mean_ms,qps}
// and <engine>.<mix>.{hits_mean,zero_hits} as a sanity check that the
// engines answer comparable questions.
//
// --pause-us N measures what an idle CPU costs the next search, as
// bp-server idles between the requests of one connection: the API answer
// of each query of the filtered mix, in passes, every other query after
// sleeping N microseconds and the others right after the previous search
// (swapped each pass, so each query is measured both ways). Prints
// pause.{after_pause,back_to_back}.cpu_{mean,p50}_ms and the median of the
// per-query ratios.
//
// --server PORT --server-pid PID measures what bp-server adds, robustly on
// a shared machine: for each query of the filtered mix (several passes), the
// API answer in process and the same request to the bp-server listening on
// 127.0.0.1:PORT, one right after the other (alternating which goes first).
// Prints pair.{process,server}.{cpu_mean_ms,wall_p50_ms,took_p50_ms} and
// the median of the per-query ratios: the server's CPU is the sum over its
// threads (/proc/PID/task/*/schedstat), the process's its thread's.
//
// --dump FILE measures nothing: it runs the plain then the filtered mix once
// through bp::Searcher::search and writes one JSON line per query (mix,
// query, filters, total, the top 10 slugs, the facet counts, the snippets,
// the suggestion and the interpretation), for bench/equivalence to compare
// two builds' answers. --warm N runs both mixes N times before (refresh()
// and search, answers not written): run under callgrind or strace with
// N = 0 and N = 1, the difference is what one pass costs once the caches
// of the revision are warm.
//
// --api-dump FILE measures nothing either: the API answer (search_json with
// took_ms 0, serialised) of each query of both mixes, one line each, so
// that two builds' JSON can be compared byte for byte (and profiled).
// --passes N writes N passes of both mixes (N x 600 lines) through the
// same Searcher: every pass must give the same lines, whatever the caches
// of the revision hold by then (docs/search-quality.md, "The same query,
// the same answer"). --fresh asks each query of the first pass on a
// Searcher of its own, opened for it alone (the revision's memos start
// empty, as in a new process): its lines must equal a later pass's.
//
// --profile FILE measures each query of both mixes alone: the least thread
// CPU time of 3 runs of bp::Searcher::search, one line per query ("cpu_ms
// total mix q filters", tab-separated), to find which queries make the tail.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <functional>
#include <iostream>
#include <fstream>
#include <memory>
#include <string>
#include <thread>

#include <httplib.h>
#include <nlohmann/json.hpp>

#include "bp/search.h"
#include "bp/taxonomy.h"
#include "fts5_baseline.h"
#include "harness.h"
#include "json_view.h"
#include "xapian_floor.h"

namespace {

using bp::bench::BenchQuery;

struct Args {
  std::string index, content = "library-content", queries, filtered, fts5, only, dump, api_dump, profile;
  double seconds = 3;
  int pause_us = 0;
  int warm = 0;
  int passes = 1;
  bool fresh = false;
  int server_port = 0;
  int server_pid = 0;
};

void print_hits(const std::string& name, const std::vector<BenchQuery>& queries,
                const std::function<std::uint64_t(const BenchQuery&)>& total) {
  double sum = 0;
  int zero = 0;
  for (const auto& q : queries) {
    const auto t = total(q);
    sum += static_cast<double>(t);
    zero += t == 0;
  }
  std::printf("%s.hits_mean %.1f\n%s.zero_hits %d\n", name.c_str(), sum / static_cast<double>(queries.size()),
              name.c_str(), zero);
}

// CPU time of every thread of process `pid`, in ms (scheduler statistics,
// nanosecond resolution, unlike the 10 ms ticks of /proc/PID/stat).
double process_cpu_ms(int pid) {
  double ns = 0;
  const std::filesystem::path tasks = "/proc/" + std::to_string(pid) + "/task";
  for (const auto& task : std::filesystem::directory_iterator(tasks)) {
    std::ifstream in(task.path() / "schedstat");
    double run = 0;
    if (in >> run) ns += run;
  }
  return ns / 1e6;
}

double median(std::vector<double> v) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

// The API answer of `q` in process (refresh, search, JSON): its thread's
// CPU time and its wall time, in ms.
struct Cost {
  double cpu_ms = 0, wall_ms = 0;
};
Cost api_answer(bp::Searcher& searcher, const BenchQuery& q) {
  bp::SearchRequest r;
  r.q = q.q;
  r.filters = q.filters;
  const double c0 = bp::bench::thread_cpu_ms();
  const auto t0 = std::chrono::steady_clock::now();
  searcher.refresh();
  auto answer = searcher.search(r);
  if (!answer.ok()) throw std::runtime_error("search failed: " + answer.status().message());
  if (bp::server::search_json_text(*answer, 0.0).empty()) throw std::runtime_error("empty JSON");
  return {bp::bench::thread_cpu_ms() - c0,
          std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count()};
}

void pause_pairs(bp::Searcher& searcher, const std::vector<BenchQuery>& queries, const Args& a) {
  for (const auto& q : queries) api_answer(searcher, q);  // warm
  const std::size_t n = queries.size();
  std::vector<double> paused(n, 0), straight(n, 0), all_paused, all_straight;
  const auto start = std::chrono::steady_clock::now();
  for (std::size_t pass = 0;; ++pass) {
    for (std::size_t i = 0; i < n; ++i) {
      const bool pause = (i + pass) % 2 == 0;
      if (pause) std::this_thread::sleep_for(std::chrono::microseconds(a.pause_us));
      const double cpu = api_answer(searcher, queries[i]).cpu_ms;
      (pause ? paused : straight)[i] += cpu;
      (pause ? all_paused : all_straight).push_back(cpu);
    }
    if (pass % 2 == 1 &&
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count() >= a.seconds)
      break;
  }
  std::vector<double> ratio;
  for (std::size_t i = 0; i < n; ++i)
    if (straight[i] > 0) ratio.push_back(paused[i] / straight[i]);
  auto mean = [](const std::vector<double>& v) {
    double sum = 0;
    for (double x : v) sum += x;
    return v.empty() ? 0 : sum / static_cast<double>(v.size());
  };
  std::printf("pause.us %d\n", a.pause_us);
  std::printf("pause.after_pause.cpu_mean_ms %.4f\npause.after_pause.cpu_p50_ms %.4f\n", mean(all_paused),
              median(all_paused));
  std::printf("pause.back_to_back.cpu_mean_ms %.4f\npause.back_to_back.cpu_p50_ms %.4f\n", mean(all_straight),
              median(all_straight));
  std::printf("pause.cpu_ratio_p50 %.3f\n", median(ratio));
}

void pair_with_server(bp::Searcher& searcher, const std::vector<BenchQuery>& queries, const Args& a) {
  httplib::Client client("127.0.0.1", a.server_port);
  client.set_keep_alive(true);
  std::vector<std::string> paths;
  for (const auto& q : queries) {
    std::string path = "/api/search?q=" + httplib::detail::encode_query_param(q.q);
    for (const auto& [name, values] : q.filters)
      for (const auto& v : values) path += "&" + name + "=" + httplib::detail::encode_query_param(v);
    paths.push_back(path);
  }
  std::vector<double> p_cpu, p_wall, s_cpu, s_wall, s_took, ratio_cpu;
  auto in_process = [&](const BenchQuery& q) {
    const Cost cost = api_answer(searcher, q);
    p_cpu.push_back(cost.cpu_ms);
    p_wall.push_back(cost.wall_ms);
  };
  auto over_http = [&](const std::string& path) {
    const double c0 = process_cpu_ms(a.server_pid);
    const auto t0 = std::chrono::steady_clock::now();
    // As wrk asks (bench/run): no compression.
    auto res = client.Get(path, {{"Accept-Encoding", "identity"}});
    const double wall = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
    if (!res || res->status != 200) throw std::runtime_error("the server did not answer " + path);
    s_wall.push_back(wall);
    s_cpu.push_back(process_cpu_ms(a.server_pid) - c0);
    s_took.push_back(nlohmann::json::parse(res->body).value("took_ms", 0.0));
  };
  for (std::size_t i = 0; i < queries.size(); ++i) {  // warm both
    in_process(queries[i]);
    over_http(paths[i]);
  }
  p_cpu.clear(), p_wall.clear(), s_cpu.clear(), s_wall.clear(), s_took.clear();
  const auto start = std::chrono::steady_clock::now();
  for (int pass = 0;; ++pass) {
    for (std::size_t i = 0; i < queries.size(); ++i) {
      if ((i + static_cast<std::size_t>(pass)) % 2 == 0) {
        in_process(queries[i]);
        over_http(paths[i]);
      } else {
        over_http(paths[i]);
        in_process(queries[i]);
      }
      if (p_cpu.back() > 0) ratio_cpu.push_back(s_cpu.back() / p_cpu.back());
    }
    if (std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count() >= a.seconds) break;
  }
  auto mean = [](const std::vector<double>& v) {
    double sum = 0;
    for (double x : v) sum += x;
    return v.empty() ? 0 : sum / static_cast<double>(v.size());
  };
  std::printf("pair.count %zu\n", p_cpu.size());
  std::printf("pair.process.cpu_mean_ms %.4f\npair.process.cpu_p50_ms %.4f\npair.process.wall_p50_ms %.4f\n",
              mean(p_cpu), median(p_cpu), median(p_wall));
  std::printf("pair.server.cpu_mean_ms %.4f\npair.server.cpu_p50_ms %.4f\npair.server.wall_p50_ms %.4f\n"
              "pair.server.took_p50_ms %.4f\n",
              mean(s_cpu), median(s_cpu), median(s_wall), median(s_took));
  std::vector<double> outside;
  for (std::size_t i = 0; i < s_wall.size(); ++i) outside.push_back(s_wall[i] - s_took[i]);
  std::printf("pair.server.wall_minus_took_p50_ms %.4f\n", median(outside));
  std::printf("pair.cpu_ratio_p50 %.3f\n", median(ratio_cpu));
}

}  // namespace

int main(int argc, char** argv) try {
  Args a;
  for (int i = 1; i < argc; ++i) {
    const std::string f = argv[i];
    auto value = [&]() -> std::string {
      if (i + 1 >= argc) throw std::runtime_error("missing value after " + f);
      return argv[++i];
    };
    if (f == "--index") a.index = value();
    else if (f == "--content") a.content = value();
    else if (f == "--queries") a.queries = value();
    else if (f == "--filtered") a.filtered = value();
    else if (f == "--fts5") a.fts5 = value();
    else if (f == "--seconds") a.seconds = std::stod(value());
    else if (f == "--only") a.only = value();
    else if (f == "--dump") a.dump = value();
    else if (f == "--api-dump") a.api_dump = value();
    else if (f == "--profile") a.profile = value();
    else if (f == "--warm") a.warm = std::stoi(value());
    else if (f == "--passes") a.passes = std::stoi(value());
    else if (f == "--fresh") a.fresh = true;
    else if (f == "--pause-us") a.pause_us = std::stoi(value());
    else if (f == "--server") a.server_port = std::stoi(value());
    else if (f == "--server-pid") a.server_pid = std::stoi(value());
    else throw std::runtime_error("unknown option " + f);
  }
  const auto plain = bp::bench::load_queries(a.queries);
  const auto filtered = bp::bench::load_queries(a.filtered);
  auto wanted = [&](const char* e) { return a.only.empty() || a.only == e; };

  if (wanted("ours")) {
    bp::Diagnostics diags;
    auto taxonomy = bp::Taxonomy::load(std::filesystem::path(a.content) / "taxonomy.yaml", &diags);
    if (!taxonomy) throw std::runtime_error("cannot load the taxonomy");
    auto opened = bp::Searcher::open(a.index, *taxonomy);
    if (!opened.ok()) throw std::runtime_error("cannot open the index: " + opened.status().message());
    std::unique_ptr<bp::Searcher> searcher = std::move(*opened);
    auto request = [](const BenchQuery& q) {
      bp::SearchRequest r;
      r.q = q.q;
      r.filters = q.filters;
      return r;
    };
    auto total = [&](const BenchQuery& q) -> std::uint64_t {
      auto r = searcher->search(request(q));
      return r.ok() ? r->total : 0;
    };
    if (!a.dump.empty()) {
      for (int pass = 0; pass < a.warm; ++pass)
        for (const auto* mix : {&plain, &filtered})
          for (const auto& q : *mix) {
            searcher->refresh();
            total(q);
          }
      std::ofstream out(a.dump);
      for (const auto* mix : {&plain, &filtered}) {
        for (const auto& q : *mix) {
          auto r = searcher->search(request(q));
          if (!r.ok()) throw std::runtime_error("search failed: " + r.status().message());
          nlohmann::json line = {{"mix", mix == &plain ? "plain" : "filtered"},
                                 {"q", q.q},
                                 {"filters", q.filters},
                                 {"total", r->total}};
          nlohmann::json ids = nlohmann::json::array(), snippets = nlohmann::json::array();
          for (const auto& hit : r->results) {
            ids.push_back(hit.practice.slug);
            snippets.push_back(hit.snippet_html);
          }
          line["top10"] = ids;
          line["facets"] = r->facets;
          line["snippets"] = snippets;
          line["suggestion"] = r->suggestion ? nlohmann::json(*r->suggestion) : nlohmann::json(nullptr);
          line["relaxed"] = r->interpretation.relaxed;
          out << line.dump() << "\n";
        }
      }
      if (!out) throw std::runtime_error("cannot write " + a.dump);
      return 0;
    }
    if (!a.api_dump.empty()) {
      std::ofstream out(a.api_dump);
      for (int pass = 0; pass < a.passes; ++pass)
        for (const auto* mix : {&plain, &filtered})
          for (const auto& q : *mix) {
            if (a.fresh && pass == 0) {
              searcher.reset();  // its memos go with it
              auto own = bp::Searcher::open(a.index, *taxonomy);
              if (!own.ok()) throw std::runtime_error("cannot open the index: " + own.status().message());
              searcher = std::move(*own);
            }
            auto r = searcher->search(request(q));
            if (!r.ok()) throw std::runtime_error("search failed: " + r.status().message());
            out << bp::server::search_json_text(*r, 0.0) << "\n";
          }
      if (!out) throw std::runtime_error("cannot write " + a.api_dump);
      return 0;
    }
    if (!a.profile.empty()) {
      std::ofstream out(a.profile);
      for (const auto* mix : {&plain, &filtered}) {
        for (const auto& q : *mix) {
          double best = 1e300;
          std::uint64_t hits = 0;
          for (int run = 0; run < 3; ++run) {
            const double c0 = bp::bench::thread_cpu_ms();
            auto r = searcher->search(request(q));
            best = std::min(best, bp::bench::thread_cpu_ms() - c0);
            if (!r.ok()) throw std::runtime_error("search failed: " + r.status().message());
            hits = r->total;
          }
          std::string filters;
          for (const auto& [name, values] : q.filters)
            for (const auto& v : values) filters += (filters.empty() ? "" : "&") + name + "=" + v;
          out << best << "\t" << hits << "\t" << (mix == &plain ? "plain" : "filtered") << "\t" << q.q
              << "\t" << filters << "\n";
        }
      }
      if (!out) throw std::runtime_error("cannot write " + a.profile);
      return 0;
    }
    if (a.server_port != 0) {
      pair_with_server(*searcher, filtered, a);
      return 0;
    }
    if (a.pause_us != 0) {
      pause_pairs(*searcher, filtered, a);
      return 0;
    }
    for (const auto* mix : {&plain, &filtered}) {
      const std::string name = std::string("ours.") + (mix == &plain ? "plain" : "filtered");
      print_hits(name, *mix, total);
      bp::bench::print_stats(name, bp::bench::measure(*mix, [&](const BenchQuery& q) {
        searcher->refresh();
        auto r = searcher->search(request(q));
        if (!r.ok()) throw std::runtime_error("search failed: " + r.status().message());
      }, a.seconds));
    }
    bp::bench::print_stats("ours_api.filtered", bp::bench::measure(filtered, [&](const BenchQuery& q) {
      searcher->refresh();
      auto r = searcher->search(request(q));
      if (!r.ok()) throw std::runtime_error("search failed: " + r.status().message());
      if (bp::server::search_json_text(*r, 0.0).empty()) throw std::runtime_error("empty JSON");
    }, a.seconds));
    std::size_t bytes = 0;
    for (const auto& q : filtered)
      if (auto r = searcher->search(request(q)); r.ok()) bytes += bp::server::search_json_text(*r, 0.0).size();
    if (!filtered.empty()) std::printf("ours_api.filtered.body_bytes_mean %zu\n", bytes / filtered.size());
  }
  if (wanted("floor")) {
    bp::bench::XapianFloor floor(a.index);
    for (const auto* mix : {&plain, &filtered}) {
      const std::string name = std::string("floor.") + (mix == &plain ? "plain" : "filtered");
      print_hits(name, *mix, [&](const BenchQuery& q) { return floor.search(q).total; });
      bp::bench::print_stats(name, bp::bench::measure(*mix, [&](const BenchQuery& q) { floor.search(q); }, a.seconds));
    }
  }
  if (wanted("fts5") && !a.fts5.empty()) {
    bp::bench::Fts5Baseline fts(a.fts5);
    for (const auto* mix : {&plain, &filtered}) {
      const std::string name = std::string("fts5.") + (mix == &plain ? "plain" : "filtered");
      print_hits(name, *mix, [&](const BenchQuery& q) { return fts.search(q).total; });
      bp::bench::print_stats(name, bp::bench::measure(*mix, [&](const BenchQuery& q) { fts.search(q); }, a.seconds));
    }
  }
  return 0;
} catch (const std::exception& e) {
  std::cerr << "bp-bench-search: " << e.what() << "\n";
  return 1;
}
