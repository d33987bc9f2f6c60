// bp-bench-search: search latency in process, on one thread, side by side
// in the same run: our engine (bp::Searcher::search, the full answer with
// disjunctive facets, snippets and suggestion; and the same turned into the
// API's JSON), the Xapian floor (xapian_floor.h) and SQLite FTS5
// (fts5_baseline.h), over the plain and the filtered query mix.
//
//   bp-bench-search --index DIR --content DIR --queries FILE --filtered FILE
//                   [--fts5 DB] [--seconds S] [--only ours|floor|fts5]
//                   [--dump FILE] [--profile FILE]
//
// Prints "name value" lines: <engine>.<mix>.{p50_ms,p95_ms,p99_ms,mean_ms,qps}
// and <engine>.<mix>.{hits_mean,zero_hits} as a sanity check that the
// engines answer comparable questions.
//
// --dump FILE measures nothing: it runs the plain then the filtered mix once
// through bp::Searcher::search and writes one JSON line per query (mix,
// query, filters, total, the top 10 slugs, the facet counts, the snippets,
// the suggestion and the interpretation), for bench/equivalence to compare
// two builds' answers.
//
// --profile FILE measures each query of both mixes alone: the least thread
// CPU time of 3 runs of bp::Searcher::search, one line per query ("cpu_ms
// total mix q filters", tab-separated), to find which queries make the tail.
#include <algorithm>
#include <cstdio>
#include <functional>
#include <iostream>
#include <fstream>
#include <memory>
#include <string>

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
  std::string index, content = "library-content", queries, filtered, fts5, only, dump, profile;
  double seconds = 3;
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
    else if (f == "--profile") a.profile = value();
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
      if (bp::server::dump(bp::server::search_json(*r, 0.0)).empty()) throw std::runtime_error("empty JSON");
    }, a.seconds));
    std::size_t bytes = 0;
    for (const auto& q : filtered)
      if (auto r = searcher->search(request(q)); r.ok()) bytes += bp::server::dump(bp::server::search_json(*r, 0.0)).size();
    std::printf("ours_api.filtered.body_bytes_mean %zu\n", bytes / filtered.size());
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
