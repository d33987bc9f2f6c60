// The search module's route table and its handlers: each parses the request,
// calls the engine and maps the answer to JSON or a page.
#include <algorithm>
#include <chrono>
#include <fstream>
#include <memory>
#include <set>
#include <string_view>

#include "bp/site/respond.h"
#include "bp/text.h"
#include "collection_page.h"
#include "html_pages.h"
#include "json_view.h"
#include "linked_data.h"
#include "search_analytics.h"
#include "search_page.h"
#include "search_params.h"
#include "server_impl.h"
#include "static_files.h"
#include "teachers_page.h"

namespace bp::server {
namespace {

using httplib::Request;
using httplib::Response;
using Handler = void (*)(Server::Impl&, const Request&, Response&);
// Static files larger than this are streamed rather than read whole.
constexpr std::uint64_t kStreamAbove = 1024 * 1024;

using site::send_json;

void send_error(Response& res, const ApiError& error) {
  site::send_error(res, error.status, error.code, error.message);
}

void send_error_page(Server::Impl& s, Response& res, int status) {
  site::send_html(res, status, render_error_page(s.pages, status), "no-store");
}

// A page from its template, or the error page if it cannot render (a broken
// template is an operator's problem, never a crash).
void send_page(Server::Impl& s, Response& res, const std::string& name, const nlohmann::json& view,
               const site::Shell& shell) {
  auto html = s.pages.render(name, view, shell);
  if (!html.ok()) {
    std::fprintf(stderr, "bp-server: %s\n", html.status().message().c_str());
    return send_error_page(s, res, 500);
  }
  site::send_html(res, 200, std::move(*html));
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
  count_search(s, req, std::get<SearchRequest>(parsed), *response);
  site::send_json_text(res, 200, search_json_text(*response, took.count()));
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
  Searcher* searcher = s.searchers.acquire();
  if (searcher) {
    auto found = call_engine(searcher, [](Searcher& e) { return e.facet_counts(); });
    if (found.ok()) counts = std::move(*found);
  }
  send_json(res, 200, taxonomy_json(*s.taxonomy_of(searcher), counts));
}

void get_practice_page(Server::Impl& s, const Request& req, Response& res) {
  const std::string slug = req.matches[1];
  Searcher* searcher = s.searchers.acquire();
  if (!searcher) return send_error_page(s, res, 503);
  auto page = call_engine(searcher, [&](Searcher& e) { return e.practice(slug); });
  if (!page.ok()) return send_error_page(s, res, page.status().code() == Code::kNotFound ? 404 : 503);
  site::Shell shell = practice_shell(*page, s.base_url);
  const std::shared_ptr<const Taxonomy> taxonomy = s.taxonomy_of(searcher);
  shell.head["jsonld"] = script_safe_json(practice_jsonld(*page, *taxonomy, s.base_url));
  send_page(s, res, "practice", practice_view(*page, *taxonomy, s.base_url), shell);
}

// The lesson sheet as a one-page handout: title, summary, the sheet, the
// attribution line and the practice's address with its QR code. 404 when the
// practice has no lesson sheet.
void get_lesson_sheet_page(Server::Impl& s, const Request& req, Response& res) {
  const std::string slug = req.matches[1];
  Searcher* searcher = s.searchers.acquire();
  if (!searcher) return send_error_page(s, res, 503);
  auto page = call_engine(searcher, [&](Searcher& e) { return e.practice(slug); });
  if (!page.ok()) return send_error_page(s, res, page.status().code() == Code::kNotFound ? 404 : 503);
  nlohmann::json view = practice_view(*page, *s.taxonomy_of(searcher), s.base_url);
  if (!view["lesson_sheet"].is_object()) return send_error_page(s, res, 404);
  site::Shell shell;
  shell.title = "Scheda didattica: " + page->practice.title;
  shell.description = truncate_utf8(page->practice.summary, 300);
  shell.styles = {"/css/practice.css"};
  shell.scripts = {"/js/practice.js"};
  shell.body_class = "page-practice page-handout";
  shell.head = {{"canonical", s.base_url + practice_url(slug) + "/scheda-didattica"}};
  send_page(s, res, "lesson_handout", view, shell);
}

// The search home: the same parameters as /api/search, rendered on the
// server (results, facets, pagination), with the first answer embedded for
// the JS front end.
void get_search_page(Server::Impl& s, const Request& req, Response& res) {
  constexpr int kResultsPerPage = 10;
  const SearchPageState state = search_page_state(req.params);
  site::Shell shell;
  shell.title = state.q.empty() ? "Buone Pratiche – Reti solidali e competenti" : state.q + " – Buone Pratiche";
  shell.title_is_full = true;
  shell.description =
      "La biblioteca digitale delle buone pratiche del Terzo settore italiano: esperienze dai territori, "
      "cercabili per tema, hub, regione e dimensione della sostenibilità.";
  shell.section = "cerca";
  shell.styles = {"/css/search.css"};
  shell.scripts = {"/js/search-page.js"};
  shell.body_class = "page-search";

  {
    SearchPageState filters = state;
    filters.sort = "relevance";
    filters.page = 1;
    shell.feed = "/feed.xml" + search_query_string(filters);
  }
  auto parsed = lenient_search_params(req.params);
  // The words as the page reads and quotes them (search_page_state), so
  // what is searched, counted and embedded is what the box shows.
  if (auto* request = std::get_if<SearchRequest>(&parsed)) request->q = state.q;
  int status = 200;
  std::string error;
  Result<SearchResponse> answer = Status::invalid("");
  Searcher* searcher = nullptr;
  if (auto* bad = std::get_if<ApiError>(&parsed)) {
    status = 400;
    error = bad->message;
  } else if ((searcher = s.searchers.acquire()) != nullptr) {
    auto& request = std::get<SearchRequest>(parsed);
    request.per_page = kResultsPerPage;
    answer = call_engine(searcher, [&](Searcher& e) { return e.search(request); });
    if (!answer.ok()) {
      const ApiError e = engine_error(answer.status());
      status = e.status;
      error = e.message;
    }
  } else {
    status = 503;
    error = "La ricerca non è disponibile in questo momento: riprova tra qualche istante.";
  }
  // A page past the last (a stale link, a hand-edited number) goes to the
  // last page that has results.
  if (answer.ok() && answer->results.empty() && answer->total > 0 && state.page > 1) {
    SearchPageState last = state;
    last.page = static_cast<int>((answer->total + kResultsPerPage - 1) / kResultsPerPage);
    res.status = 302;
    res.set_header("Location", "/" + search_query_string(last));
    return;
  }
  const std::shared_ptr<const Taxonomy> labels = s.taxonomy_of(searcher);
  nlohmann::json embedded = nullptr;
  if (answer.ok()) {
    count_search(s, req, std::get<SearchRequest>(parsed), *answer);
    // The vocabularies the page needs (labels only: the panels' counts come
    // from the answer), without descriptions and English labels, in
    // /api/taxonomy's shape.
    nlohmann::json taxonomy = taxonomy_json(*labels, FacetCounts{});
    for (auto& [name, terms] : taxonomy["vocabularies"].items())
      for (auto& term : terms) {
        term.erase("description");
        term.erase("label_en");
      }
    embedded = {{"query", search_query_string(state)}, {"answer", search_json(*answer, 0)},
                {"taxonomy", std::move(taxonomy)}};
  }
  nlohmann::json view = search_page_view(state, answer.ok() ? &*answer : nullptr, error, *labels, embedded);
  if (answer.ok() && answer->total == 0) {
    // Nothing with the filters chosen: how many the words alone find, and
    // the link to them (web/js/search-page.js asks the API the same). When
    // the words alone find nothing either, taking a filter away cannot help.
    if (!state.q.empty() && !state.filters.empty()) {
      SearchRequest words;
      words.q = std::get<SearchRequest>(parsed).q;
      words.per_page = 1;
      auto found = call_engine(searcher, [&](Searcher& e) { return e.search(words); });
      if (found.ok() && found->total > 0) {
        SearchPageState unfiltered;
        unfiltered.q = state.q;
        unfiltered.sort = state.sort;
        view["without_filters"] = {
            {"url", "/" + search_query_string(unfiltered)},
            {"text", text::count_noun(found->total, "pratica", "pratiche") + " per «" + state.q + "» senza i filtri"}};
        view["words_tip"] = false;
      } else if (found.ok()) {
        view["filters_tip"] = false;
      }
    }
    // The themes to try: those with the most practices within the filters
    // (without the words), or in the whole library when the filters alone
    // leave nothing.
    SearchPageState base = state;
    SearchRequest browse = std::get<SearchRequest>(parsed);
    browse.q.clear();
    browse.page = 1;
    browse.per_page = 1;
    Result<SearchResponse> themes = Status::invalid("");
    if (!state.q.empty()) themes = call_engine(searcher, [&](Searcher& e) { return e.search(browse); });
    if (state.q.empty() || (themes.ok() && themes->total == 0)) {  // the filters alone found nothing
      base.filters.clear();
      SearchRequest library;
      library.per_page = 1;
      themes = call_engine(searcher, [&](Searcher& e) { return e.search(library); });
    }
    if (themes.ok()) {
      view["empty_themes"] = empty_themes_view(base, *themes, *labels);
      view["empty_themes_within"] = !base.filters.empty();
    }
  }
  auto html = s.pages.render("search", view, shell);
  if (!html.ok()) {
    std::fprintf(stderr, "bp-server: %s\n", html.status().message().c_str());
    return send_error_page(s, res, 500);
  }
  site::send_html(res, status, std::move(*html));
}

// The teachers' page: lesson-sheet filters and results rendered here (the
// same parameters as /api/search), the modules filled in by docenti.js.
void get_teachers_page(Server::Impl& s, const Request& req, Response& res) {
  site::Shell shell;
  shell.title = "Per i docenti";
  shell.description =
      "Le buone pratiche con scheda didattica, filtrabili per ordine di scuola, disciplina e durata, e i "
      "12 moduli formativi del programma «Reti solidali e competenti» con le pratiche collegate.";
  shell.section = "docenti";
  shell.styles = {"/css/docenti.css"};
  shell.scripts = {"/js/docenti.js"};
  shell.body_class = "page-docenti";

  // The index's vocabularies (levels, subjects) read the filters and label the page.
  Searcher* searcher = s.searchers.acquire();
  const std::shared_ptr<const Taxonomy> taxonomy = s.taxonomy_of(searcher);
  auto parsed = teachers_request(req.params, *taxonomy);
  int status = 200;
  std::string error;
  Result<SearchResponse> answer = Status::invalid("");
  SearchRequest request;
  std::optional<LevelInWords> level_in_words;
  if (auto* bad = std::get_if<ApiError>(&parsed)) {
    status = 400;
    error = "I filtri non sono validi: " + bad->message;
  } else if (searcher != nullptr) {
    request = std::get<SearchRequest>(parsed);
    // A level in the words ("seconda media", "medie") is the level of the
    // class: it filters, ticked in the form, unless levels are ticked.
    if (req.params.count("level") == 0 && !request.q.empty()) {
      level_in_words = searcher->level_in_words(request.q);
      if (level_in_words) {
        request.q = level_in_words->rest;
        request.filters["level"] = {level_in_words->level};
        if (request.q.empty()) request.sort = SortOrder::kTitle;
      }
    }
    answer = call_engine(searcher, [&](Searcher& e) { return e.search(request); });
    if (!answer.ok()) {
      const ApiError e = engine_error(answer.status());
      status = e.status;
      error = e.message;
    }
  } else {
    // The page itself still works (modules, links to the programme).
    error = "L'elenco delle pratiche non è disponibile in questo momento: riprova tra qualche istante.";
  }
  const bool levels_chosen = req.params.count("level") > 0 || level_in_words.has_value();
  auto html = s.pages.render("docenti",
                             teachers_page_view(request, answer.ok() ? &*answer : nullptr, error, *taxonomy,
                                                levels_chosen, level_in_words ? &*level_in_words : nullptr),
                             shell);
  if (!html.ok()) {
    std::fprintf(stderr, "bp-server: %s\n", html.status().message().c_str());
    return send_error_page(s, res, 500);
  }
  site::send_html(res, status, std::move(*html));
}

// A shared collection (/raccolta?titolo=…&p=…&n=…), rendered here so that it
// opens and prints without JavaScript; without `p`, the page where
// collections.js shows the reader's own collection.
void get_collection_page(Server::Impl& s, const Request& req, Response& res) {
  const Collection collection = parse_collection(target_query_pairs(req.target));
  Searcher* searcher = s.searchers.acquire();
  nlohmann::json view = collection_view(collection, searcher, *s.taxonomy_of(searcher), s.base_url);
  site::Shell shell;
  shell.title = collection.items.empty() ? "Le mie raccolte" : view["title"].get<std::string>();
  shell.description = "Una raccolta di buone pratiche con le loro schede didattiche, da stampare o condividere.";
  shell.section = "docenti";
  shell.styles = {"/css/practice.css", "/css/docenti.css"};
  shell.scripts = {"/js/collection-page.js"};
  shell.body_class = "page-practice page-collection";
  // The link is the collection: keep it out of search engines and referrers.
  shell.noindex = !collection.items.empty();
  send_page(s, res, "collection", view, shell);
}

void get_sdg_stylesheet(Server::Impl& s, const Request&, Response& res) {
  res.set_header("Cache-Control", "public, max-age=3600");
  res.set_content(render_sdg_stylesheet(*s.taxonomy_of(s.searchers.acquire())), "text/css; charset=utf-8");
}

// The server's state and which index it reads, so that a load balancer and
// a person can see which servers are behind (docs/index-replication.md).
void get_healthz(Server::Impl& s, const Request&, Response& res) {
  Searcher* searcher = s.searchers.acquire();
  if (!searcher)
    return send_json(res, 503, {{"status", "unavailable"}, {"documents", 0}});
  nlohmann::json answer = {{"status", "ok"}, {"documents", searcher->document_count()}};
  if (Result<IndexInfo> info = searcher->index_info(); info.ok()) {
    nlohmann::json index = {{"revision", info->revision}, {"built_at", info->built_at}};
    if (!info->content_commit.empty()) index["content_commit"] = info->content_commit;
    answer["index"] = std::move(index);
  }
  send_json(res, 200, answer);
}

// Equal strings of equal length, in time that does not depend on where they
// differ (the token's length is not secret).
bool same_secret(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  unsigned char diff = 0;
  for (std::size_t i = 0; i < a.size(); ++i) diff |= static_cast<unsigned char>(a[i] ^ b[i]);
  return diff == 0;
}

// /metrics reveals traffic and index size: loopback (or the configured
// monitoring addresses) only, or with the metrics token.
bool may_read_metrics(const Server::Impl& s, const Request& req) {
  const auto& allow = s.options.metrics_allow;
  const std::string client = site::client_of(req, s.options.trusted_proxies).address;
  if (std::find(allow.begin(), allow.end(), client) != allow.end()) return true;
  const std::string& token = s.options.metrics_token;
  const std::string auth = req.get_header_value("Authorization");
  return !token.empty() && auth.size() == token.size() + 7 && auth.starts_with("Bearer ") &&
         same_secret(std::string_view(auth).substr(7), token);
}

void get_metrics(Server::Impl& s, const Request& req, Response& res) {
  if (!may_read_metrics(s, req))
    return send_error(res, {403, "forbidden", "Le metriche sono riservate a chi gestisce il servizio."});
  Searcher* searcher = s.searchers.acquire();
  const std::int64_t documents =
      searcher ? static_cast<std::int64_t>(searcher->document_count()) : -1;
  res.set_header("Cache-Control", "no-store");
  std::string text = s.metrics.render(documents);
  if (searcher)
    if (Result<IndexInfo> info = searcher->index_info(); info.ok())
      text += render_index_age(info->built_at, std::chrono::duration_cast<std::chrono::seconds>(
                                                   std::chrono::system_clock::now().time_since_epoch())
                                                   .count());
  if (const auto* fronted = dynamic_cast<const FrontedServer*>(&s.http)) {
    const auto c = fronted->counts();
    text += render_connections(c.open, c.timed_out, c.evicted);
  }
  for (const auto& source : s.metric_sources) text += source();
  res.set_content(text, "text/plain; version=0.0.4; charset=utf-8");
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

// No such file: 404 (or 405 when another method would match), with the
// body written by the server's error handler.
void not_found(Server::Impl&, const Request&, Response& res) {
  mark_unmatched();
  res.status = 404;
}

// Practice media: /media/<path> from library-content/practices/, never the
// case files themselves.
void get_media(Server::Impl& s, const Request& req, Response& res) {
  std::string_view relative = std::string_view(req.path).substr(std::string_view("/media/").size());
  if (std::filesystem::path(std::string(relative)).extension() == ".md" ||
      !send_file(req, res, s.options.content_root / "practices", relative,
                 "public, max-age=86400"))
    not_found(s, req, res);
}

// The front end's assets: stylesheets, scripts, images and fonts. Pages are
// routes rendered from templates, so neither templates nor HTML files are
// ever served from the folder.
bool is_asset(const std::filesystem::path& relative) {
  static const std::set<std::string> kAssets = {".css", ".js",  ".mjs",  ".svg", ".png", ".jpg", ".jpeg",
                                                ".webp", ".gif", ".ico", ".json", ".woff", ".woff2", ".pdf"};
  return kAssets.count(relative.extension().string()) > 0 && !relative.string().starts_with("templates/");
}

// "/pratiche" (a practice's address without its name, or "/pratiche/"
// made "/pratiche"): the library's list is the search page.
void get_practices_list(Server::Impl&, const Request& req, Response& res) {
  const std::size_t query = req.target.find('?');
  res.status = 301;
  res.set_header("Location", "/" + (query == std::string::npos ? "" : req.target.substr(query)));
}

void get_static(Server::Impl& s, const Request& req, Response& res) {
  if (site::is_api_path(req.path) || req.path.size() < 2) return not_found(s, req, res);
  // "/programma/", "/docenti/", "/pratiche/ORTI-SOCIALI": the page as its
  // links write it, without the slash and in small letters, as typed or
  // linked by people (301, the query kept); an asset's name is as written.
  // Never to another host: a path that would start with "//" or hold a
  // backslash is not redirected.
  std::string page = req.path;
  while (page.size() > 1 && page.back() == '/') page.pop_back();
  if (!is_asset(page.substr(1)))
    std::transform(page.begin(), page.end(), page.begin(),
                   [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; });
  if (page != req.path) {
    if (page.size() < 2 || page.starts_with("//") || page.find('\\') != std::string::npos ||
        std::any_of(page.begin(), page.end(), [](unsigned char c) { return c < 0x20 || c == 0x7f; }))
      return not_found(s, req, res);
    const std::size_t query = req.target.find('?');
    res.status = 301;
    res.set_header("Location", page + (query == std::string::npos ? "" : req.target.substr(query)));
    // The query may be a personal link's token (/iscrizione/CODE/?token=…):
    // neither kept by a cache nor sent on as a referrer.
    res.set_header("Cache-Control", "no-store");
    res.set_header("Referrer-Policy", "no-referrer");
    return;
  }
  const std::string relative = req.path.substr(1);
  if (is_asset(relative) && send_file(req, res, s.options.web_root, relative, "public, max-age=3600")) return;
  not_found(s, req, res);
}

}  // namespace

site::RouteTable search_routes(Server::Impl& s) {
  // Each handler gets the server state; the table reads as the API's index.
  auto get = [&s](const char* label, const char* pattern, Handler handler) {
    return site::Route{site::Method::kGet, pattern, label, site::Access::kPublic,
                       [&s, handler](const Request& req, Response& res) { handler(s, req, res); }};
  };
  return {
      get("/", "/", get_search_page),
      get("/docenti", "/docenti", get_teachers_page),
      get("/pratiche", "/pratiche", get_practices_list),
      get("/pratiche/:slug", "/pratiche/([a-z0-9-]{1,200})", get_practice_page),
      get("/pratiche/:slug/scheda-didattica", "/pratiche/([a-z0-9-]{1,200})/scheda-didattica", get_lesson_sheet_page),
      get("/raccolta", "/raccolta", get_collection_page),
      // A result opened from a search: counted, then 303 to the practice.
      // Public, not private: a private route's no-referrer would reach the
      // practice page, whose "Torna alla ricerca" reads the referrer.
      get("/vai/:position/:slug", "/vai/([0-9]{1,4})/([a-z0-9-]{1,200})", get_result_click),
      get("/api/search", "/api/search", get_search),
      get("/api/suggest", "/api/suggest", get_suggest),
      get("/api/practices/:slug", "/api/practices/([a-z0-9-]{1,200})", get_practice),
      get("/api/taxonomy", "/api/taxonomy", get_taxonomy),
      get("/css/sdg-colori.css", "/css/sdg-colori\\.css", get_sdg_stylesheet),
      get("/healthz", "/healthz", get_healthz),
      get("/metrics", "/metrics", get_metrics),
  };
}

site::RouteTable fallback_routes(Server::Impl& s) {
  auto get = [&s](const char* label, const char* pattern, Handler handler) {
    return site::Route{site::Method::kGet, pattern, label, site::Access::kPublic,
                       [&s, handler](const Request& req, Response& res) { handler(s, req, res); }};
  };
  return {get("/media/*", "/media/.+", get_media), get("static", ".*", get_static)};
}

}  // namespace bp::server
