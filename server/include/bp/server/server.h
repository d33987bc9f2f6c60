// bp-server: the search API, server-rendered practice pages and static
// hosting, on one cpp-httplib server. The route table is in routes.cc.
#pragma once

#include <functional>
#include <memory>

#include "bp/search.h"
#include "bp/server/options.h"
#include "bp/status.h"
#include "bp/taxonomy.h"

namespace httplib {
class Server;
}

namespace bp::server {

// Opens a Searcher on the configured index; called lazily once per server
// thread (and again after reload()). main passes bp::Searcher::open; tests
// may pass a fake.
using SearcherFactory = std::function<Result<std::unique_ptr<Searcher>>()>;

class Server {
 public:
  // `taxonomy` is shared read-only by every thread and must outlive the server.
  Server(Options options, const Taxonomy& taxonomy, SearcherFactory open_searcher);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // The underlying HTTP server, for modules that mount their own routes
  // (bp::registration::mount). Mount them before bind(): the static-file
  // fallback is added last, when binding.
  httplib::Server& http();

  // Binds options.host:options.port (port 0: any free port). Returns the
  // bound port, or -1 when the address cannot be used.
  int bind();
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
