// The registration module: participant registrations to the editions of the
// programme's catalogue (bp/catalogue.h, in core) on an embedded store
// (SQLite by default). It mounts its own
// routes on the shared HTTP server; the search code knows nothing about it.
#pragma once

#include <filesystem>
#include <memory>
#include <string>

#include "bp/registration/store.h"
#include "bp/site/pages.h"
#include "bp/site/route.h"
#include "bp/status.h"
#include "bp/taxonomy.h"


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
  // Sender of the messages (From: header).
  std::string mail_from = "Reti solidali e competenti <noreply@localhost>";
  // Delay before the first retry of a failed delivery, doubled at each
  // failure up to one hour.
  int outbox_retry_base_seconds = 30;
  // Version of the privacy notice recorded with the consent when the form
  // does not send `privacy_version`.
  std::string privacy_version = "2026-11";
  // Largest request body accepted by the module's POST routes (413 above).
  // The server should also call set_payload_max_length() for every route.
  std::size_t max_body_bytes = 16 * 1024;
  // Test-only: hooks into the store (a delay between seat check and insert,
  // locking disabled for the control run). Never set in production.
  StoreTestHooks test_hooks;
};

// Fills `options` from the environment: BP_ADMIN_TOKEN, BP_RATE_LIMIT,
// BP_MAIL_COMMAND, BP_PUBLIC_BASE_URL (unset variables leave fields as they
// are). Invalid when BP_RATE_LIMIT is not a non-negative integer.
Status apply_environment(Options* options);

// Reads the admin token from `file` (first line, spaces trimmed). Io when
// the file cannot be read, Invalid when it is empty.
Status read_admin_token_file(const std::filesystem::path& file, Options* options);

// Owns the store and the background outbox worker; keep it alive as long as
// the server runs. Destroying it stops the worker.
class Module {
 public:
  virtual ~Module() = default;
  // The module's route table (programme page, privacy notice, registrations,
  // admin API), for bp::server::Server::mount. Handlers refer to the module:
  // it must outlive the server that mounts them.
  virtual const site::RouteTable& routes() const = 0;
};

// Opens (creating and migrating) the store and loads the catalogue.
// `taxonomy` and `pages` are shared with the server and must outlive the
// module. Fails with a Status when the store cannot be opened or the
// catalogue has errors.
Result<std::unique_ptr<Module>> open(const Options& options, const Taxonomy& taxonomy,
                                     const site::Pages& pages);

}  // namespace bp::registration
