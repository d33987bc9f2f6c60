// Settings of bp-server, built in main from flags and environment and passed
// explicitly to the server (no globals).
#pragma once

#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

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

  // Absolute base of the public site, for canonical links and Open Graph
  // tags ("https://buonepratiche.example.org"). Default http://localhost:<port>.
  std::string public_base_url;

  // Who may read /metrics: client addresses (exact, as the socket reports
  // them), loopback by default. Behind a proxy, list the monitoring host.
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

}  // namespace bp::server
