// Settings of bp-server, built in main from flags and environment and passed
// explicitly to the server (no globals).
#pragma once

#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

#include "bp/site/client.h"

namespace bp::server {

struct Options {
  // Index folder written by `bp-index build` (holds CURRENT). Default var/index.
  std::filesystem::path index_dir = "var/index";
  // Library root: taxonomy.yaml, programme.yaml and practices/ (media are
  // served from practices/ under /media/). Default library-content.
  std::filesystem::path content_root = "library-content";
  // The front end: its assets (css/, js/, assets/) are served as static
  // files and its templates/ folder holds the pages. Default web.
  std::filesystem::path web_root = "web";
  // Writable data folder (the registration module keeps its SQLite file
  // here). Default var.
  std::filesystem::path data_dir = "var";

  // Listening address. Loopback by default: put a reverse proxy in front or
  // pass --host 0.0.0.0 (or BP_HOST) to expose it.
  std::string host = "127.0.0.1";
  // Listening port; 0 picks a free one (tests). Default 8080 (or PORT).
  int port = 8080;
  // Worker threads. cpp-httplib keeps one thread per open connection for the
  // whole keep-alive period, so this bounds concurrent connections, not CPU
  // use: 8 lets a browser's six parallel connections and a few more clients
  // in on a 2-core machine, while each thread's Xapian handle stays cheap.
  int threads = 8;

  // Connections (server/src/connection_front.h). On (the default), one
  // epoll thread holds every connection while it waits for a whole request
  // or sits idle between requests, and a worker thread only ever handles a
  // complete request: a slow, stalled or idle client costs a file
  // descriptor, never a worker. Off: cpp-httplib's own pool, where each
  // connection holds a worker for its whole life (the behaviour before
  // issue 13, kept for the side-by-side benchmark, bench/stalled_clients).
  bool buffer_requests = true;
  // A new connection's first request (line, headers and body) must have
  // arrived within this time from the accept, a later one on a kept-alive
  // connection within this time from its first byte; else the connection is
  // closed (408 when part of a request came). 10 s leaves a slow mobile
  // client time for a 2 KB head and a 64 KiB form.
  int request_timeout_ms = 10'000;
  // An idle keep-alive connection is closed after this time. Idle
  // connections cost no thread, so this can be longer than cpp-httplib's
  // 5 s; browsers reuse a connection within seconds.
  int keep_alive_timeout_ms = 15'000;
  // An answer is dropped when its client takes none of it for this long
  // (a slow reader's answer waits in its connection, not in a worker).
  int write_timeout_ms = 10'000;
  // Answers up to this size wait for a slow client in their connection;
  // larger ones (big static files) are written by their worker, a part at
  // a time (FrontSettings::keep_whole_bytes). All waiting answers together
  // stay under 64 times this.
  std::size_t keep_whole_answer_bytes = 1 << 20;
  // Open connections at most (and at most the descriptor limit minus 64).
  // Beyond it a new connection closes the one that has waited longest for
  // a request. There is no per-address cap: behind nginx every client has
  // the proxy's address (nginx's limit_conn does that job at the front).
  std::size_t max_connections = 1024;

  // Every this often, the index of each worker not serving a request is
  // checked for a rebuild, as a request would: an idle worker then lets go
  // of the replaced database (whose disk space is freed only when its last
  // reader closes it) and its next request finds the new one ready.
  // A check is two stat() calls; 0 turns it off.
  int idle_refresh_ms = 2'000;

  // Absolute base of the public site, for canonical links and Open Graph
  // tags ("https://buonepratiche.example.org"). Default http://localhost:<port>.
  std::string public_base_url;

  // Proxies whose X-Forwarded-For / X-Forwarded-Proto are believed
  // (--trusted-proxy, BP_TRUSTED_PROXIES): the access log, the rate limits
  // and /metrics then see the client they forwarded for
  // (bp/site/client.h). Default: nobody, every header ignored.
  site::TrustedProxies trusted_proxies;

  // Who may read /metrics: client addresses (exact, as bp/site/client.h
  // reports them: behind a trusted proxy, the forwarded client), loopback
  // by default. A scraper reaching each bp-server directly is its peer.
  std::vector<std::string> metrics_allow = {"127.0.0.1", "::1", "::ffff:127.0.0.1"};
  // A bearer token that also opens /metrics from any address (empty: none).
  // Never logged. BP_METRICS_TOKEN.
  std::string metrics_token;
  // The OAI-PMH repository's adminEmail (Identify): a real mailbox of the
  // editorial staff, without "mailto:". Set it with --admin-email or
  // BP_ADMIN_EMAIL; the default is a placeholder in the reserved .invalid
  // domain, which harvesters' validators reject.
  std::string admin_email = "redazione@buonepratiche.invalid";
  // Records per OAI-PMH list page (ListRecords, ListIdentifiers); larger
  // answers are fewer requests but longer ones. 100, as many repositories
  // (DSpace, EPrints) use; tests lower it to exercise resumption tokens.
  std::size_t oai_page_size = 100;

  // Where the access log goes, one line per request; nullptr disables it.
  // Query values of token-like parameters are redacted, headers never logged.
  std::FILE* access_log = stdout;

  // Requests with a longer decoded path get 414 before routing (cpp-httplib
  // matches routes with std::regex, whose recursion grows with the input).
  std::size_t max_path_bytes = 1024;
  // Largest request body accepted (registration forms are small): a larger
  // declared Content-Length is answered 413 before the body is read.
  std::size_t max_body_bytes = 64 * 1024;
  // Most headers and header bytes (names and values) a request may carry:
  // 431 above. Browsers send about 15 headers and 2 KB.
  std::size_t max_header_count = 100;
  std::size_t max_header_bytes = 16 * 1024;
};

// Whether `admin_email` is a real address: not empty, not the default's
// reserved .invalid domain (then the DCAT-AP_IT catalogue names no contact
// point, and bp-server says at start that a public site lacks it).
inline bool has_admin_email(const Options& o) {
  const std::string& e = o.admin_email;
  return !e.empty() && !(e.size() >= 8 && e.compare(e.size() - 8, 8, ".invalid") == 0);
}

}  // namespace bp::server
