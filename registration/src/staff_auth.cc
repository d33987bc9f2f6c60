// StaffAuth: the guard of every staff page and admin API route.
#include "staff_auth.h"

#include <chrono>
#include <iostream>

#include "bp/site/respond.h"
#include "crypto.h"
#include "http_context.h"

namespace bp::registration {

unsigned role_bit(Role role) {
  switch (role) {
    case Role::kAdmin: return site::kRoleAdmin;
    case Role::kEditor: return site::kRoleEditor;
    default: return site::kRoleStaff;
  }
}

std::string csrf_token_for(const std::string& session_id) { return to_hex(sha256("bp-staff-csrf:" + session_id)); }

std::string safe_next(const std::string& next) {
  const bool ok = (next == "/staff" || next.rfind("/staff/", 0) == 0) && next.find("//") == std::string::npos &&
                  next.find_first_of("\r\n\\") == std::string::npos;
  return ok ? next : "/staff/";
}

namespace {

// The value of cookie `name` in the request's Cookie header ("" when none).
std::string cookie_value(const httplib::Request& req, const std::string& name) {
  const std::string header = req.get_header_value("Cookie");
  std::size_t pos = 0;
  while (pos < header.size()) {
    std::size_t end = header.find(';', pos);
    if (end == std::string::npos) end = header.size();
    std::string pair = header.substr(pos, end - pos);
    const auto b = pair.find_first_not_of(' ');
    pair = b == std::string::npos ? "" : pair.substr(b);
    if (pair.rfind(name + "=", 0) == 0) return pair.substr(name.size() + 1);
    pos = end + 1;
  }
  return {};
}

// The server adds X-Frame-Options: DENY and its CSP (frame-ancestors
// 'none') to every answer; these say the answer is private.
void guarded_headers(httplib::Response& res) { http::private_headers(res); }

struct NavEntry {
  const char* key;
  const char* href;
  const char* label;
  unsigned roles;
};

constexpr NavEntry kStaffNav[] = {
    {"cruscotto", "/staff/", "Cruscotto", site::kDeskRoles},
    {"persone", "/staff/persone", "Persone", site::kDeskRoles},
    {"tutoraggio", "/staff/tutoraggio", "Tutoraggio", site::kDeskRoles},
    {"messaggi", "/staff/messaggi", "Messaggi", site::kDeskRoles},
    {"proposte", "/staff/proposte", "Proposte", site::kEditorialRoles},
    {"rendicontazione", "/staff/rendicontazione", "Rendicontazione", site::kDeskRoles},
    {"ricerche", "/staff/ricerche", "Ricerche", site::kEditorialRoles},
    {"account", "/staff/account", "Account e token", site::kRoleAdmin},
    {"registro", "/staff/registro", "Registro attività", site::kRoleAdmin},
    {"fine-programma", "/staff/fine-programma", "Fine programma", site::kRoleAdmin},
};

}  // namespace

StaffAuth::StaffAuth(AccountStore& accounts, const site::Pages& pages, const PasswordHasher& hasher,
                     RateLimiter& api_failures, GuardOptions options)
    : accounts_(accounts), pages_(pages), hasher_(hasher), api_failures_(api_failures), options_(std::move(options)) {}

std::int64_t StaffAuth::now() const {
  if (options_.clock) return options_.clock();
  return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

Result<std::optional<Principal>> StaffAuth::session_principal(const httplib::Request& req) const {
  const std::string id = cookie_value(req, kCookie);
  if (id.empty() || id.size() > 128) return std::optional<Principal>();
  const std::string hash = to_hex(sha256(id));
  auto account = accounts_.touch_session(hash, now(), options_.limits);
  if (!account.ok()) {
    if (account.status().code() == Code::kNotFound) return std::optional<Principal>();
    std::cerr << "staff: sessione non verificabile: " << account.status().message() << "\n";
    return account.status();
  }
  Principal p;
  p.account_id = account->id;
  p.email = account->email;
  p.role = account->role;
  p.by_session = true;
  p.csrf_token = csrf_token_for(id);
  p.session_hash = hash;
  p.address = client(req).address;
  return std::optional<Principal>(std::move(p));
}

site::Route StaffAuth::page(site::Method method, std::string pattern, std::string label, unsigned roles,
                            StaffHandler handler) const {
  auto guarded = [this, roles, method, h = std::move(handler)](const httplib::Request& req, httplib::Response& res) {
    guarded_headers(res);
    auto found = session_principal(req);
    // The database cannot say whether the session is live: 503 with
    // Retry-After, not the login page (which would say it ended).
    if (!found.ok())
      return send_message_page(res, 503, "Servizio momentaneamente non disponibile",
                               "L'area dello staff non è raggiungibile in questo momento: riprova tra "
                               "qualche minuto. La tua sessione resta valida.",
                               "60");
    const std::optional<Principal>& who = *found;
    if (!who) {
      // The path alone: a staff page's path holds no personal data.
      res.status = 303;
      res.set_header("Location", "/staff/login?dopo=" + httplib::detail::encode_query_param(safe_next(req.path)));
      return;
    }
    if ((roles & role_bit(who->role)) == 0)
      return send_message_page(res, 403, "Accesso non consentito",
                               "Il tuo account (" + std::string(role_label(who->role)) +
                                   ") non può usare questa pagina: chiedi a chi amministra lo sportello.");
    if (method == site::Method::kPost) {
      const auto fields = http::form_fields(req);
      const auto it = fields.find("csrf");
      if (it == fields.end() || !constant_time_equal(sha256(it->second), sha256(who->csrf_token)))
        return send_message_page(res, 403, "Modulo scaduto",
                                 "Il modulo non è più valido (è stato aperto prima dell'ultimo accesso, o "
                                 "da un altro sito): torna indietro, ricarica la pagina e riprova.");
    }
    h(*who, req, res);
  };
  return site::Route{method, std::move(pattern), std::move(label), site::Access::kPrivate, std::move(guarded), roles};
}

site::Route StaffAuth::api(site::Method method, std::string pattern, std::string label, unsigned roles,
                           StaffHandler handler) const {
  auto guarded = [this, roles, h = std::move(handler)](const httplib::Request& req, httplib::Response& res) {
    guarded_headers(res);
    const std::string auth = req.get_header_value("Authorization");
    const std::string presented = auth.rfind("Bearer ", 0) == 0 ? auth.substr(7) : std::string();
    // An address that failed too often is refused whatever it sends, but a
    // personal token: 256 random bits (create_api_token), which no number
    // of tries guesses, so accepting it tells a guesser nothing, and a
    // guesser behind the staff's address (one NAT, one proxy) does not lock
    // the staff's scripts out. BP_ADMIN_TOKEN, chosen by a person, waits.
    const auto throttle = api_failures_.peek(client(req).address);
    auto refused = [&] {
      return http::send_rate_limited(res, throttle.retry_after_seconds,
                                     "troppi tentativi di accesso non riusciti da questo indirizzo");
    };
    std::optional<Principal> who;
    if (presented.empty() && !throttle.allowed) return refused();
    if (!presented.empty()) {
      if (auto account = accounts_.account_for_token(to_hex(sha256(presented))); account.ok()) {
        who = Principal{account->id, account->email, account->role, false, "", "", client(req).address};
      } else if (account.status().code() != Code::kNotFound) {
        return http::send_status(res, account.status());
      } else if (!throttle.allowed) {
        return refused();
      } else if (!options_.legacy_admin_token.empty() &&
                 constant_time_equal(sha256(presented), sha256(options_.legacy_admin_token))) {
        // Digests compared: constant time whatever the lengths.
        who = Principal{0, "BP_ADMIN_TOKEN", Role::kAdmin, false, "", "", client(req).address};
        // Once an hour at most: a script calling every second must not
        // flood the log.
        const std::int64_t t = now();
        if (t - legacy_warned_at_.load() >= 3600)
          if (auto n = accounts_.count_accounts(); n.ok() && *n > 0) {
            legacy_warned_at_ = t;
            std::cerr << "attenzione: BP_ADMIN_TOKEN è deprecato ora che esistono account personali: crea un token "
                         "personale (bp-admin token add EMAIL, o la pagina Account e token) e togli BP_ADMIN_TOKEN\n";
          }
      }
    }
    if (!who) {
      if (options_.legacy_admin_token.empty()) {
        if (auto n = accounts_.count_accounts(); n.ok() && *n == 0)
          return http::send_error(res, 403, "forbidden",
                                  "area riservata non attiva: crea un account con `bp-admin user add` (o configura "
                                  "BP_ADMIN_TOKEN)");
      }
      // Only a token that was tried and failed counts: a request without
      // one (a browser, a monitor, a script before it is configured)
      // guesses nothing, and must not lock out the valid tokens of others
      // behind the same address.
      if (!presented.empty()) api_failures_.take(client(req).address);
      res.set_header("WWW-Authenticate", "Bearer");
      return http::send_error(res, 401, "unauthorized", "token di amministrazione mancante o non valido");
    }
    if ((roles & role_bit(who->role)) == 0)
      return http::send_error(res, 403, "forbidden",
                              "il ruolo del token (" + std::string(role_label(who->role)) +
                                  ") non consente questa operazione");
    h(*who, req, res);
  };
  return site::Route{method, std::move(pattern), std::move(label), site::Access::kPrivate, std::move(guarded), roles};
}

void StaffAuth::record(const Principal& who, const httplib::Request& req, const std::string& action,
                       const std::string& target, const std::string& details) const {
  AuditEntry e;
  e.account_id = who.account_id;
  e.actor = who.email;
  e.address = client(req).address;
  e.action = action;
  e.target = target;
  e.details = details;
  if (Status s = accounts_.append_audit(e); !s.is_ok())
    std::cerr << "staff: registro attività non scritto (" << action << "): " << s.message() << "\n";
}

void StaffAuth::send_page(const Principal& who, httplib::Response& res, const std::string& name,
                          const std::string& title, nlohmann::json view, int status) const {
  const std::string section = view.value("section", std::string());
  nlohmann::json nav = nlohmann::json::array();
  for (const auto& e : kStaffNav)
    if (e.roles & role_bit(who.role))
      nav.push_back({{"href", e.href}, {"label", e.label}, {"current", section == e.key}});
  view["staff"] = {{"email", who.email},      {"role", role_label(who.role)},
                   {"nav", nav},              {"is_admin", who.role == Role::kAdmin},
                   {"csrf", who.csrf_token}};
  view["csrf"] = who.csrf_token;
  site::Shell shell;
  shell.title = title + " – Area staff";
  shell.noindex = true;
  shell.styles = {"/css/staff.css"};
  shell.scripts = {"/js/staff.js"};
  shell.body_class = "staff";
  auto html = pages_.render(name, view, shell);
  if (!html.ok()) return http::send_status(res, Status::io(html.status().message()));
  res.status = status;
  site::send_html(res, status, *html, "no-store");
}

void StaffAuth::send_message_page(httplib::Response& res, int status, const std::string& title, const std::string& text,
                                  const std::string& retry_after) const {
  if (!retry_after.empty()) res.set_header("Retry-After", retry_after);
  site::Shell shell;
  shell.title = title;
  shell.noindex = true;
  shell.styles = {"/css/staff.css"};
  shell.body_class = "staff";
  auto html = pages_.render("staff_message", {{"title", title}, {"text", text}}, shell);
  if (!html.ok()) return http::send_error(res, status, "forbidden", text);
  site::send_html(res, status, *html, "no-store");
}

}  // namespace bp::registration
