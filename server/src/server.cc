// Server-wide hooks shared by every route of every module: mounting of the
// route tables, security and privacy headers, error bodies, the exception
// policy, compression of JSON, metrics and the access log. Everything a
// route needs to say about itself (label, privacy) comes from its table.
#include "bp/server/server.h"

#include <zlib.h>

#include <atomic>
#include <charconv>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <random>
#include <thread>

#include "bp/site/respond.h"
#include "html_pages.h"
#include "listen_backlog.h"
#include "server_impl.h"

namespace bp::server {
namespace {

using httplib::Request;
using httplib::Response;
using Clock = std::chrono::steady_clock;
using Mounted = Server::Impl::Mounted;

// Per-thread state of the request being handled: cpp-httplib handles a
// request from pre-routing to logging on one thread of the pool.
thread_local const Mounted* t_route = nullptr;
thread_local bool t_unmatched = false;
// The message of a 413 refusal from the route that refused it ("" = generic).
thread_local const std::string* t_too_large = nullptr;
thread_local Clock::time_point t_start{};
thread_local char t_request_id[17] = {};
// Set when a request is refused before its body is read: the connection must
// close after the answer (cpp-httplib keeps it alive otherwise, and would
// read the unread body as the next request).
thread_local bool t_close = false;

constexpr const char* kCsp =
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; "
    "form-action 'self'; frame-ancestors 'none'";

// JSON bodies smaller than this are sent as they are (gzip's header and
// trailer would outweigh the saving).
constexpr std::size_t kCompressAbove = 128;

void set_default(Response& res, const char* name, const char* value) {
  if (!res.has_header(name)) res.set_header(name, value);
}

// Sets `name` once, replacing what a handler set (httplib's set_header
// adds a second line).
void set_only(Response& res, const char* name, const char* value) {
  res.headers.erase(name);
  res.set_header(name, value);
}

// A short id per request, in the access log, the X-Request-Id header and
// the log line of an exception, so a person's report can be matched.
void new_request_id() {
  static std::atomic<std::uint64_t> counter{(std::uint64_t{std::random_device{}()} << 32) ^ std::random_device{}()};
  // splitmix64 of a counter: unique per process, not guessable in sequence.
  std::uint64_t z = counter.fetch_add(0x9E3779B97F4A7C15ULL) + 0x9E3779B97F4A7C15ULL;
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  z ^= z >> 31;
  std::snprintf(t_request_id, sizeof t_request_id, "%016llx", static_cast<unsigned long long>(z));
}

// The Italian title and explanation of an error status, for pages and for
// the message of JSON errors.
std::pair<std::string, std::string> error_words(int status) {
  switch (status) {
    case 400: return {"Richiesta non valida", "La richiesta contiene parametri non validi."};
    case 404: return {"Pagina non trovata", "La pagina che cerchi non esiste o è stata spostata."};
    case 405: return {"Metodo non consentito", "Questo indirizzo non accetta questo tipo di richiesta."};
    case 411: return {"Lunghezza richiesta", "Invia i dati con la loro lunghezza (Content-Length), non a blocchi."};
    case 413: return {"Richiesta troppo grande", "I dati inviati superano la dimensione consentita."};
    case 414: return {"Indirizzo troppo lungo", "L'indirizzo richiesto è troppo lungo."};
    case 415:
      return {"Dati compressi non accettati", "Invia i dati senza comprimerli (senza Content-Encoding)."};
    case 431: return {"Intestazioni troppo grandi", "La richiesta ha troppe intestazioni o intestazioni troppo lunghe."};
    case 503: return {"Servizio temporaneamente non disponibile", "Il servizio è momentaneamente non disponibile: riprova tra qualche istante."};
    default:
      return status >= 500 ? std::pair<std::string, std::string>{"Errore del server", "Si è verificato un errore. Riprova più tardi."}
                           : std::pair<std::string, std::string>{"Richiesta non valida", "Non è stato possibile soddisfare la richiesta."};
  }
}

std::string error_code(int status) {
  switch (status) {
    case 404: return "not_found";
    case 405: return "method_not_allowed";
    case 411: return "length_required";
    case 413: return "too_large";
    case 414: return "uri_too_long";
    case 415:
      return "unsupported_encoding";
    case 431: return "headers_too_large";
    default: return "http_" + std::to_string(status);
  }
}

// The metrics method label: a fixed set, whatever a client sends.
const char* method_label(const std::string& method) {
  if (method == "GET") return "GET";
  if (method == "HEAD") return "HEAD";
  if (method == "POST") return "POST";
  return "OTHER";
}

std::string route_label(const Response& res) {
  if (t_unmatched) return "unmatched";
  if (t_route) return t_route->route.label;
  if (res.status == 404 || res.status == 405) return "unmatched";
  if (res.status == 400 || res.status == 411 || res.status == 413 || res.status == 414 || res.status == 415 ||
      res.status == 431)
    return "rejected";
  return "other";
}

bool secret_name(std::string name) {
  for (auto& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  for (const char* word : {"token", "key", "secret", "pass", "auth", "code", "sig", "email"})
    if (name.find(word) != std::string::npos) return true;
  return false;
}

// Parameters whose values are what a person typed (a search, a proposal's
// title): the log keeps that one was sent, not what, so the log holds no
// query next to an address and a time (the privacy page's promise).
bool typed_text_name(const std::string& name) { return name == "q" || name == "titolo"; }

// Printable ASCII kept, everything else as \xNN, at most 200 bytes.
std::string printable(std::string_view s) {
  std::string out;
  for (unsigned char c : s.substr(0, 200)) {
    if (c > 0x20 && c < 0x7f && c != '\\' && c != '"') {
      out += static_cast<char>(c);
    } else {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\x%02x", c);
      out += buf;
    }
  }
  if (s.size() > 200) out += "...";
  return out;
}

// The logged target. A private route is logged as its label alone; a path
// that starts like a private route but matched nothing keeps only that
// start; query values of token-like names are redacted. Headers
// (Authorization) are never logged.
std::string logged_target(const Server::Impl& s, const Request& req) {
  if (t_route && t_route->route.access == site::Access::kPrivate) return t_route->route.label;
  std::string target = printable(req.path);
  if (!t_route || t_route->fallback) {
    for (const auto& m : s.routes)
      if (m.route.access == site::Access::kPrivate && m.literal_prefix.size() > 1 &&
          req.path.starts_with(m.literal_prefix) && req.path.size() > m.literal_prefix.size()) {
        target = printable(m.literal_prefix) + "...";
        break;
      }
  }
  char sep = '?';
  for (const auto& [name, value] : req.params) {
    target += sep + printable(name) + "=" +
              (secret_name(name) ? "[redacted]" : typed_text_name(name) ? "[omitted]" : printable(value));
    sep = '&';
  }
  return target;
}

void access_log(const Server::Impl& s, const Request& req, const Response& res, double seconds) {
  char when[32];
  std::time_t now = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&now, &tm);
  std::strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", &tm);
  // One fprintf per line: stdio locks the stream, so lines never interleave.
  std::fprintf(s.options.access_log, "%s %s %s %s %d %zu %.1fms %s\n", when,
               printable(site::client_of(req, s.options.trusted_proxies).address).c_str(), printable(req.method).c_str(),
               logged_target(s, req).c_str(), res.status, res.body.size(), seconds * 1000, t_request_id);
  std::fflush(s.options.access_log);
}

// The pattern's text up to its first regex metacharacter.
std::string literal_prefix(const std::string& pattern) {
  const auto end = pattern.find_first_of("\\^$.|?*+()[]{}");
  return pattern.substr(0, end);
}

bool accepts_gzip(const Request& req) {
  return req.get_header_value("Accept-Encoding").find("gzip") != std::string::npos;
}

// gzip of `in` with zlib, or nullopt when zlib fails (the body is then sent
// as it is). cpp-httplib compresses only the bare "application/json" type,
// and our JSON carries its charset.
std::optional<std::string> gzip(const std::string& in) {
  z_stream z{};
  if (deflateInit2(&z, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK)
    return std::nullopt;
  std::string out(deflateBound(&z, static_cast<uLong>(in.size())), '\0');
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
  z.avail_in = static_cast<uInt>(in.size());
  z.next_out = reinterpret_cast<Bytef*>(out.data());
  z.avail_out = static_cast<uInt>(out.size());
  const int rc = deflate(&z, Z_FINISH);
  out.resize(z.total_out);
  deflateEnd(&z);
  if (rc != Z_STREAM_END) return std::nullopt;
  return out;
}

void send_error_body(const Server::Impl& s, const Request& req, Response& res) {
  if (site::is_api_path(req.path)) {
    std::string message = error_words(res.status).second;
    if (res.status == 413 && t_too_large) message = *t_too_large;
    if (res.status == 404) message = "Risorsa API inesistente: " + printable(req.path);
    site::send_error(res, res.status, error_code(res.status), message);
  } else {
    site::send_html(res, res.status,
                    render_error_page(s.pages, res.status, res.status == 413 && t_too_large ? *t_too_large : ""),
                    "no-store");
  }
}

// The status refusing a request before its body is read, 0 to serve it:
// 400 for a target that is not a path; 414 for an overlong path (routes are matched with std::regex, whose
// recursion grows with the input); 431 for too many or too large headers;
// 400 for a Content-Length that is repeated, not a number, or sent with
// Transfer-Encoding (the ambiguities request smuggling lives on); 411 for a
// chunked body (no route of ours needs one, and cpp-httplib reads a chunked
// body whole before any size limit applies); 415 for a compressed body
// (cpp-httplib would inflate it whole before the size limit: a 1 MB gzip
// bomb is a gigabyte in memory; no browser compresses what it sends); 413
// for a declared body larger than the limit.
// The methods the routes of `path` take ("GET, HEAD", "POST" or both), ""
// for a path no route matches.
std::string allowed_methods(const Server::Impl& s, const std::string& path) {
  std::string allow;
  for (const auto& m : s.routes) {
    if (!std::regex_match(path, m.regex)) continue;
    const std::string name = m.route.method == site::Method::kGet ? "GET, HEAD" : "POST";
    if (allow.find(name) == std::string::npos) allow += (allow.empty() ? "" : ", ") + name;
  }
  return allow;
}

int refusal(const Server::Impl& s, const Request& req) {
  const Options& o = s.options;
  if (req.path.size() > o.max_path_bytes) return 414;
  // «GET http://elsewhere/ HTTP/1.1» (the absolute form, for proxies): no
  // route of an origin server takes it, and the page redirects would have
  // sent the client to that other host.
  if (req.path.empty() || req.path.front() != '/') return 400;
  // A method no route takes (PUT, DELETE, PATCH, OPTIONS…) is answered
  // before its body is awaited: a PUT without a body would otherwise hold
  // the connection until the read timeout and end as a 400.
  if (req.method != "GET" && req.method != "HEAD" && req.method != "POST") return 405;
  std::size_t header_bytes = 0;
  for (const auto& [name, value] : req.headers) header_bytes += name.size() + value.size() + 4;
  if (req.headers.size() > o.max_header_count || header_bytes > o.max_header_bytes) return 431;
  const auto lengths = req.headers.count("Content-Length");
  const bool chunked = req.has_header("Transfer-Encoding");
  if (lengths > 1 || (lengths == 1 && chunked)) return 400;
  if (chunked) return 411;
  if (req.has_header("Content-Encoding")) return 415;
  if (lengths == 1) {
    const std::string& value = req.get_header_value("Content-Length");
    std::uint64_t n = 0;
    const auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), n);
    if (value.empty() || ec != std::errc() || end != value.data() + value.size()) return 400;
    std::size_t limit = o.max_body_bytes;
    t_too_large = nullptr;
    if (n > limit && req.method == "POST") {
      // Routes that take uploads say so in their table.
      for (const auto& m : s.routes) {
        if (m.route.max_body_bytes == 0 || m.route.method != site::Method::kPost) continue;
        if (!std::regex_match(req.path, m.regex)) continue;
        limit = m.route.max_body_bytes;
        if (!m.route.too_large.empty()) t_too_large = &m.route.too_large;
        break;
      }
    }
    if (n > limit) return 413;
  }
  return 0;
}

// Sends `res` and then closes the connection: its body goes through a
// content provider that reports failure once everything is written, the one
// way cpp-httplib 0.11 offers a handler to end a keep-alive connection.
void close_after(Response& res) {
  t_close = false;
  res.headers.erase("Keep-Alive");
  res.headers.erase("Connection");
  res.headers.erase("Content-Length");
  res.set_header("Connection", "close");
  auto body = std::make_shared<std::string>(std::move(res.body));
  res.body.clear();
  const std::string type = res.get_header_value("Content-Type");
  res.headers.erase("Content-Type");
  res.set_header("Content-Length", std::to_string(body->size()));
  res.set_content_provider(body->size(), type, [body](std::size_t offset, std::size_t length, httplib::DataSink& sink) {
    sink.write(body->data() + offset, length);
    return false;
  });
}

void install_hooks(Server::Impl& s) {
  auto& http = s.http;
  if (!s.options.buffer_requests) {
    const auto threads = static_cast<std::size_t>(std::max(1, s.options.threads));
    http.new_task_queue = [threads] { return new httplib::ThreadPool(threads); };
  }
  http.set_payload_max_length(s.options.max_body_bytes);
  // cpp-httplib leaves Nagle's algorithm on: on a keep-alive connection the
  // last segment of each answer then waits for the client's delayed ACK,
  // about 40 ms per answer (measured in bench/, docs/performance.md).
  http.set_tcp_nodelay(true);

  // Runs after the request line and headers are read and before any body
  // is: what cannot be served is refused here, without reading the body,
  // and the connection is closed after the answer (its unread bytes must
  // never be taken for a next request).
  http.set_pre_routing_handler([&s](const Request& req, Response& res) {
    t_start = Clock::now();
    t_route = nullptr;
    t_unmatched = false;
    new_request_id();
    // Several ranges in one request («bytes=0-,0-,0-…») would send the file
    // once per range: a 3 KB header for a 48 MB answer. One range is
    // served; several get the whole file once (a server may ignore Range,
    // RFC 9110 §14.2). The request is cpp-httplib's own, not const.
    if (req.ranges.size() > 1) const_cast<Request&>(req).ranges.clear();
    const int refused = refusal(s, req);
    if (refused == 0) return httplib::Server::HandlerResponse::Unhandled;
    res.status = refused;  // the body is written by the error handler
    t_close = true;
    return httplib::Server::HandlerResponse::Handled;
  });

  http.set_error_handler(httplib::Server::HandlerWithResponse([&s](const Request& req, Response& res) {
    // A request cpp-httplib refused before routing (an unknown method, a
    // malformed request line, a URI over its limit): the rest of what the
    // client sent cannot be framed, so the connection closes after the
    // answer instead of waiting for a next request that would not parse
    // either (and, with cpp-httplib's own pool, holding a worker for the
    // keep-alive period).
    if (t_start == Clock::time_point{}) t_close = true;
    if (!res.body.empty() || res.status == 304) return httplib::Server::HandlerResponse::Unhandled;
    if ((res.status == 404 && (!t_route || t_unmatched)) || (res.status == 405 && !res.has_header("Allow"))) {
      // A known path with another method: 405 with the methods it takes;
      // an unknown one: 404, whatever the method.
      const std::string allow = allowed_methods(s, req.path);
      res.status = allow.empty() ? 404 : 405;
      if (!allow.empty()) res.set_header("Allow", allow);
    }
    send_error_body(s, req, res);
    return httplib::Server::HandlerResponse::Handled;
  }));

  http.set_exception_handler([&s](const Request& req, Response& res, std::exception_ptr ep) {
    std::string what = "unknown exception";
    try {
      std::rethrow_exception(ep);
    } catch (const std::exception& e) {
      what = e.what();
    } catch (...) {
    }
    std::fprintf(stderr, "bp-server: request %s: exception on %s %s: %s\n", t_request_id,
                 printable(req.method).c_str(), printable(req.path).c_str(), printable(what).c_str());
    res = Response();
    res.status = 500;
    if (site::is_api_path(req.path))
      site::send_error(res, 500, "internal",
                       std::string("Errore interno del server (codice ") + t_request_id + ").");
    else
      site::send_html(res, 500, render_error_page(s.pages, 500), "no-store");
  });

  http.set_post_routing_handler([](const Request& req, Response& res) {
    if (t_close) close_after(res);
    set_default(res, "X-Content-Type-Options", "nosniff");
    set_default(res, "X-Frame-Options", "DENY");
    set_default(res, "Content-Security-Policy", kCsp);
    res.set_header("X-Request-Id", t_request_id);
    if (t_route && t_route->route.access == site::Access::kPrivate) {
      set_only(res, "Cache-Control", "no-store");
      set_only(res, "Referrer-Policy", "no-referrer");
      set_only(res, "X-Robots-Tag", "noindex, nofollow");
    }
    set_default(res, "Referrer-Policy", "strict-origin-when-cross-origin");
    const std::string type = res.get_header_value("Content-Type");
    if (type.starts_with("text/") || type.starts_with("application/json") || type == "image/svg+xml")
      set_default(res, "Vary", "Accept-Encoding");
    if (type == site::kJsonType && res.body.size() > kCompressAbove && accepts_gzip(req) &&
        !res.has_header("Content-Encoding")) {
      if (auto packed = gzip(res.body)) {
        res.body = std::move(*packed);
        res.set_header("Content-Encoding", "gzip");
        // set_content() already wrote the plain length.
        res.headers.erase("Content-Length");
        res.set_header("Content-Length", std::to_string(res.body.size()));
      }
    }
  });

  http.set_logger([&s](const Request& req, const Response& res) {
    const double seconds =
        t_start == Clock::time_point{} ? 0 : std::chrono::duration<double>(Clock::now() - t_start).count();
    s.metrics.observe(route_label(res), method_label(req.method), res.status, seconds);
    if (s.options.access_log) access_log(s, req, res, seconds);
    t_start = {};
    t_route = nullptr;
    t_unmatched = false;
  });
}

}  // namespace

