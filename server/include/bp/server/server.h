// bp-server: the search API, server-rendered pages and static hosting, on
// one cpp-httplib server. Each module hands the server one route table
// (bp/site/route.h); the search module's is in routes.cc.
#pragma once

#include <httplib.h>

#include <functional>
#include <memory>

#include "bp/query_tally.h"
#include "bp/search.h"
#include "bp/server/options.h"
#include "bp/site/pages.h"
#include "bp/site/route.h"
#include "bp/status.h"
#include "bp/taxonomy.h"

namespace bp::server {

// Opens a Searcher on the configured index; called lazily once per server
// thread (and again after reload()). main passes bp::Searcher::open; tests
// may pass a fake.
using SearcherFactory = std::function<Result<std::unique_ptr<Searcher>>()>;

class Server {
 public:
  // `taxonomy` and `pages` are shared read-only by every thread and must
  // outlive the server.
  Server(Options options, const Taxonomy& taxonomy, const site::Pages& pages,
         SearcherFactory open_searcher);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Mounts another module's routes (bp::registration's). Call before bind():
  // the static-file fallback is added last, when binding. Metrics labels,
  // log redaction, private headers and 405 answers come from the tables.
  void mount(const site::RouteTable& routes);

  // Adds text in the Prometheus exposition format to every /metrics answer
  // (the registration module's outbox gauges). `source` is called on a
  // worker thread for each scrape and must be thread-safe; call before
  // bind().
  void add_metrics(std::function<std::string()> source);

  // Counts what people search and which results they open in `tally`
  // (the registration module's, bp/query_tally.h; server/src/search_analytics.h
  // says what counts). Null (the default) counts nothing. The tally must
  // outlive the server; call before bind().
  void count_searches(QueryTally* tally);

  // Binds options.host:options.port (port 0: any free port). Returns the
  // bound port, or -1 when the address cannot be used.
  int bind();
  // The public site root without a trailing slash: options.public_base_url,
  // or http://<host>:<bound port> after bind().
  const std::string& base_url() const;
  // Serves until stop(); returns false when it could not serve. Call bind() first.
  bool listen();
  // Stops listen() (from any thread; requests in flight complete).
  void stop();
  // Blocks until listen() accepts connections (tests).
  void wait_until_ready() const;

  // Makes every thread reopen its Searcher before its next request (SIGHUP).
  void reload();

  struct Impl;

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace bp::server
