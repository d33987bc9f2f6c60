// The state shared by the server hooks (server.cc) and the handlers
// (routes.cc). Internal to bp_server.
#pragma once

#include <httplib.h>

#include <string>

#include "bp/server/server.h"
#include "metrics.h"
#include "searcher_pool.h"

namespace bp::server {

struct Server::Impl {
  Impl(Options o, const Taxonomy& t, SearcherFactory f)
      : options(std::move(o)), taxonomy(t), searchers(std::move(f)) {}

  Options options;
  const Taxonomy& taxonomy;
  SearcherPool searchers;
  Metrics metrics;
  httplib::Server http;
  std::string base_url;  // options.public_base_url, or derived from the bound port
  bool fallback_mounted = false;
};

// The route table (routes.cc): the API and pages, then, once every module has
// mounted its routes, the static-file fallback.
void mount_routes(Server::Impl& impl);
void mount_fallback(Server::Impl& impl);

// Names the route pattern of the request being handled on this thread, for
// metrics; set by the route table, read by the logger.
void set_route_label(const char* pattern);

}  // namespace bp::server