std::unique_ptr<httplib::Server> make_http_server(const Options& o) {
  if (!o.buffer_requests) return std::make_unique<httplib::Server>();
  FrontSettings f;
  f.threads = o.threads;
  f.request_timeout = std::chrono::milliseconds(o.request_timeout_ms);
  f.keep_alive_timeout = std::chrono::milliseconds(o.keep_alive_timeout_ms);
  f.write_timeout = std::chrono::milliseconds(o.write_timeout_ms);
  f.keep_whole_bytes = o.keep_whole_answer_bytes;
  f.max_pending_bytes = 64 * o.keep_whole_answer_bytes;
  f.max_connections = o.max_connections;
  f.max_body_bytes = o.max_body_bytes;
  f.max_head_bytes = std::max<std::size_t>(f.max_head_bytes, 2 * (o.max_header_bytes + o.max_path_bytes));
  auto server = std::make_unique<FrontedServer>(f);
  // The Keep-Alive header cpp-httplib writes tells the front's limits, not
  // its own defaults (timeout=5, max=5), which the front does not apply.
  server->set_keep_alive_timeout(std::max<time_t>(1, o.keep_alive_timeout_ms / 1000));
  server->set_keep_alive_max_count(f.keep_alive_max_requests);
  return server;
}

namespace {

void mount_table(Server::Impl& s, const site::RouteTable& routes) {
  for (const auto& route : routes) {
    s.routes.push_back({route, std::regex(route.pattern), literal_prefix(route.pattern)});
    // cpp-httplib's own limit is the largest any route takes; refusal()
    // holds every other route to the server's.
    std::size_t largest = s.options.max_body_bytes;
    for (const auto& m : s.routes) largest = std::max(largest, m.route.max_body_bytes);
    s.http.set_payload_max_length(largest);
    // The front reads those bodies too, so that no upload holds a worker.
    if (auto* fronted = dynamic_cast<FrontedServer*>(&s.http)) fronted->set_max_upload_bytes(largest);
    const Mounted* mounted = &s.routes.back();
    auto handler = [&s, mounted](const Request& req, Response& res) {
      t_route = mounted;
      SearcherPool::Request request(s.searchers);  // the thread's Searcher is its own until the answer is built
      mounted->route.handler(req, res);
    };
    if (route.method == site::Method::kGet) s.http.Get(route.pattern, handler);
    else s.http.Post(route.pattern, handler);
  }
}

}  // namespace

