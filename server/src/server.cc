// Server-wide hooks shared by every route, including the ones other modules
// mount: security headers, error bodies, the exception handler, metrics and
// the access log.
#include "bp/server/server.h"

#include <chrono>
#include <cstdio>
#include <ctime>
#include <mutex>
#include <thread>

#include "html_pages.h"
#include "json_view.h"
#include "listen_backlog.h"
#include "server_impl.h"

namespace bp::server {
namespace {

using httplib::Request;
using httplib::Response;
using Clock = std::chrono::steady_clock;

// Per-thread state of the request being handled: a request is handled from
// routing to logging on one thread of the pool.
thread_local const char* t_route = nullptr;
thread_local Clock::time_point t_start{};

constexpr const char* kCsp =
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; "
    "form-action 'self'; frame-ancestors 'none'";

bool is_api(const std::string& path) { return path.rfind("/api/", 0) == 0 || path == "/api"; }

void set_default(Response& res, const char* name, const char* value) {
  if (!res.has_header(name)) res.set_header(name, value);
}

bool compressible(const std::string& type) {
  return type.rfind("text/", 0) == 0 || type == "application/json" ||
         type == "image/svg+xml" || type == "application/javascript" ||
         type == "application/xml";
}

// Metrics label of a request no route of ours labelled: the registration
// module's routes by prefix, 404s "unmatched", the rest "other" (a bounded set).
std::string route_label(const Request& req, const Response& res) {
  if (t_route) return t_route;
  for (const char* prefix : {"/api/programme", "/api/editions", "/api/registrations", "/api/admin",
                             "/iscrizione", "/attestato"}) {
    std::string_view p(prefix);
    if (req.path.rfind(p, 0) == 0) return req.path.size() == p.size() ? std::string(p) : std::string(p) + "/*";
  }
  if (res.status == 414) return "rejected";
  return res.status == 404 ? "unmatched" : "other";
}

bool secret_name(std::string name) {
  for (auto& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  for (const char* word : {"token", "key", "secret", "pass", "auth", "code", "sig", "email"})
    if (name.find(word) != std::string::npos) return true;
  return false;
}

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

// The logged target: registration and admin paths may carry a code or a
// token, so only their prefix is kept; query values of token-like names are
// redacted. Headers (Authorization) are never logged.
std::string logged_target(const Request& req) {
  std::string target = printable(req.path);
  for (const char* prefix : {"/api/registrations/", "/api/admin/", "/iscrizione/", "/attestato/"})
    if (req.path.rfind(prefix, 0) == 0) target = std::string(prefix) + "...";
  char sep = '?';
  for (const auto& [name, value] : req.params) {
    target += sep + printable(name) + "=" + (secret_name(name) ? "[redacted]" : printable(value));
    sep = '&';
  }
  return target;
}

void access_log(std::FILE* out, const Request& req, const Response& res, double seconds) {
  char when[32];
  std::time_t now = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&now, &tm);
  std::strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", &tm);
  // One fprintf per line: stdio locks the stream, so lines never interleave.
  std::fprintf(out, "%s %s %s %s %d %zu %.1fms\n", when, printable(req.remote_addr).c_str(),
               printable(req.method).c_str(), logged_target(req).c_str(), res.status,
               res.body.size(), seconds * 1000);
  std::fflush(out);
}

void install_hooks(Server::Impl& s) {
  auto& http = s.http;
  const auto threads = static_cast<std::size_t>(std::max(1, s.options.threads));
  http.new_task_queue = [threads] { return new httplib::ThreadPool(threads); };
  http.set_payload_max_length(s.options.max_body_bytes);
  // cpp-httplib leaves Nagle's algorithm on: on a keep-alive connection the
  // last segment of each answer then waits for the client's delayed ACK,
  // about 40 ms per answer (measured in bench/, docs/performance.md).
  http.set_tcp_nodelay(true);

  http.set_pre_routing_handler([&s](const Request& req, Response& res) {
    t_start = Clock::now();
    t_route = nullptr;
    if (req.path.size() <= s.options.max_path_bytes) return httplib::Server::HandlerResponse::Unhandled;
    res.status = 414;  // the body is written by the error handler
    return httplib::Server::HandlerResponse::Handled;
  });

  http.set_error_handler(httplib::Server::HandlerWithResponse([](const Request& req, Response& res) {
    if (!res.body.empty() || res.status == 304) return httplib::Server::HandlerResponse::Unhandled;
    if (is_api(req.path)) {
      const bool missing = res.status == 404;
      res.set_content(dump({{"error", missing ? "not_found" : "http_" + std::to_string(res.status)},
                            {"message", missing ? "Risorsa API inesistente."
                                                : "Richiesta non valida."}}),
                      "application/json");
    } else {
      res.set_content(render_error_page(res.status), "text/html; charset=utf-8");
    }
    return httplib::Server::HandlerResponse::Handled;
  }));

  http.set_exception_handler([](const Request& req, Response& res, std::exception_ptr ep) {
    std::string what = "unknown exception";
    try {
      std::rethrow_exception(ep);
    } catch (const std::exception& e) {
      what = e.what();
    } catch (...) {
    }
    std::fprintf(stderr, "bp-server: exception on %s %s: %s\n", printable(req.method).c_str(),
                 printable(req.path).c_str(), printable(what).c_str());
    res.status = 500;
    res.set_content(dump({{"error", "internal"}, {"message", "Errore interno del server."}}),
                    "application/json");
  });

  http.set_post_routing_handler([](const Request&, Response& res) {
    set_default(res, "X-Content-Type-Options", "nosniff");
    set_default(res, "X-Frame-Options", "DENY");
    set_default(res, "Referrer-Policy", "strict-origin-when-cross-origin");
    set_default(res, "Content-Security-Policy", kCsp);
    if (compressible(res.get_header_value("Content-Type"))) set_default(res, "Vary", "Accept-Encoding");
  });

  http.set_logger([&s](const Request& req, const Response& res) {
    const double seconds =
        t_start == Clock::time_point{} ? 0 : std::chrono::duration<double>(Clock::now() - t_start).count();
    s.metrics.observe(route_label(req, res), req.method, res.status, seconds);
    if (s.options.access_log) access_log(s.options.access_log, req, res, seconds);
    t_start = {};
    t_route = nullptr;
  });
}

}  // namespace

void set_route_label(const char* pattern) { t_route = pattern; }

Server::Server(Options options, const Taxonomy& taxonomy, SearcherFactory open_searcher)
    : impl_(std::make_unique<Impl>(std::move(options), taxonomy, std::move(open_searcher))) {
  install_hooks(*impl_);
  mount_routes(*impl_);
}

Server::~Server() { stop(); }

httplib::Server& Server::http() { return impl_->http; }

int Server::bind() {
  if (!impl_->fallback_mounted) {
    mount_fallback(*impl_);
    impl_->fallback_mounted = true;
  }
  const auto& o = impl_->options;
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
  while (!impl_->http.is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
}

void Server::reload() { impl_->searchers.invalidate(); }

}  // namespace bp::server
