// The module's route table and its entry point, mount().
#include <cstdlib>
#include <fstream>
#include <iostream>

#include "bp/catalogue.h"
#include "bp/site/respond.h"
#include "crypto.h"
#include "html_pages.h"
#include "http_context.h"

namespace bp::registration {
namespace {

using Handler = void (*)(Context&, const Req&, Res&);

// The module's route table. Private routes carry a person's code (and
// token) in their path or query: the server logs them by label only and
// answers them with no-store and no-referrer.
site::RouteTable routes(Context& c) {
  const std::string code = "([a-z0-9]{1,64})";
  const std::string edition = "([a-z0-9-]{1,100})";
  using site::Access;
  using site::Method;
  auto route = [&c](Method method, std::string pattern, const char* label, Access access, Handler h) {
    return site::Route{method, std::move(pattern), label, access,
                       [&c, h](const Req& req, Res& res) { h(c, req, res); }};
  };
  const auto kGet = Method::kGet;
  const auto kPost = Method::kPost;
  const auto kPublic = Access::kPublic;
  const auto kPrivate = Access::kPrivate;
  return {
      route(kGet, "/programma", "/programma", kPublic, get_programme_page),
      route(kGet, "/privacy", "/privacy", kPublic, get_privacy_page),
      route(kGet, "/api/programme", "/api/programme", kPublic, get_programme),
      route(kGet, "/api/editions/" + edition + "\\.ics", "/api/editions/:id.ics", kPublic, get_edition_ics),
      route(kPost, "/api/registrations", "/api/registrations", kPrivate, post_registration),
      route(kGet, "/api/registrations/" + code, "/api/registrations/:code", kPrivate, get_registration),
      route(kPost, "/api/registrations/" + code + "/cancel", "/api/registrations/:code/cancel", kPrivate, post_cancel),
      route(kGet, "/api/registrations/" + code + "/data", "/api/registrations/:code/data", kPrivate, get_personal_data),
      route(kGet, "/iscrizione/" + code, "/iscrizione/:code", kPrivate, get_registration_page),
      route(kGet, "/attestato/" + code, "/attestato/:code", kPrivate, get_certificate),
      route(kGet, "/api/admin/registrations", "/api/admin/registrations", kPrivate, get_admin_registrations),
      route(kGet, "/api/admin/stats", "/api/admin/stats", kPrivate, get_admin_stats),
      route(kPost, "/api/admin/editions/" + edition + "/attendance", "/api/admin/editions/:id/attendance", kPrivate, post_admin_attendance),
      route(kPost, "/api/admin/registrations/" + code + "/erase", "/api/admin/registrations/:code/erase", kPrivate, post_admin_erase),
      route(kPost, "/api/admin/registrations/" + code + "/cancel", "/api/admin/registrations/:code/cancel", kPrivate, post_admin_cancel),
      route(kGet, "/api/admin/outbox", "/api/admin/outbox", kPrivate, get_admin_outbox),
  };
}

}  // namespace

namespace http {

void send_json(Res& res, int status, const nlohmann::json& body) { site::send_json(res, status, body); }

void send_error(Res& res, int status, const std::string& error, const std::string& message) {
  site::send_error(res, status, error, message);
}

void send_fields(Res& res, const FieldErrors& fields) {
  send_json(res, 400, {{"error", "validation"}, {"message", "controlla i campi indicati"}, {"fields", fields}});
}

void send_status(Res& res, const Status& s) {
  switch (s.code()) {
    case Code::kOk: send_json(res, 200, nlohmann::json::object()); break;
    case Code::kNotFound: send_error(res, 404, "not_found", s.message()); break;
    case Code::kInvalidArgument: send_error(res, 400, "bad_request", s.message()); break;
    case Code::kConflict: send_error(res, 409, "conflict", s.message()); break;
    default:
      std::cerr << "registration: " << s.message() << "\n";
      send_error(res, 503, "unavailable", "servizio momentaneamente non disponibile: riprova tra qualche minuto");
  }
}

void send_html(Res& res, int status, const std::string& html) { site::send_html(res, status, html, "no-store"); }

void private_headers(Res& res) {
  res.set_header("Referrer-Policy", "no-referrer");
  res.set_header("X-Robots-Tag", "noindex, nofollow");
  res.set_header("Cache-Control", "no-store");
}

bool is_form(const Req& req) {
  return req.get_header_value("Content-Type").rfind("application/x-www-form-urlencoded", 0) == 0 ||
         req.is_multipart_form_data();
}

namespace {
// The fields of a urlencoded or multipart form body.
std::map<std::string, std::string> form_fields(const Req& req) {
  std::map<std::string, std::string> out;
  if (req.is_multipart_form_data()) {
    for (const auto& [name, part] : req.files) out[name] = part.content;
    return out;
  }
  httplib::Params p;
  httplib::detail::parse_query_text(req.body, p);
  for (const auto& [k, v] : p) out[k] = v;
  return out;
}
}  // namespace

std::string token_of(const Req& req) {
  if (req.has_param("token") && !req.get_param_value("token").empty()) return req.get_param_value("token");
  if (is_form(req)) {
    const auto fields = form_fields(req);
    auto it = fields.find("token");
    return it == fields.end() ? std::string() : it->second;
  }
  if (!req.body.empty()) {
    auto j = nlohmann::json::parse(req.body, nullptr, false);
    if (j.is_object() && j.contains("token") && j["token"].is_string()) return j["token"].get<std::string>();
  }
  return {};
}

bool admit_post(Context& ctx, const Req& req, Res& res) {
  if (!ctx.limiter->allow(req.remote_addr)) {
    res.set_header("Retry-After", "60");
    send_error(res, 429, "rate_limited", "troppe richieste da questo indirizzo: riprova tra un minuto");
    return false;
  }
  if (req.body.size() > ctx.options.max_body_bytes) {
    send_error(res, 413, "too_large", "richiesta troppo grande");
    return false;
  }
  return true;
}

bool admit_admin(Context& ctx, const Req& req, Res& res) {
  private_headers(res);
  if (ctx.options.admin_token.empty()) {
    send_error(res, 403, "forbidden",
               "area riservata non attiva: l'amministratore deve configurare BP_ADMIN_TOKEN");
    return false;
  }
  const std::string auth = req.get_header_value("Authorization");
  const std::string presented = auth.rfind("Bearer ", 0) == 0 ? auth.substr(7) : std::string();
  // Comparing the digests keeps the comparison constant-time whatever the lengths.
  if (!constant_time_equal(sha256(presented), sha256(ctx.options.admin_token))) {
    res.set_header("WWW-Authenticate", "Bearer");
    send_error(res, 401, "unauthorized", "token di amministrazione mancante o non valido");
    return false;
  }
  return true;
}

bool read_fields(const Req& req, Res& res, std::map<std::string, std::string>* fields) {
  if (is_form(req)) {
    *fields = form_fields(req);
    return true;
  }
  auto j = nlohmann::json::parse(req.body, nullptr, false);
  if (!j.is_object()) {
    send_error(res, 400, "bad_request",
               "il corpo della richiesta deve essere un oggetto JSON (o un modulo HTML)");
    return false;
  }
  FieldErrors bad;
  for (const auto& [k, v] : j.items()) {
    if (v.is_string()) (*fields)[k] = v.get<std::string>();
    else if (v.is_boolean()) (*fields)[k] = v.get<bool>() ? "true" : "false";
    else if (v.is_number()) (*fields)[k] = v.dump();
    else if (!v.is_null()) bad[k] = "valore non valido: atteso un testo";
  }
  if (!bad.empty()) {
    send_fields(res, bad);
    return false;
  }
  return true;
}

}  // namespace http

Status apply_environment(Options* o) {
  if (const char* v = std::getenv("BP_ADMIN_TOKEN"); v && *v) o->admin_token = v;
  if (const char* v = std::getenv("BP_MAIL_COMMAND"); v && *v) o->mail_command = v;
  if (const char* v = std::getenv("BP_PUBLIC_BASE_URL"); v && *v) o->public_base_url = v;
  if (const char* v = std::getenv("BP_RATE_LIMIT"); v && *v) {
    char* end = nullptr;
    const long n = std::strtol(v, &end, 10);
    if (*end != '\0' || n < 0 || n > 1000000)
      return Status::invalid("BP_RATE_LIMIT deve essere un numero intero >= 0 (0 = nessun limite)");
    o->rate_limit_per_minute = static_cast<int>(n);
  }
  return Status::ok();
}

Status read_admin_token_file(const std::filesystem::path& file, Options* o) {
  std::ifstream in(file);
  if (!in) return Status::io("impossibile leggere il file del token di amministrazione " + file.string());
  std::string line;
  std::getline(in, line);
  const auto b = line.find_first_not_of(" \t\r");
  const auto e = line.find_last_not_of(" \t\r");
  if (b == std::string::npos) return Status::invalid("il file del token di amministrazione è vuoto");
  o->admin_token = line.substr(b, e - b + 1);
  return Status::ok();
}

Result<std::unique_ptr<Module>> open(const Options& options, const Taxonomy& taxonomy,
                                     const site::Pages& pages) {
  Diagnostics diags;
  auto catalogue = load_catalogue(options.content_root / "programme.yaml", taxonomy, &diags);
  if (!catalogue) {
    std::string msg = "programma non valido:";
    for (const auto& d : diags)
      if (d.severity == Severity::kError) msg += "\n" + d.format();
    return Status::invalid(msg);
  }
  auto ctx = std::make_unique<Context>();
  ctx->options = options;
  ctx->pages = &pages;
  auto store = open_sqlite_store(options.data_dir, make_composer(*catalogue, options.public_base_url),
                                 options.test_hooks);
  if (!store.ok()) return store.status();
  ctx->store = std::move(*store);
  std::vector<EditionSeats> seats;
  for (const auto& a : catalogue->activities)
    for (const auto& e : a.editions) seats.push_back({e.id, e.capacity});
  if (Status s = ctx->store->sync_editions(seats); !s.is_ok()) return s;
  DeskOptions desk_options;
  desk_options.public_base_url = options.public_base_url;
  desk_options.privacy_version = options.privacy_version;
  ctx->desk = std::make_unique<Desk>(std::move(*catalogue), taxonomy, *ctx->store, desk_options);
  ctx->limiter = std::make_unique<RateLimiter>(options.rate_limit_per_minute);
  if (!options.mail_command.empty()) {
    OutboxOptions o;
    o.mail_command = options.mail_command;
    o.from = options.mail_from;
    o.retry_base_seconds = options.outbox_retry_base_seconds;
    ctx->worker = std::make_unique<OutboxWorker>(*ctx->store, o);
  }
  ctx->table = routes(*ctx);
  return std::unique_ptr<Module>(std::move(ctx));
}

}  // namespace bp::registration
