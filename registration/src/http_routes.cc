// The module's route table and its entry points, open() and open_with_hooks().
#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <iostream>

#include "bp/catalogue.h"
#include "bp/site/respond.h"
#include "bp/text.h"
#include "crypto.h"
#include "html_pages.h"
#include "http_context.h"
#include "staff_pages.h"
#include "staff_proposals.h"
#include "store_test_hooks.h"

namespace bp::registration {
namespace {

using Handler = void (*)(Context&, const Req&, Res&);
using GuardedHandler = void (*)(Context&, const Principal&, const Req&, Res&);

// The module's route table. Private routes carry a person's code (and
// token) in their path or query: the server logs them by label only and
// answers them with no-store and no-referrer.
site::RouteTable routes(Context& c) {
  const std::string code = kCodePattern;
  const std::string edition = kEditionPattern;
  using site::Access;
  using site::Method;
  auto route = [&c](Method method, std::string pattern, const char* label, Access access, Handler h) {
    return site::Route{method, std::move(pattern), label, access,
                       [&c, h](const Req& req, Res& res) { h(c, req, res); }};
  };
  auto admin = [&c](Method method, std::string pattern, const char* label, unsigned roles, GuardedHandler h) {
    return c.guard->api(method, std::move(pattern), label, roles,
                        [&c, h](const Principal& who, const Req& req, Res& res) { h(c, who, req, res); });
  };
  const unsigned kStaff = site::kDeskRoles;
  const unsigned kAdmin = site::kRoleAdmin;
  const unsigned kEditor = site::kEditorialRoles;
  const auto kGet = Method::kGet;
  const auto kPost = Method::kPost;
  const auto kPublic = Access::kPublic;
  const auto kPrivate = Access::kPrivate;
  // Routes that take a proposal: its text (the case-file limit) and its
  // cover image, with the reason in Italian when the whole is too large.
  auto upload = [](site::Route r) {
    r.max_body_bytes = kMaxProposalBodyBytes;
    r.too_large = kProposalTooLarge;
    return r;
  };
  site::RouteTable table = {
      route(kGet, "/programma", "/programma", kPublic, get_programme_page),
      route(kGet, "/privacy", "/privacy", kPublic, get_privacy_page),
      route(kGet, "/api/programme", "/api/programme", kPublic, get_programme),
      route(kGet, "/api/editions/" + edition + "\\.ics", "/api/editions/:id.ics", kPublic, get_edition_ics),
      route(kPost, "/api/registrations", "/api/registrations", kPrivate, post_registration),
      route(kPost, "/api/registrations/resend", "/api/registrations/resend", kPrivate, post_resend_links),
      route(kGet, "/api/registrations/" + code, "/api/registrations/:code", kPrivate, get_registration),
      route(kPost, "/api/registrations/" + code + "/cancel", "/api/registrations/:code/cancel", kPrivate, post_cancel),
      route(kPost, "/api/registrations/" + code + "/confirm", "/api/registrations/:code/confirm", kPrivate,
            post_confirm),
      route(kGet, "/api/registrations/" + code + "/data", "/api/registrations/:code/data", kPrivate, get_personal_data),
      route(kGet, "/api/registrations/" + code + "/calendar\\.ics", "/api/registrations/:code/calendar.ics", kPrivate,
            get_registration_ics),
      route(kGet, "/iscrizione/nuovo-link", "/iscrizione/nuovo-link", kPublic, get_resend_page),
      route(kGet, "/iscrizione/" + code, "/iscrizione/:code", kPrivate, get_registration_page),
      route(kGet, "/iscrizione/" + code + "/ricevuta", "/iscrizione/:code/ricevuta", kPrivate, get_receipt_page),
      route(kGet, "/iscrizione/" + code + "/conferma", "/iscrizione/:code/conferma", kPrivate, get_confirm_page),
      route(kPost, "/iscrizione/" + code + "/conferma", "/iscrizione/:code/conferma", kPrivate, post_confirm_page),
      route(kGet, "/iscrizione/" + code + "/annulla", "/iscrizione/:code/annulla", kPrivate, get_cancel_page),
      route(kGet, "/iscrizione/" + code + "/cambia", "/iscrizione/:code/cambia", kPrivate, get_change_page),
      route(kPost, "/api/registrations/" + code + "/move", "/api/registrations/:code/move", kPrivate, post_move_own),
      route(kGet, "/iscrizione/" + code + "/dati", "/iscrizione/:code/dati", kPrivate, get_personal_data_page),
      route(kGet, "/attestato/" + code, "/attestato/:code", kPrivate, get_certificate),
      admin(kGet, "/api/admin/registrations", "/api/admin/registrations", kStaff, get_admin_registrations),
      admin(kGet, "/api/admin/stats", "/api/admin/stats", kStaff, get_admin_stats),
      admin(kPost, "/api/admin/editions/" + edition + "/attendance", "/api/admin/editions/:id/attendance", kStaff,
            post_admin_attendance),
      // The staff's pause of the site's registrations (the edition page's
      // «Sospendi/Riapri le iscrizioni dal sito»).
      admin(kPost, "/api/admin/editions/" + edition + "/pause", "/api/admin/editions/:id/pause", kStaff,
            post_admin_pause),
      admin(kPost, "/api/admin/editions/" + edition + "/resume", "/api/admin/editions/:id/resume", kStaff,
            post_admin_pause),
      admin(kPost, "/api/admin/registrations/" + code + "/erase", "/api/admin/registrations/:code/erase", kAdmin,
            post_admin_erase),
      admin(kPost, "/api/admin/registrations/" + code + "/cancel", "/api/admin/registrations/:code/cancel", kStaff,
            post_admin_cancel),
      admin(kPost, "/api/admin/registrations/" + code + "/confirm", "/api/admin/registrations/:code/confirm", kStaff,
            post_admin_confirm),
      admin(kPost, "/api/admin/registrations/" + code + "/move", "/api/admin/registrations/:code/move", kStaff,
            post_admin_move),
      // The messages carry each person's private links: admins only.
      admin(kGet, "/api/admin/outbox", "/api/admin/outbox", kAdmin, get_admin_outbox),
      // Proposals of practices: the public form, the proposer's private
      // page and API, the editors' API.
      route(kGet, "/proponi", "/proponi", kPublic, get_proposal_form),
      upload(route(kPost, "/proponi", "/proponi", kPrivate, post_proposal)),
      upload(route(kPost, "/api/proposals/preview", "/api/proposals/preview", kPublic, post_proposal_preview)),
      upload(route(kPost, "/api/proposals", "/api/proposals", kPrivate, post_proposal)),
      route(kGet, "/api/proposals/" + code, "/api/proposals/:code", kPrivate, get_proposal),
      upload(route(kPost, "/api/proposals/" + code + "/resubmit", "/api/proposals/:code/resubmit", kPrivate,
                   post_proposal_resubmit)),
      route(kPost, "/api/proposals/" + code + "/withdraw", "/api/proposals/:code/withdraw", kPrivate,
            post_proposal_withdraw),
      route(kGet, "/proposta/nuovo-link", "/proposta/nuovo-link", kPublic, get_proposal_resend_page),
      route(kPost, "/api/proposals/resend", "/api/proposals/resend", kPrivate, post_proposal_resend),
      route(kGet, "/proposta/" + code, "/proposta/:code", kPrivate, get_proposal_page),
      upload(route(kPost, "/proposta/" + code + "/modifica", "/proposta/:code/modifica", kPrivate,
                   post_proposal_resubmit)),
      route(kPost, "/proposta/" + code + "/ritira", "/proposta/:code/ritira", kPrivate, post_proposal_withdraw),
      route(kGet, "/proposta/" + code + "/modifica", "/proposta/:code/modifica", kPrivate, get_proposal_action),
      route(kGet, "/proposta/" + code + "/ritira", "/proposta/:code/ritira", kPrivate, get_proposal_action),
      admin(kGet, "/api/admin/proposals", "/api/admin/proposals", kEditor, get_admin_proposals),
      admin(kGet, "/api/admin/proposals/" + code, "/api/admin/proposals/:code", kEditor, get_admin_proposal),
      admin(kGet, "/api/admin/proposals/" + code + "/image", "/api/admin/proposals/:code/image", kEditor,
            get_admin_proposal_image),
      admin(kPost, "/api/admin/proposals/" + code + "/accept", "/api/admin/proposals/:code/accept", kEditor,
            post_admin_proposal_decision),
      admin(kPost, "/api/admin/proposals/" + code + "/reject", "/api/admin/proposals/:code/reject", kEditor,
            post_admin_proposal_decision),
      admin(kPost, "/api/admin/proposals/" + code + "/request-changes", "/api/admin/proposals/:code/request-changes",
            kEditor, post_admin_proposal_decision),
      admin(kPost, "/api/admin/proposals/" + code + "/review", "/api/admin/proposals/:code/review", kEditor,
            post_admin_proposal_decision),
      admin(kPost, "/api/admin/proposals/" + code + "/comment", "/api/admin/proposals/:code/comment", kEditor,
            post_admin_proposal_comment),
      upload(admin(kPost, "/api/admin/proposals/" + code + "/edit", "/api/admin/proposals/:code/edit", kEditor,
                   post_admin_proposal_edit)),
      admin(kPost, "/api/admin/proposals/" + code + "/pulled", "/api/admin/proposals/:code/pulled", kEditor,
            post_admin_proposal_pulled),
  };
  for (auto& r : c.guard->login_routes()) table.push_back(std::move(r));
  for (auto& r : staff_routes(c)) table.push_back(std::move(r));
  for (auto& r : proposal_staff_routes(c)) table.push_back(std::move(r));
  return table;
}

}  // namespace

namespace http {

void send_json(Res& res, int status, const nlohmann::json& body) { site::send_json(res, status, body); }

void send_error(Res& res, int status, const std::string& error, const std::string& message) {
  site::send_error(res, status, error, text::capitalised(message));
}

void send_fields(Res& res, const FieldErrors& fields) {
  send_json(res, 400, {{"error", "validation"}, {"message", "Controlla i campi indicati"}, {"fields", fields}});
}

namespace {

// How an engine Status is answered, the same for the API and for a page:
// the HTTP status, the API's error code, the page's title and the message
// (the service's own words when the store failed, which are logged).
struct StatusAnswer {
  int status;
  const char* error;
  const char* title;
  std::string message;
};

StatusAnswer answer_for(const Status& s) {
  switch (s.code()) {
    case Code::kOk:
      return {200, "", "Fatto", "fatto"};
    case Code::kNotFound:
      return {404, "not_found", "Non trovato", s.message()};
    case Code::kInvalidArgument:
      return {400, "bad_request", "Richiesta non valida", s.message()};
    case Code::kConflict:
      return {409, "conflict", "Non è possibile", s.message()};
    default:
      std::cerr << "registration: " << s.message() << "\n";
      return {503, "unavailable", "Servizio momentaneamente non disponibile",
              "servizio momentaneamente non disponibile: riprova tra qualche minuto"};
  }
}

}  // namespace

void send_status(Res& res, const Status& s) {
  if (s.is_ok()) return send_json(res, 200, nlohmann::json::object());
  const StatusAnswer a = answer_for(s);
  send_error(res, a.status, a.error, a.message);
}

void send_status_page(const site::Pages& pages, Res& res, const Status& s) {
  const StatusAnswer a = answer_for(s);
  std::string text = text::sentence(a.message);
  // A form's typed data are a step back in the browser: said where the
  // service, not the request, failed.
  if (a.status == 503) {
    text += " Se stavi inviando un modulo, con il tasto «Indietro» del browser ritrovi quello che avevi scritto.";
    res.set_header("Retry-After", "60");
  }
  send_html(res, a.status, html::message(pages, a.title, text));
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

std::multimap<std::string, std::string> parse_urlencoded_pairs(std::string_view body) {
  std::multimap<std::string, std::string> out;
  auto decode = [](std::string_view s) {
    std::string plus_as_space(s);
    for (char& c : plus_as_space)
      if (c == '+') c = ' ';
    return text::percent_decode(plus_as_space);
  };
  while (!body.empty()) {
    const std::size_t amp = body.find('&');
    const std::string_view pair = body.substr(0, amp);
    body = amp == std::string_view::npos ? std::string_view() : body.substr(amp + 1);
    if (pair.empty()) continue;
    const std::size_t eq = pair.find('=');
    out.emplace(decode(pair.substr(0, eq)), eq == std::string_view::npos ? std::string() : decode(pair.substr(eq + 1)));
  }
  return out;
}

std::map<std::string, std::string> parse_urlencoded(std::string_view body) {
  std::map<std::string, std::string> out;
  for (auto& [name, value] : parse_urlencoded_pairs(body)) out[name] = std::move(value);
  return out;
}

std::map<std::string, std::string> form_fields(const Req& req) {
  if (req.is_multipart_form_data()) {
    std::map<std::string, std::string> out;
    for (const auto& [name, part] : req.files) out[name] = part.content;
    return out;
  }
  return parse_urlencoded(req.body);
}

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

namespace {

// "1 secondo", "45 secondi", "3 minuti": how long to wait before retrying.
std::string retry_wait(int seconds) {
  return seconds < 120 ? text::count_noun(seconds, "secondo", "secondi")
                       : text::count_noun((seconds + 59) / 60, "minuto", "minuti");
}

}  // namespace

void send_rate_limited(Res& res, int retry_after_seconds, const std::string& message) {
  res.set_header("Retry-After", std::to_string(retry_after_seconds));
  send_error(res, 429, "rate_limited", message + ": riprova tra " + retry_wait(retry_after_seconds));
}

void send_rate_limited(const Context& ctx, const Req& req, Res& res, int retry_after_seconds) {
  if (!is_form(req)) return send_rate_limited(res, retry_after_seconds, "troppe richieste da questo indirizzo");
  res.set_header("Retry-After", std::to_string(retry_after_seconds));
  const std::string title = "Troppi invii in poco tempo";
  const std::string text = "Da questa connessione sono arrivati troppi invii in poco tempo: riprova tra " +
                           retry_wait(retry_after_seconds) +
                           ". Il modulo non è stato inviato; con il tasto «Indietro» del browser ritrovi quello "
                           "che avevi scritto.";
  // A proposer sees the proposals' section of the menu, as on the form.
  const bool proposal = req.path == "/proponi" || req.path.rfind("/proposta/", 0) == 0 ||
                        req.path.rfind("/api/proposals", 0) == 0;
  send_html(res, 429,
            proposal ? html::proposal_message(*ctx.pages, title, text) : html::message(*ctx.pages, title, text));
}

std::string client_address(const Context& ctx, const Req& req) {
  return site::client_of(req, ctx.options.trusted_proxies).address;
}

bool take_resend(Context& ctx, const std::string& scope, const std::string& email) {
  return ctx.resend_limiter->take(scope + ":" + text::fold_lower(text::trim(email))).allowed;
}

bool admit_post(Context& ctx, const Req& req, Res& res) {
  if (const auto d = ctx.limiter->take(client_address(ctx, req)); !d.allowed) {
    send_rate_limited(ctx, req, res, d.retry_after_seconds);
    return false;
  }
  if (req.body.size() > ctx.options.max_body_bytes) {
    send_error(res, 413, "too_large", "richiesta troppo grande");
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

namespace {

// An integer environment variable in [min, max]; Invalid names it and says
// the range it takes.
Status env_int(const char* name, long max, int* out, long min = 0) {
  const char* v = std::getenv(name);
  if (!v || !*v) return Status::ok();
  char* end = nullptr;
  const long n = std::strtol(v, &end, 10);
  if (*end != '\0' || n < min || n > max)
    return Status::invalid(std::string(name) + " deve essere un numero intero da " + std::to_string(min) + " a " +
                           std::to_string(max));
  *out = static_cast<int>(n);
  return Status::ok();
}

}  // namespace

Status apply_environment(Options* o) {
  if (const char* v = std::getenv("BP_DATABASE_URL"); v && *v) o->database_url = v;
  if (const char* v = std::getenv("BP_ADMIN_TOKEN"); v && *v) o->admin_token = v;
  if (const char* v = std::getenv("BP_MAIL_COMMAND"); v && *v) o->mail_command = v;
  if (const char* v = std::getenv("BP_MAIL_FROM"); v && *v) o->mail_from = v;
  if (const char* v = std::getenv("BP_PUBLIC_URL"); v && *v) {
    o->public_base_url = v;
  } else if (const char* old = std::getenv("BP_PUBLIC_BASE_URL"); old && *old) {
    std::cerr << "attenzione: BP_PUBLIC_BASE_URL è deprecata e sarà rimossa: usa BP_PUBLIC_URL\n";
    o->public_base_url = old;
  }
  if (const char* v = std::getenv("BP_CONTROLLER_NAME"); v && *v) o->controller_name = v;
  if (const char* v = std::getenv("BP_CONTROLLER_CONTACT"); v && *v) o->controller_contact = v;
  if (const char* v = std::getenv("BP_CONFIRM_EMAIL"); v && *v) {
    const std::string s = v;
    if (s != "0" && s != "1") return Status::invalid("BP_CONFIRM_EMAIL deve essere 0 (conferma spenta) o 1");
    o->confirm_email = s == "1";
  }
  if (Status s = env_int("BP_RATE_LIMIT", 1000000, &o->rate_limit_per_minute); !s.is_ok()) return s;
  if (Status s = env_int("BP_MAX_PENDING", 1000, &o->max_pending_per_address); !s.is_ok()) return s;
  if (Status s = env_int("BP_DATABASE_POOL", 1000, &o->database_pool_size, 1); !s.is_ok()) return s;
  if (Status s = env_int("BP_CERTIFICATE_SHARE", 100, &o->certificate_share_percent); !s.is_ok()) return s;
  if (Status s = env_int("BP_MAIL_TEXT_DAYS", 3650, &o->mail_text_days); !s.is_ok()) return s;
  if (Status s = env_int("BP_ANALYTICS_RETENTION_MONTHS", 1200, &o->analytics_retention_months); !s.is_ok())
    return s;
  if (Status s = env_int("BP_ANALYTICS_MIN_SEARCHES", 1000000, &o->analytics_min_searches); !s.is_ok()) return s;
  if (Status s = env_int("BP_ANALYTICS_FLUSH_SECONDS", 86400, &o->analytics_flush_seconds); !s.is_ok()) return s;
  if (Status s = env_int("BP_REMINDER_HOURS", 30 * 24, &o->reminder_hours); !s.is_ok()) return s;
  int minutes = -1;
  if (Status s = env_int("BP_HOLD_MINUTES", 7 * 24 * 60, &minutes); !s.is_ok()) return s;
  if (minutes == 0) return Status::invalid("BP_HOLD_MINUTES deve essere almeno 1 (per non chiedere la conferma: BP_CONFIRM_EMAIL=0)");
  if (minutes > 0) o->hold_seconds = minutes * 60;
  int hours = -1;
  if (Status s = env_int("BP_OFFER_HOURS", 14 * 24, &hours); !s.is_ok()) return s;
  if (hours == 0)
    return Status::invalid(
        "BP_OFFER_HOURS deve essere almeno 1: sono le ore per confermare un posto liberato "
        "per chi è in lista d'attesa");
  if (hours > 0) o->offer_seconds = hours * 3600;
  return Status::ok();
}

std::string options_problem(const Options& o) {
  if (!o.admin_token.empty() && o.admin_token.size() < 32)
    return "il token di amministrazione è troppo corto (" + std::to_string(o.admin_token.size()) +
           " caratteri, ne servono almeno 32): generane uno con `openssl rand -hex 32`";
  if (!text::is_local_url(o.public_base_url) && (o.controller_name.empty() || o.controller_contact.empty()))
    return "manca il titolare del trattamento dei dati (informativa privacy, art. 13 GDPR): impostare "
           "BP_CONTROLLER_NAME e BP_CONTROLLER_CONTACT prima di pubblicare lo sportello su " +
           o.public_base_url;
  return "";
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
  return open_with_hooks(options, taxonomy, pages, {});
}

Result<std::unique_ptr<Module>> open_with_hooks(const Options& options, const Taxonomy& taxonomy,
                                                const site::Pages& pages, StoreTestHooks hooks) {
  if (std::string problem = options_problem(options); !problem.empty()) return Status::invalid(problem);
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
  const int hold = options.confirm_email ? std::max(1, options.hold_seconds) : 0;
  StoreOptions store_options;
  store_options.hold_seconds = hold;
  store_options.offer_seconds = options.offer_seconds;
  store_options.max_pending_per_address = options.max_pending_per_address;
  store_options.pool_size = options.database_pool_size;
  Composer compose = make_composer(*catalogue, options.public_base_url, hold, options.offer_seconds);
  // Trying the flow on one machine: the site is on this machine's own
  // address. Anything else is a real site, whose links are personal.
  const bool local_site = text::is_local_url(options.public_base_url);
  if (options.mail_command.empty() && !local_site)
    std::cerr << "bp-server: attenzione: BP_MAIL_COMMAND non è impostato: nessuna e-mail parte (conferme, "
                 "promemoria, messaggi dello staff restano nella coda, /staff/messaggi)\n";
  if (options.mail_command.empty() && hold > 0 && local_site) {
    // No mail is sent: print each confirmation link so that the whole flow
    // can be tried on one machine (the message stays in the outbox too).
    // Never for a public site: the journal is no place for personal links.
    compose = [inner = std::move(compose), base = options.public_base_url](MessageKind kind, const Registration& r) {
      if (!r.confirm_token.empty())
        std::cerr << "registration: link di conferma dell'iscrizione " << r.code << ": " << base << "/iscrizione/"
                  << r.code << "/conferma?token=" << r.confirm_token << "\n";
      return inner(kind, r);
    };
  }
  auto clock = hooks.clock;
  auto desk_clock = hooks.desk_clock;
  auto claim = claim_store_for_server({options.database_url, options.data_dir});
  if (!claim.ok()) return claim.status();
  ctx->claim = std::move(*claim);
  auto store = open_store_with_hooks(options.database_url, options.data_dir, std::move(compose), store_options,
                                     std::move(hooks));
  if (!store.ok()) return store.status();
  ctx->store = std::move(*store);
  std::vector<EditionSeats> seats;
  for (const auto& a : catalogue->activities)
    for (const auto& e : a.editions)
      seats.push_back({e.id, e.capacity, has_calendar(e) ? e.sessions.front().start_utc : 0, e.end_utc});
  if (Status s = ctx->store->sync_editions(seats); !s.is_ok()) return s;
  DeskOptions desk_options;
  desk_options.public_base_url = options.public_base_url;
  desk_options.privacy_version = options.privacy_version;
  desk_options.hold_seconds = hold;
  desk_options.clock = desk_clock;
  ctx->desk = std::make_unique<Desk>(std::move(*catalogue), taxonomy, *ctx->store, desk_options);
  ctx->limiter = std::make_unique<RateLimiter>(options.rate_limit_per_minute, std::chrono::seconds(60));
  ctx->admin_failures =
      std::make_unique<RateLimiter>(options.admin_failures_per_10_minutes, std::chrono::seconds(600));
  ctx->resend_limiter = std::make_unique<RateLimiter>(options.resend_per_email_per_hour, std::chrono::seconds(3600));
  ctx->hasher = std::make_unique<PasswordHasher>(PasswordCost{options.password_passes, options.password_memory_bytes});
  GuardOptions guard;
  guard.legacy_admin_token = options.admin_token;
  guard.secure_cookie = options.public_base_url.rfind("https://", 0) == 0;
  guard.trusted_proxies = options.trusted_proxies;
  guard.clock = clock;
  ctx->guard = std::make_unique<StaffAuth>(ctx->store->accounts(), pages, *ctx->hasher, *ctx->admin_failures,
                                           std::move(guard));
  ProposalDeskOptions proposal_options;
  proposal_options.public_base_url = options.public_base_url;
  proposal_options.privacy_version = options.privacy_version;
  proposal_options.index_dir = options.index_dir;
  // Each proposal to read is told to the editors' accounts (enabled), or
  // to the administrators' when there is no editor yet.
  proposal_options.editors = [store = ctx->store.get()] {
    std::vector<std::string> editors, admins;
    if (auto accounts = store->accounts().list_accounts(); accounts.ok())
      for (const Account& a : *accounts) {
        if (a.disabled) continue;
        if (a.role == Role::kEditor) editors.push_back(a.email);
        if (a.role == Role::kAdmin) admins.push_back(a.email);
      }
    return editors.empty() ? admins : editors;
  };
  ctx->proposals = std::make_unique<ProposalDesk>(taxonomy, ctx->store->proposals(), proposal_options);
  OutboxOptions o;
  o.mail_command = options.mail_command;
  o.from = options.mail_from;
  o.retry_base_seconds = options.outbox_retry_base_seconds;
  o.poll_seconds = std::max(1, options.worker_poll_seconds);
  o.keep_sent_text_seconds = options.mail_text_days * 24 * 3600;
  if (options.analytics_retention_months > 0) {
    ctx->tally = std::make_unique<QueryTally>();
    AnalyticsFlushOptions flush;
    flush.retention_months = options.analytics_retention_months;
    flush.flush_seconds = std::max(1, options.analytics_flush_seconds);
    ctx->analytics = std::make_unique<AnalyticsFlusher>(*ctx->tally, ctx->store->analytics(), flush,
                                                        [desk = ctx->desk.get()] { return desk->now(); });
  }
  // The reminders before first meetings: looked for once a minute (a
  // catalogue walk, and a read per edition due).
  Composer remind = make_composer(ctx->desk->catalogue(), options.public_base_url, hold, options.offer_seconds);
  o.each_round = [desk = ctx->proposals.get(), analytics = ctx->analytics.get(), registrations = ctx->desk.get(),
                  store = ctx->store.get(), remind = std::move(remind), hours = options.reminder_hours,
                  last = std::int64_t{0}]() mutable {
    desk->publish_pulled();
    if (analytics) analytics->each_round();
    if (hours <= 0 || registrations->now() - last < 60) return;
    last = registrations->now();
    for (const Edition* e : registrations->editions_to_remind(hours))
      if (auto n = store->back_office().queue_reminders(e->id, remind); !n.ok())
        std::cerr << "registration: promemoria " << e->id << ": " << n.status().message() << "\n";
  };
  ctx->worker = std::make_unique<OutboxWorker>(*ctx->store, o);
  ctx->table = routes(*ctx);
  return std::unique_ptr<Module>(std::move(ctx));
}

}  // namespace bp::registration
