// The route table of bp-server and its handlers: each parses the request,
// calls the engine and maps the answer to JSON or HTML.
#include <algorithm>
#include <chrono>
#include <fstream>
#include <memory>
#include <string_view>

#include "bp/text.h"
#include "html_pages.h"
#include "json_view.h"
#include "search_params.h"
#include "server_impl.h"
#include "static_files.h"

namespace bp::server {
namespace {

using httplib::Request;
using httplib::Response;
using Handler = void (*)(Server::Impl&, const Request&, Response&);

constexpr const char* kJson = "application/json";  // bare: cpp-httplib then gzips it
constexpr const char* kHtml = "text/html; charset=utf-8";
// Static files larger than this are streamed rather than read whole.
constexpr std::uint64_t kStreamAbove = 1024 * 1024;

void send_json(Response& res, int status, const nlohmann::json& body) {
  res.status = status;
  res.set_header("Cache-Control", "no-store");
  res.set_content(dump(body), kJson);
}

void send_error(Response& res, const ApiError& error) {
  send_json(res, error.status, error_json(error));
}

// This thread's Searcher, or nullptr after answering 503 (no usable index).
Searcher* searcher_or_503(Server::Impl& s, Response& res) {
  Searcher* searcher = s.searchers.acquire();
  if (!searcher)
    send_error(res, {503, "index_unavailable",
                     "L'indice della biblioteca non è disponibile: riprova tra qualche istante."});
  return searcher;
}

// Engine failures other than bad input or unknown slugs (an index swapped
// mid-query, I/O) are retried once on a reopened Searcher, then answered 503.
template <typename Call>
auto call_engine(Searcher* searcher, Call call) {
  auto result = call(*searcher);
  if (result.ok() || result.status().code() == Code::kInvalidArgument ||
      result.status().code() == Code::kNotFound)
    return result;
  searcher->refresh();
  return call(*searcher);
}

ApiError engine_error(const Status& status) {
  switch (status.code()) {
    case Code::kInvalidArgument:
      return {400, "invalid_request", "Richiesta non valida: " + status.message()};
    case Code::kNotFound:
      return {404, "not_found", "Pratica non trovata."};
    default:
      return {503, "index_unavailable",
              "L'indice della biblioteca non è disponibile: riprova tra qualche istante."};
  }
}

void get_search(Server::Impl& s, const Request& req, Response& res) {
  auto parsed = parse_search_params(req.params);
  if (auto* error = std::get_if<ApiError>(&parsed)) return send_error(res, *error);
  Searcher* searcher = searcher_or_503(s, res);
  if (!searcher) return;
  const auto start = std::chrono::steady_clock::now();
  auto response = call_engine(searcher, [&](Searcher& e) {
    return e.search(std::get<SearchRequest>(parsed));
  });
  if (!response.ok()) return send_error(res, engine_error(response.status()));
  const std::chrono::duration<double, std::milli> took = std::chrono::steady_clock::now() - start;
  send_json(res, 200, search_json(*response, took.count()));
}

void get_suggest(Server::Impl& s, const Request& req, Response& res) {
  auto parsed = parse_suggest_params(req.params);
  if (auto* error = std::get_if<ApiError>(&parsed)) return send_error(res, *error);
  const std::string& q = std::get<std::string>(parsed);
  Searcher* searcher = searcher_or_503(s, res);
  if (!searcher) return;
  auto suggestions = call_engine(searcher, [&](Searcher& e) { return e.suggest(q, 8); });
  if (!suggestions.ok()) return send_error(res, engine_error(suggestions.status()));
  send_json(res, 200, suggest_json(q, *suggestions));
}

void get_practice(Server::Impl& s, const Request& req, Response& res) {
  const std::string slug = req.matches[1];
  Searcher* searcher = searcher_or_503(s, res);
  if (!searcher) return;
  auto page = call_engine(searcher, [&](Searcher& e) { return e.practice(slug); });
  if (!page.ok()) return send_error(res, engine_error(page.status()));
  send_json(res, 200, practice_json(*page));
}

void get_taxonomy(Server::Impl& s, const Request&, Response& res) {
  FacetCounts counts;  // labels stay useful without an index: counts are then 0
  if (Searcher* searcher = s.searchers.acquire()) {
    auto found = call_engine(searcher, [](Searcher& e) { return e.facet_counts(); });
    if (found.ok()) counts = std::move(*found);
  }
  send_json(res, 200, taxonomy_json(s.taxonomy, counts));
}

void get_practice_page(Server::Impl& s, const Request& req, Response& res) {
  const std::string slug = req.matches[1];
  Searcher* searcher = s.searchers.acquire();
  if (!searcher) {
    res.status = 503;
    return res.set_content(render_error_page(503), kHtml);
  }
  auto page = call_engine(searcher, [&](Searcher& e) { return e.practice(slug); });
  if (!page.ok()) {
    res.status = page.status().code() == Code::kNotFound ? 404 : 503;
    return res.set_content(render_error_page(res.status), kHtml);
  }
  res.set_header("Cache-Control", "no-cache");
  res.set_content(render_practice_page(*page, s.taxonomy, s.base_url), kHtml);
}

void get_sdg_stylesheet(Server::Impl& s, const Request&, Response& res) {
  res.set_header("Cache-Control", "public, max-age=3600");
  res.set_content(render_sdg_stylesheet(s.taxonomy), "text/css; charset=utf-8");
}

void get_healthz(Server::Impl& s, const Request&, Response& res) {
  Searcher* searcher = s.searchers.acquire();
  if (!searcher)
    return send_json(res, 503, {{"status", "unavailable"}, {"documents", 0}});
  send_json(res, 200, {{"status", "ok"}, {"documents", searcher->document_count()}});
}

void get_metrics(Server::Impl& s, const Request&, Response& res) {
  Searcher* searcher = s.searchers.acquire();
  const std::int64_t documents =
      searcher ? static_cast<std::int64_t>(searcher->document_count()) : -1;
  res.set_header("Cache-Control", "no-store");
  res.set_content(s.metrics.render(documents), "text/plain; version=0.0.4; charset=utf-8");
}

// Sends `relative` from `root` with ETag / Last-Modified validation, or
// returns false when there is no such servable file.
bool send_file(const Request& req, Response& res, const std::filesystem::path& root,
               std::string_view relative, const char* cache_control) {
  auto real = resolve_under(root, relative);
  if (!real) return false;
  auto file = stat_file(*real);
  if (!file) return false;
  res.set_header("ETag", file->etag);
  res.set_header("Last-Modified", file->last_modified);
  res.set_header("Cache-Control", cache_control);
  if (not_modified(*file, req.get_header_value("If-None-Match"),
                   req.get_header_value("If-Modified-Since"))) {
    res.status = 304;
    return true;
  }
  if (file->size > kStreamAbove) {
    // Large media are streamed in chunks (and support Range) instead of
    // being held in memory; they are images and PDFs, not worth compressing.
    auto in = std::make_shared<std::ifstream>(file->path, std::ios::binary);
    if (!*in) return false;
    res.set_content_provider(
        static_cast<std::size_t>(file->size), file->content_type,
        [in](std::size_t offset, std::size_t length, httplib::DataSink& sink) {
          char buf[64 * 1024];
          in->clear();
          in->seekg(static_cast<std::streamoff>(offset));
          while (length > 0 && *in) {
            in->read(buf, static_cast<std::streamsize>(std::min(length, sizeof buf)));
            const auto got = static_cast<std::size_t>(in->gcount());
            if (got == 0 || !sink.write(buf, got)) return false;
            length -= got;
          }
          return length == 0;
        });
    return true;
  }
  auto body = read_file(file->path);
  if (!body) return false;
  res.set_content(std::move(*body), file->content_type);
  return true;
}

void not_found(const Request& req, Response& res) {
  res.status = 404;
  if (req.path.rfind("/api/", 0) == 0 || req.path == "/api")
    send_error(res, {404, "not_found", "Risorsa API inesistente: " + req.path});
  else
    res.set_content(render_error_page(404), kHtml);
}

// Practice media: /media/<path> from library-content/practices/, never the
// case files themselves.
void get_media(Server::Impl& s, const Request& req, Response& res) {
  std::string_view relative = std::string_view(req.path).substr(std::string_view("/media/").size());
  if (std::filesystem::path(std::string(relative)).extension() == ".md" ||
      !send_file(req, res, s.options.content_root / "practices", relative,
                 "public, max-age=86400"))
    not_found(req, res);
}

// The front end: "/" is index.html, "/docenti" is docenti.html (any path
// without an extension falls back to <path>.html).
void get_static(Server::Impl& s, const Request& req, Response& res) {
  if (req.path.rfind("/api/", 0) == 0 || req.path == "/api") {
    set_route_label("unmatched");
    return not_found(req, res);
  }
  std::string relative = req.path == "/" ? "index.html" : req.path.substr(1);
  const bool is_page = relative.ends_with(".html") ||
                       std::filesystem::path(relative).extension().empty();
  const char* cache = is_page ? "no-cache" : "public, max-age=3600";
  if (send_file(req, res, s.options.web_root, relative, cache)) return;
  if (std::filesystem::path(relative).extension().empty() &&
      send_file(req, res, s.options.web_root, relative + ".html", cache))
    return;
  set_route_label("unmatched");
  not_found(req, res);
}

}  // namespace

void mount_routes(Server::Impl& s) {
  // `label` names the route in metrics (a pattern, never the raw path).
  auto get = [&s](const char* label, const char* pattern, Handler handler) {
    s.http.Get(pattern, [&s, label, handler](const Request& req, Response& res) {
      set_route_label(label);
      handler(s, req, res);
    });
  };
  get("/api/search", "/api/search", get_search);
  get("/api/suggest", "/api/suggest", get_suggest);
  get("/api/practices/:slug", "/api/practices/([a-z0-9-]{1,200})", get_practice);
  get("/api/taxonomy", "/api/taxonomy", get_taxonomy);
  get("/pratiche/:slug", "/pratiche/([a-z0-9-]{1,200})", get_practice_page);
  get("/css/sdg-colori.css", "/css/sdg-colori\\.css", get_sdg_stylesheet);
  get("/healthz", "/healthz", get_healthz);
  get("/metrics", "/metrics", get_metrics);
}

void mount_fallback(Server::Impl& s) {
  s.http.Get("/media/.+", [&s](const Request& req, Response& res) {
    set_route_label("/media/*");
    get_media(s, req, res);
  });
  s.http.Get(".*", [&s](const Request& req, Response& res) {
    set_route_label("static");
    get_static(s, req, res);
  });
}

}  // namespace bp::server
