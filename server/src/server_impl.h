// The state shared by the server hooks (server.cc) and the handlers
// (routes.cc). Internal to bp_server.
#pragma once

#include <httplib.h>

#include <algorithm>
#include <chrono>
#include <deque>
#include <functional>
#include <memory>
#include <regex>
#include <string>
#include <vector>

#include "bp/server/server.h"
#include "connection_front.h"
#include "metrics.h"
#include "open_library.h"
#include "searcher_pool.h"

namespace bp::server {

// The HTTP server of `options`: a FrontedServer (connection_front.h) that
// hands whole requests to options.threads workers, or with
// options.buffer_requests off cpp-httplib's own thread per connection.
std::unique_ptr<httplib::Server> make_http_server(const Options& options);

struct Server::Impl {
  Impl(Options o, const Taxonomy& t, const site::Pages& p, SearcherFactory f)
      : options(std::move(o)),
        start_taxonomy(t),
        pages(p),
        searchers(std::move(f), std::chrono::milliseconds(std::max(0, options.idle_refresh_ms))),
        http_owner(make_http_server(options)),
        http(*http_owner) {}

  // A mounted route with its compiled pattern (for 405 answers) and the
  // literal start of its pattern (to redact near-misses of private routes).
  struct Mounted {
    site::Route route;
    std::regex regex;
    std::string literal_prefix;
    // The static files' and near-miss redirects' catch-all GET: a request
    // it answers matched no route of its own.
    bool fallback = false;
  };

  // The taxonomy the pages label with: `searcher`'s (the index's, which
  // follows an editor's change once the library is rebuilt, as the search
  // does), or the one read at start without a searcher or from one that
  // keeps none. Held for the request: a rebuild does not free it under it.
  std::shared_ptr<const Taxonomy> taxonomy_of(Searcher* searcher) const {
    return taxonomy_or(searcher, start_taxonomy);
  }

  Options options;
  const Taxonomy& start_taxonomy;  // read at start; see taxonomy_of()
  const site::Pages& pages;
  SearcherPool searchers;
  Metrics metrics;
  std::unique_ptr<httplib::Server> http_owner;
  httplib::Server& http;       // a FrontedServer unless options.buffer_requests is off
  std::deque<Mounted> routes;  // stable addresses: handlers point into it
  std::string base_url;        // options.public_base_url, or derived from the bound port
  bool fallback_mounted = false;
  OpenDataCache open_data;     // open_library.cc
  std::vector<std::function<std::string()>> metric_sources;  // Server::add_metrics
  QueryTally* tally = nullptr;  // Server::count_searches (search_analytics.h)
};

// The search module's route table (routes.cc): the API and pages.
site::RouteTable search_routes(Server::Impl& impl);
// The open-library module's table (open_library.cc): /oai, /sitemap.xml,
// /robots.txt, /feed.xml, /opendata/.
site::RouteTable open_library_routes(Server::Impl& impl);
// The static files and media, mounted after every module's table.
site::RouteTable fallback_routes(Server::Impl& impl);

// Marks the request being handled on this thread as matching no route
// (a static file or media that does not exist): labelled "unmatched".
void mark_unmatched();

}  // namespace bp::server
