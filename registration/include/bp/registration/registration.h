// The registration module: participant registrations to the editions of the
// programme's catalogue (bp/catalogue.h, in core) on an embedded store
// (SQLite by default). It mounts its own
// routes on the shared HTTP server; the search code knows nothing about it.
#pragma once

#include <filesystem>
#include <memory>
#include <string>

#include "bp/query_tally.h"
#include "bp/registration/staff_guard.h"
#include "bp/registration/store.h"
#include "bp/site/client.h"
#include "bp/site/pages.h"
#include "bp/site/route.h"
#include "bp/status.h"
#include "bp/taxonomy.h"


namespace bp::registration {

struct Options {
  // Folder for the SQLite database (registrations.sqlite3). Default var/.
  std::filesystem::path data_dir = "var";
  // Where registrations live: empty (the default) is SQLite in data_dir, for
  // one server process; "postgresql://user@host:port/dbname" is PostgreSQL
  // (--database or BP_DATABASE_URL), for several server processes or
  // machines on one database, with the operators' usual replication and
  // backups. Never logged (it may hold a password).
  std::string database_url;
  // PostgreSQL only: connections per server process (BP_DATABASE_POOL;
  // default 8). More lets more requests write at once, each one a backend
  // on the database server, within its max_connections.
  int database_pool_size = 8;
  // Library root holding programme.yaml and taxonomy.yaml.
  std::filesystem::path content_root = "library-content";
  // The search index the server serves (bp-server --index): proposals whose
  // pulled file appears in it become "pubblicata", and the editors see the
  // practices close to a proposal. Empty: neither happens.
  std::filesystem::path index_dir;
  // Bearer token for /api/admin/*; empty means the admin routes answer 403.
  // At least 32 characters (open() refuses a shorter one). Never logged.
  std::string admin_token;
  // Absolute base URL used in links sent to people (cancel_url, .ics).
  std::string public_base_url = "http://localhost:8080";
  // Proxies whose X-Forwarded-For is believed for the client address of
  // the rate limits (bp/site/client.h); bp-server's --trusted-proxy.
  site::TrustedProxies trusted_proxies;
  // POSTs allowed per client address in any 60-second window (a sliding
  // window: never more, whatever the timing); 0 disables the limit.
  int rate_limit_per_minute = 20;
  // Failed admin authentications allowed per client address in any
  // 10-minute window; beyond it every admin request from that address
  // answers 429 until the oldest failure leaves the window. 0 disables.
  int admin_failures_per_10_minutes = 10;
  // Requests for the personal links again (resend) per e-mail address per
  // hour, on top of the per-address POST limit: nobody can flood a mailbox.
  int resend_per_email_per_hour = 3;
  // Whether a registration must be confirmed from the link sent by e-mail
  // (BP_CONFIRM_EMAIL=0 turns it off: seats are confirmed at once, for a
  // closed event where the staff know every address).
  bool confirm_email = true;
  // How long a seat is held for a person to confirm (BP_HOLD_MINUTES, in
  // minutes; default 30). Longer holds keep seats from people waiting;
  // shorter ones lose people who read their mail late.
  int hold_seconds = 30 * 60;
  // How long a seat freed for the first person waiting is held for them
  // (BP_OFFER_HOURS, in hours; default 24): they did not just fill in the
  // form and may read their mail the next day. Never past the edition's
  // first meeting when that comes sooner, never less than `hold_seconds`.
  int offer_seconds = 24 * 3600;
  // Days the text of a message sent to a person is kept after delivery
  // (BP_MAIL_TEXT_DAYS; default 30; 0: kept as long as the registration).
  // The text carries the person's links in clear: the message's line
  // (recipient, subject, times) stays, so the staff still see it went.
  int mail_text_days = 30;
  // Unconfirmed holds one e-mail address may have at once across the
  // catalogue (BP_MAX_PENDING; 0 = no cap): an invented address cannot hold
  // more than this many seats at a time.
  int max_pending_per_address = 3;
  // Command that delivers one message read on stdin (e.g. "sendmail -t");
  // empty keeps messages in the outbox, and confirmation links are also
  // printed on stderr so that the flow can be tried on one machine.
  std::string mail_command;
  // Sender of the messages (From: header). BP_MAIL_FROM.
  std::string mail_from = "Reti solidali e competenti <noreply@localhost>";
  // Delay before the first retry of a failed delivery, doubled at each
  // failure up to one hour.
  int outbox_retry_base_seconds = 30;
  // How often the background worker expires lapsed holds and looks for
  // messages to deliver.
  int worker_poll_seconds = 5;
  // Version of the privacy notice recorded with every consent (the client's
  // `privacy_version` is ignored).
  std::string privacy_version = "2026-12";
  // The data controller named in the privacy notice (GDPR art. 13) and how
  // to reach them (an e-mail address or a postal address):
  // BP_CONTROLLER_NAME, BP_CONTROLLER_CONTACT. Required when
  // public_base_url is not a localhost address (production).
  std::string controller_name;
  std::string controller_contact;
  // Largest request body accepted by the module's POST routes (413 above).
  // The server should also call set_payload_max_length() for every route.
  std::size_t max_body_bytes = 16 * 1024;
  // Share of an edition's meetings a person must attend for the certificate
  // (BP_CERTIFICATE_SHARE, percent; default 75).
  int certificate_share_percent = 75;
  // Argon2id cost of staff passwords (bp-admin and the back office): 2
  // passes over 64 MiB (libsodium's INTERACTIVE). Lower only in tests.
  unsigned long long password_passes = 2;
  std::size_t password_memory_bytes = 64u << 20;
  // What people search (issue 17, /staff/ricerche): the daily figures are
  // kept this many months (BP_ANALYTICS_RETENTION_MONTHS, default 13: a
  // year and the same month of the year before); 0 turns the counting off
  // (search_tally() is then null and nothing is stored).
  int analytics_retention_months = 13;
  // A query searched fewer times than this in the week shown stays out of
  // the editors' reports (BP_ANALYTICS_MIN_SEARCHES, default 3): a rare
  // query may say something about the one person who typed it.
  int analytics_min_searches = 3;
  // How often the counts held in memory go to the store
  // (BP_ANALYTICS_FLUSH_SECONDS, default 60; the worker looks every
  // worker_poll_seconds); a server that dies loses at most this much.
  int analytics_flush_seconds = 60;
  // Each confirmed person gets a reminder this many hours before their
  // edition's first meeting, with the meetings and their links as
  // programme.yaml has them then (BP_REMINDER_HOURS, default 48; 0: none).
  int reminder_hours = 48;
};

// Fills `options` from the environment: BP_DATABASE_URL, BP_DATABASE_POOL,
// BP_ADMIN_TOKEN, BP_RATE_LIMIT, BP_MAIL_COMMAND, BP_MAIL_FROM, BP_PUBLIC_URL, BP_CONFIRM_EMAIL (0 or 1),
// BP_HOLD_MINUTES, BP_OFFER_HOURS, BP_MAIL_TEXT_DAYS, BP_MAX_PENDING, BP_CONTROLLER_NAME, BP_CONTROLLER_CONTACT,
// BP_ANALYTICS_RETENTION_MONTHS, BP_ANALYTICS_MIN_SEARCHES, BP_ANALYTICS_FLUSH_SECONDS, BP_REMINDER_HOURS
// (unset variables leave fields as they are). The old name BP_PUBLIC_BASE_URL
// is still read when BP_PUBLIC_URL is unset, with a deprecation warning on
// stderr. Invalid, with an Italian message, when a number is not a
// non-negative integer in range.
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
  // The outbox backlog in the Prometheus text format, for
  // bp::server::Server::add_metrics: bp_outbox_pending_messages (counted up
  // to 1000) and bp_outbox_oldest_pending_seconds (0 when none). Empty when
  // the store cannot be read. Thread-safe.
  virtual std::string metrics() const = 0;
  // The guard of the staff pages and admin API (staff_guard.h), for other
  // modules' routes under /staff/ and /api/admin/.
  virtual const StaffGuard& staff_guard() const = 0;
  // Where the search module counts what people search (bp/query_tally.h);
  // the module's worker moves the counts to the store. Null when
  // analytics_retention_months is 0. Owned by the module.
  virtual QueryTally* search_tally() = 0;
};

// The Italian reason why `options` cannot serve ("" when they can): an
// admin token shorter than 32 characters, or a production public URL (not
// localhost) without the data controller's name and contact.
std::string options_problem(const Options& options);

// Opens (creating and migrating) the store and loads the catalogue.
// `taxonomy` and `pages` are shared with the server and must outlive the
// module. Fails with a Status when options_problem() finds one (Invalid),
// the store cannot be opened or the catalogue has errors.
Result<std::unique_ptr<Module>> open(const Options& options, const Taxonomy& taxonomy,
                                     const site::Pages& pages);

}  // namespace bp::registration