void mark_unmatched() { t_unmatched = true; }

Server::Server(Options options, const Taxonomy& taxonomy, const site::Pages& pages,
               SearcherFactory open_searcher)
    : impl_(std::make_unique<Impl>(std::move(options), taxonomy, pages, std::move(open_searcher))) {
  install_hooks(*impl_);
  mount_table(*impl_, search_routes(*impl_));
  mount_table(*impl_, open_library_routes(*impl_));
}

Server::~Server() { stop(); }

void Server::mount(const site::RouteTable& routes) { mount_table(*impl_, routes); }

void Server::add_metrics(std::function<std::string()> source) { impl_->metric_sources.push_back(std::move(source)); }

void Server::count_searches(QueryTally* tally) { impl_->tally = tally; }

const std::string& Server::base_url() const { return impl_->base_url; }

int Server::bind() {
  if (!impl_->fallback_mounted) {
    // Not in s.routes: the fallback matches every GET, which must not make
    // every unknown POST a 405.
    for (auto& route : fallback_routes(*impl_)) {
      impl_->routes.push_back({route, std::regex("(?!)"), "", true});
      const Mounted* mounted = &impl_->routes.back();
      impl_->http.Get(route.pattern, [this, mounted](const Request& req, Response& res) {
        t_route = mounted;
        SearcherPool::Request request(impl_->searchers);
        mounted->route.handler(req, res);
      });
    }
    impl_->fallback_mounted = true;
  }
  const auto& o = impl_->options;
  // SO_REUSEADDR only: a restart binds at once despite connections in
  // TIME_WAIT. httplib's default adds SO_REUSEPORT, which let a second
  // bp-server bind the same port and silently take half the requests
  // (and, with another data folder, half the registrations).
  impl_->http.set_socket_options([](socket_t sock) {
    int yes = 1;
    ::setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof(yes));
  });
  int port = o.port;
  if (port == 0) {
    port = impl_->http.bind_to_any_port(o.host);
  } else if (!impl_->http.bind_to_port(o.host, port)) {
    port = -1;
  }
  if (port > 0) {
    // httplib listens (backlog 5) inside bind_to_port: widen it before serving.
    raise_listen_backlog(port);
    impl_->base_url = o.public_base_url;
    if (impl_->base_url.empty()) {
      const bool loopback = o.host == "127.0.0.1" || o.host == "0.0.0.0" || o.host == "::1" ||
                            o.host == "localhost";
      impl_->base_url = "http://" + (loopback ? std::string("localhost") : o.host) + ":" +
                        std::to_string(port);
    }
    while (!impl_->base_url.empty() && impl_->base_url.back() == '/') impl_->base_url.pop_back();
  }
  return port;
}

bool Server::listen() { return impl_->http.listen_after_bind(); }

void Server::stop() {
  if (impl_->http.is_running()) impl_->http.stop();
}

void Server::wait_until_ready() const {
  // cpp-httplib sets is_running() before it makes its task queue, here the
  // connection front: wait for both, so that a caller counting descriptors
  // (tests/server/stalled_clients_test.cc) sees the front's already open.
  const auto* fronted = dynamic_cast<const FrontedServer*>(&impl_->http);
  while (!impl_->http.is_running() || (fronted && !fronted->has_front()))
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
}

void Server::reload() { impl_->searchers.invalidate(); }

}  // namespace bp::server
