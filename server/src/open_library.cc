// The open-library module's route table and its handlers: OAI-PMH for
// harvesters, sitemap and robots.txt for search engines, Atom feeds, and
// the library as open data with its DCAT-AP_IT description. Each handler
// parses, asks the engine (records.h through this thread's Searcher) and
// hands the answer to a writer (oai.h, sitemap.h, atom_feed.h, open_data.h).
#include "open_library.h"

#include <algorithm>
#include <chrono>
#include <ctime>
#include <set>

#include "atom_feed.h"
#include "bp/file_bytes.h"
#include "bp/italian_date.h"
#include "bp/open_data.h"
#include "bp/site/respond.h"
#include "linked_data.h"
#include "oai.h"
#include "open_metadata.h"
#include "query_pairs.h"
#include "search_page.h"
#include "search_params.h"
#include "server_impl.h"
#include "sitemap.h"
#include "static_files.h"

namespace bp::server {
namespace {

using httplib::Request;
using httplib::Response;
using Handler = void (*)(Server::Impl&, const Request&, Response&);
using Clock = std::chrono::system_clock;

// Without a charset parameter (the XML declaration says UTF-8), so that
// cpp-httplib, which matches content types exactly, compresses it.
constexpr const char* kXmlType = "application/xml";
// The public pages besides the practices, for the sitemap.
constexpr const char* kPublicPages[] = {"/", "/docenti", "/programma", "/opendata/"};

// The open library is read by other sites too: a portal's page or a
// notebook in the browser may fetch it from any origin (nothing in it is
// private, and no cookie is involved).
void open_to_every_origin(Response& res) { res.set_header("Access-Control-Allow-Origin", "*"); }

void unavailable(Response& res, bool xml) {
  res.set_header("Retry-After", "60");
  if (xml) {
    res.status = 503;
    res.set_header("Cache-Control", "no-store");
    res.set_content("L'indice della biblioteca non è disponibile: riprova tra un minuto.\n",
                    "text/plain; charset=utf-8");
  } else {
    site::send_error(res, 503, "index_unavailable",
                     "L'indice della biblioteca non è disponibile: riprova tra qualche istante.");
  }
}

// "https://host:8080/x" -> "host".
std::string host_of(const std::string& url) {
  std::string rest = url;
  if (auto scheme = rest.find("://"); scheme != std::string::npos) rest = rest.substr(scheme + 3);
  rest = rest.substr(0, rest.find_first_of("/:?#"));
  return rest;
}

// "YYYY-MM-DDThh:mm:ssZ" -> seconds since the epoch (0 when malformed).
std::int64_t epoch_of(const std::string& stamp) {
  std::tm tm{};
  if (stamp.size() != 20 || !strptime(stamp.c_str(), "%Y-%m-%dT%H:%M:%SZ", &tm)) return 0;
  return static_cast<std::int64_t>(timegm(&tm));
}

// The arguments as sent, repeats included (query_pairs.h): a repeated
// argument must be answered badArgument.
OaiArguments oai_arguments(const Request& req) {
  OaiArguments args = target_query_pairs(req.target);
  if (req.method == "POST" &&
      req.get_header_value("Content-Type").rfind("application/x-www-form-urlencoded", 0) == 0)
    append_query_pairs(req.body, &args);
  return args;
}

void oai(Server::Impl& s, const Request& req, Response& res) {
  open_to_every_origin(res);
  Searcher* searcher = s.searchers.acquire();
  if (!searcher) return unavailable(res, true);
  OaiConfig config;
  config.base_url = s.base_url;
  config.admin_email = s.options.admin_email;
  config.repository_id = host_of(s.base_url);
  const std::shared_ptr<const Taxonomy> taxonomy = s.taxonomy_of(searcher);
  config.taxonomy = taxonomy.get();
  config.page_size = std::max<std::size_t>(1, s.options.oai_page_size);
  OaiAnswer answer = oai_answer(config, oai_arguments(req), *searcher, Clock::now());
  if (answer.status != 200) return unavailable(res, true);
  res.set_header("Cache-Control", "no-store");
  res.set_content(std::move(answer.xml), "text/xml; charset=utf-8");
}

void pratica_schema(Server::Impl& s, const Request&, Response& res) {
  auto body = read_file(s.options.web_root / "oai" / "pratica.xsd");
  if (!body) {
    res.status = 404;
    return;
  }
  res.set_header("Cache-Control", "public, max-age=86400");
  res.set_content(std::move(*body), kXmlType);
}

// Every URL of the sitemap: public pages, then practices in slug order.
bool sitemap_urls(Server::Impl& s, std::vector<SitemapUrl>* urls, std::string* latest) {
  Searcher* searcher = s.searchers.acquire();
  if (!searcher) return false;
  auto headers = searcher->record_headers();
  if (!headers.ok()) return false;
  for (const char* page : kPublicPages) urls->push_back({s.base_url + page, ""});
  std::vector<SitemapUrl> practices;
  for (const auto& h : *headers) {
    if (h.datestamp > *latest) *latest = h.datestamp;
    if (!h.deleted) practices.push_back({s.base_url + "/pratiche/" + h.slug, h.datestamp});
  }
  std::sort(practices.begin(), practices.end(),
            [](const SitemapUrl& a, const SitemapUrl& b) { return a.loc < b.loc; });
  urls->insert(urls->end(), practices.begin(), practices.end());
  return true;
}

void sitemap(Server::Impl& s, const Request&, Response& res) {
  std::vector<SitemapUrl> urls;
  std::string latest;
  if (!sitemap_urls(s, &urls, &latest)) return unavailable(res, true);
  res.set_header("Cache-Control", "public, max-age=3600");
  if (urls.size() <= kSitemapMaxUrls) return res.set_content(sitemap_xml(urls), kXmlType);
  const std::size_t parts = (urls.size() + kSitemapMaxUrls - 1) / kSitemapMaxUrls;
  res.set_content(sitemap_index_xml(s.base_url, parts, latest), kXmlType);
}

void sitemap_part(Server::Impl& s, const Request& req, Response& res) {
  std::vector<SitemapUrl> urls;
  std::string latest;
  if (!sitemap_urls(s, &urls, &latest)) return unavailable(res, true);
  const std::size_t part = std::stoul(req.matches[1].str());
  const std::size_t first = (part - 1) * kSitemapMaxUrls;
  if (part == 0 || urls.size() <= kSitemapMaxUrls || first >= urls.size()) {
    res.status = 404;
    return;
  }
  std::vector<SitemapUrl> slice(urls.begin() + static_cast<std::ptrdiff_t>(first),
                                urls.begin() + static_cast<std::ptrdiff_t>(std::min(urls.size(), first + kSitemapMaxUrls)));
  res.set_header("Cache-Control", "public, max-age=3600");
  res.set_content(sitemap_xml(slice), kXmlType);
}

// Crawlers may read the public pages; the API and every private route of
// every mounted module (codes and tokens in the path) are disallowed.
void robots(Server::Impl& s, const Request&, Response& res) {
  std::set<std::string> disallowed = {"/api/"};
  for (const auto& m : s.routes) {
    if (m.route.access != site::Access::kPrivate || m.literal_prefix.size() < 2) continue;
    std::string prefix = m.literal_prefix;
    // "/iscrizione/" rather than "/iscrizione/abc": the pattern's fixed part
    // up to its last slash.
    prefix = prefix.substr(0, prefix.rfind('/') + 1);
    if (prefix.size() > 1 && !prefix.starts_with("/api/")) disallowed.insert(prefix);
  }
  std::string text = "# Buone Pratiche – Reti solidali e competenti\nUser-agent: *\n";
  for (const auto& prefix : disallowed) text += "Disallow: " + prefix + "\n";
  text += "Allow: /\n\nSitemap: " + s.base_url + "/sitemap.xml\n";
  res.set_header("Cache-Control", "public, max-age=3600");
  res.set_content(text, "text/plain; charset=utf-8");
}

void feed(Server::Impl& s, const Request& req, Response& res) {
  open_to_every_origin(res);
  auto parsed = parse_search_params(req.params);
  if (auto* error = std::get_if<ApiError>(&parsed))
    return site::send_error(res, error->status, error->code, error->message);
  SearchRequest& request = std::get<SearchRequest>(parsed);
  request.page = 1;
  request.per_page = kFeedEntries;
  request.sort = SortOrder::kUpdated;
  Searcher* searcher = s.searchers.acquire();
  if (!searcher) return unavailable(res, true);
  const std::shared_ptr<const Taxonomy> taxonomy = s.taxonomy_of(searcher);
  auto answer = searcher->search(request);
  if (!answer.ok()) {
    if (answer.status().code() == Code::kInvalidArgument)
      return site::send_error(res, 400, "invalid_request", "Richiesta non valida: " + answer.status().message());
    return unavailable(res, true);
  }
  SearchPageState state = search_page_state(req.params);
  state.sort = "relevance";
  state.page = 1;
  FeedRequest feed_request;
  feed_request.base_url = s.base_url;
  // The filters the page's state does not hold are the feed's too: its id
  // and self link must not be those of the feed without them (RFC 4287).
  std::string query = search_query_string(state);
  const auto add = [&query](const char* key, int value) {
    query += (query.empty() ? "?" : "&") + std::string(key) + "=" + std::to_string(value);
  };
  if (request.year_from) add("year_from", *request.year_from);
  if (request.year_to) add("year_to", *request.year_to);
  if (request.duration_max) add("duration_max", *request.duration_max);
  feed_request.query = query.empty() ? "" : query.substr(1);
  std::string label = state.q.empty() ? "" : "«" + state.q + "»";
  if (request.year_from)
    label += (label.empty() ? "" : ", ") + std::string("dal ") + std::to_string(*request.year_from);
  if (request.year_to)
    label += (label.empty() ? "" : ", ") + std::string("fino al ") + std::to_string(*request.year_to);
  if (request.duration_max)
    label +=
        (label.empty() ? "" : ", ") + std::string("al massimo ") + std::to_string(*request.duration_max) + " minuti";
  for (const auto& [facet, values] : state.filters)
    for (const auto& value : values) {
      // A value the taxonomy lacks (a typo, a theme renamed since): a feed
      // of nothing, titled with it, forever; a reader says why instead.
      if (const Vocabulary* v = taxonomy->vocabulary(facet); v != nullptr && v->find(value) == nullptr)
        return site::send_error(res, 404, "not_found",
                                "Questo feed non esiste: «" + value + "» non è tra i valori di «" + facet +
                                    "» della biblioteca (elencati in /api/taxonomy).");
      label += (label.empty() ? "" : ", ") + taxonomy->label(facet, value);
    }
  feed_request.filters_label = label;
  res.set_header("Cache-Control", "public, max-age=600");
  res.set_content(atom_feed(*answer, feed_request, *taxonomy, Clock::now()), "application/atom+xml; charset=utf-8");
}

// The open-data files of the index's current revision, built once per
// revision and shared by every thread; nullptr without an index.
std::shared_ptr<const OpenDataFiles> open_data_files(Server::Impl& s) {
  Searcher* searcher = s.searchers.acquire();
  if (!searcher) return nullptr;
  const std::string revision = searcher->revision();
  auto cached = [&]() -> std::shared_ptr<const OpenDataFiles> {
    std::lock_guard lock(s.open_data.mutex);
    if (s.open_data.files && !revision.empty() && s.open_data.files->revision == revision)
      return s.open_data.files;
    return nullptr;
  };
  if (auto files = cached()) return files;
  std::lock_guard building(s.open_data.build);
  if (auto files = cached()) return files;
  auto records = searcher->records();
  auto headers = searcher->record_headers();
  if (!records.ok() || !headers.ok()) return nullptr;
  auto files = std::make_shared<OpenDataFiles>();
  files->revision = revision;
  files->json = open_data_json(*records, s.base_url);
  files->csv = open_data_csv(*records, s.base_url);
  files->practices = records->size();
  for (const auto& r : *records)
    if (r.data.contains("license") && r.data["license"].is_string())
      files->licences.insert(r.data["license"].get<std::string>());
  for (const auto& h : *headers)
    if (h.datestamp > files->modified_stamp) files->modified_stamp = h.datestamp;
  files->modified = epoch_of(files->modified_stamp);
  files->etag = "\"od-" + fnv1a_hex(revision + s.base_url) + "\"";
  std::lock_guard lock(s.open_data.mutex);
  s.open_data.files = files;
  return files;
}

void send_open_data(Server::Impl& s, const Request& req, Response& res, bool csv) {
  open_to_every_origin(res);
  auto files = open_data_files(s);
  if (!files) return unavailable(res, false);
  StaticFile validators;
  validators.etag = csv ? files->etag.substr(0, files->etag.size() - 1) + "-csv\"" : files->etag;
  // Never later than now (RFC 9110 8.8.2.1): with --publish-delay the
  // newest datestamp may still be ahead.
  validators.mtime = std::min<std::int64_t>(files->modified, std::time(nullptr));
  validators.last_modified = http_date(validators.mtime);
  res.set_header("ETag", validators.etag);
  res.set_header("Last-Modified", validators.last_modified);
  res.set_header("Cache-Control", "public, max-age=300");
  if (not_modified(validators, req.get_header_value("If-None-Match"), req.get_header_value("If-Modified-Since"))) {
    res.status = 304;
    return;
  }
  if (csv) {
    res.set_header("Content-Disposition", "inline; filename=\"pratiche.csv\"");
    res.set_content(files->csv, "text/csv; charset=utf-8");
  } else {
    res.set_content(files->json, site::kJsonType);
  }
}

void open_data_json_file(Server::Impl& s, const Request& req, Response& res) { send_open_data(s, req, res, false); }
void open_data_csv_file(Server::Impl& s, const Request& req, Response& res) { send_open_data(s, req, res, true); }

void open_data_catalogue(Server::Impl& s, const Request&, Response& res) {
  open_to_every_origin(res);
  auto files = open_data_files(s);
  if (!files) return unavailable(res, false);
  // The default adminEmail is a placeholder (.invalid): no contact point
  // rather than one nobody reads.
  CatalogueFacts facts{s.base_url, files->modified_stamp, files->practices,
                       has_admin_email(s.options) ? s.options.admin_email : "", files->licences};
  res.set_header("Cache-Control", "public, max-age=300");
  res.set_content(dcat_catalogue(facts).dump(2), "application/ld+json");
}

void open_data_page(Server::Impl& s, const Request&, Response& res) {
  auto files = open_data_files(s);
  site::Shell shell;
  shell.title = "Dati aperti";
  shell.description =
      "Tutte le schede della biblioteca delle buone pratiche come dati aperti: JSON, CSV, "
      "descrizione DCAT-AP_IT, OAI-PMH e feed Atom.";
  shell.styles = {"/css/practice.css"};
  shell.body_class = "page-opendata";
  shell.head = {{"canonical", s.base_url + "/opendata/"}};
  nlohmann::json view = {
      {"base_url", s.base_url},
      {"practices", files ? std::to_string(files->practices) : std::string()},
      {"modified", files && files->modified_stamp.size() >= 10
                       ? bp::after_preposition("il", bp::italian_date(files->modified_stamp.substr(0, 10)))
                       : std::string()}};
  auto html = s.pages.render("opendata", view, shell);
  if (!html.ok()) {
    std::fprintf(stderr, "bp-server: %s\n", html.status().message().c_str());
    res.status = 500;
    return;
  }
  site::send_html(res, 200, std::move(*html));
}

void open_data_redirect(Server::Impl&, const Request&, Response& res) {
  res.set_redirect("/opendata/", 302);
}

}  // namespace

site::RouteTable open_library_routes(Server::Impl& s) {
  auto route = [&s](site::Method method, const char* label, const char* pattern, Handler handler) {
    return site::Route{method, pattern, label, site::Access::kPublic,
                       [&s, handler](const Request& req, Response& res) { handler(s, req, res); }};
  };
  const auto get = site::Method::kGet;
  return {
      route(get, "/oai", "/oai", oai),
      route(site::Method::kPost, "/oai", "/oai", oai),
      route(get, "/oai/pratica.xsd", "/oai/pratica\\.xsd", pratica_schema),
      route(get, "/sitemap.xml", "/sitemap\\.xml", sitemap),
      route(get, "/sitemap-:n.xml", "/sitemap-([1-9][0-9]{0,5})\\.xml", sitemap_part),
      route(get, "/robots.txt", "/robots\\.txt", robots),
      route(get, "/feed.xml", "/feed\\.xml", feed),
      route(get, "/opendata", "/opendata", open_data_redirect),
      route(get, "/opendata/", "/opendata/", open_data_page),
      route(get, "/opendata/pratiche.json", "/opendata/pratiche\\.json", open_data_json_file),
      route(get, "/opendata/pratiche.csv", "/opendata/pratiche\\.csv", open_data_csv_file),
      route(get, "/opendata/catalogo.jsonld", "/opendata/catalogo\\.jsonld", open_data_catalogue),
  };
}

}  // namespace bp::server
