// The registration module: the programme's catalogue and participant
// registrations on an embedded store (SQLite by default). It mounts its own
// routes on the shared HTTP server; the search code knows nothing about it.
#pragma once

#include <filesystem>
#include <memory>
#include <string>

#include "bp/status.h"

namespace httplib {
class Server;
}

namespace bp::registration {

struct Options {
  // Folder for the SQLite database (registrations.sqlite3). Default var/.
  std::filesystem::path data_dir = "var";
  // Library root holding programme.yaml and taxonomy.yaml.
  std::filesystem::path content_root = "library-content";
  // Bearer token for /api/admin/*; empty means the admin routes answer 403.
  // Never logged.
  std::string admin_token;
  // Absolute base URL used in links sent to people (cancel_url, .ics).
  std::string public_base_url = "http://localhost:8080";
  // POSTs per minute allowed per client address; 0 disables the limit.
  int rate_limit_per_minute = 20;
  // Command that delivers one message read on stdin (e.g. "sendmail -t");
  // empty keeps messages in the outbox.
  std::string mail_command;
};

// Owns the store and the background outbox worker; keep it alive as long as
// the server runs. Destroying it stops the worker.
class Module {
 public:
  virtual ~Module() = default;
};

// Opens (creating and migrating) the store, loads the catalogue and mounts
// the routes on `server`. Fails with a Status when the store cannot be opened
// or the catalogue has errors.
Result<std::unique_ptr<Module>> mount(httplib::Server& server, const Options& options);

}  // namespace bp::registration
