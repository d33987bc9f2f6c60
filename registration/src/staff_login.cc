// The staff's login and logout (the guard's own routes).
#include <algorithm>

#include "bp/civil_time.h"
#include "bp/site/respond.h"
#include "crypto.h"
#include "http_context.h"
#include "staff_auth.h"

namespace bp::registration {

namespace {

std::string trim_lower(std::string s) {
  const auto b = s.find_first_not_of(" \t\r\n");
  const auto e = s.find_last_not_of(" \t\r\n");
  s = b == std::string::npos ? "" : s.substr(b, e - b + 1);
  for (char& c : s)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return s.substr(0, 254);
}

// The cookie's attributes: only the staff pages ever receive it, never a
// script, never from another site.
std::string cookie(const std::string& value, bool secure, bool clear) {
  std::string c = std::string(StaffAuth::kCookie) + "=" + value + "; Path=/staff; HttpOnly; SameSite=Strict";
  if (secure) c += "; Secure";
  if (clear) c += "; Max-Age=0";
  return c;
}

}  // namespace

site::RouteTable StaffAuth::login_routes() const {
  using site::Method;
  const unsigned everyone = site::kAnyStaffRole;
  return {
      site::Route{Method::kGet, "/staff/login", "/staff/login", site::Access::kPrivate,
                  [this](const httplib::Request& req, httplib::Response& res) { get_login(req, res); }},
      site::Route{Method::kPost, "/staff/login", "/staff/login", site::Access::kPrivate,
                  [this](const httplib::Request& req, httplib::Response& res) { post_login(req, res); }},
      page(Method::kPost, "/staff/logout", "/staff/logout", everyone,
           [this](const Principal& who, const httplib::Request& req, httplib::Response& res) {
             post_logout(who, req, res);
           }),
  };
}

void StaffAuth::render_login(httplib::Response& res, int status, const std::string& email, const std::string& next,
                             const std::string& error, bool logged_out, bool password_changed) const {
  site::Shell shell;
  shell.title = "Accesso staff";
  shell.noindex = true;
  shell.styles = {"/css/staff.css"};
  shell.body_class = "staff";
  auto html = pages_.render("staff_login",
                            {{"email", email},
                             {"next", next},
                             {"error", error},
                             {"logged_out", logged_out},
                             {"password_changed", password_changed}},
                            shell);
  if (!html.ok()) return http::send_status(res, Status::io(html.status().message()));
  site::send_html(res, status, *html, "no-store");
}

void StaffAuth::get_login(const httplib::Request& req, httplib::Response& res) const {
  http::private_headers(res);
  const std::string next = safe_next(req.get_param_value("dopo"));
  if (const auto live = session_principal(req); live.ok() && *live) {
    res.status = 303;
    res.set_header("Location", next);
    return;
  }
  render_login(res, 200, "", next, "", req.get_param_value("uscito") == "1",
               req.get_param_value("password") == "cambiata");
}

void StaffAuth::post_login(const httplib::Request& req, httplib::Response& res) const {
  http::private_headers(res);
  // No session yet, hence no CSRF token: a browser says where the form
  // came from, and a login posted from another site is refused.
  if (req.get_header_value("Sec-Fetch-Site") == "cross-site")
    return send_message_page(res, 403, "Accesso non consentito", "Accedi dalla pagina di accesso dello sportello.");
  if (req.body.size() > 8192) return send_message_page(res, 413, "Richiesta troppo grande", "Richiesta troppo grande.");
  const auto fields = http::form_fields(req);
  auto field = [&](const char* name) {
    auto it = fields.find(name);
    return it == fields.end() ? std::string() : it->second;
  };
  const std::string email = trim_lower(field("email"));
  const std::string password = field("password");
  const std::string next = safe_next(field("dopo"));
  const std::int64_t t = now();
  auto account = accounts_.find_account(email);
  if (!account.ok() && account.status().code() != Code::kNotFound)
    return http::send_status_page(pages_, res, account.status());
  // What a failed attempt is recorded under: the account's address; for an
  // address no account has (a slip, or a password typed in the wrong box)
  // a digest of it, the same at every attempt for the throttle and
  // unreadable in the log.
  const std::string target = email.empty()  ? std::string("-")
                             : account.ok() ? account->email
                                            : "sconosciuto-" + to_hex(sha256(email)).substr(0, 12);
  // Throttled before the password is even looked at, whatever it is.
  auto refused = throttled(target, req, account.ok() ? account->password_changed_at : "");
  if (!refused.ok()) return http::send_status_page(pages_, res, refused.status());
  Principal anonymous;
  anonymous.email = email.empty() ? "(vuoto)" : account.ok() ? account->email : "(account sconosciuto)";
  if (*refused) {
    record(anonymous, req, "login_throttled", target, "accesso rifiutato: troppi tentativi non riusciti");
    res.set_header("Retry-After", std::to_string(options_.failure_window_seconds));
    return render_login(res, 429, email, next,
                        "Troppi tentativi di accesso non riusciti per questo account o da questo indirizzo: "
                        "riprova tra qualche minuto (al più tardi tra " +
                            std::to_string(options_.failure_window_seconds / 60) + ").");
  }
  // An unknown account is verified against a dummy hash: same answer, same time.
  const bool known = account.ok() && !account->disabled;
  const bool match = hasher_.verify(known ? account->password_hash : std::string(), password);
  if (!match || email.empty()) {
    record(anonymous, req, "login_failed", target, "e-mail o password non corretti");
    return render_login(res, 401, email, next, "E-mail o password non corretti.");
  }
  // A new id at every login: an id planted before it is worthless.
  const std::string id = random_base32(32);  // 256 bits
  if (Status s = accounts_.create_session(to_hex(sha256(id)), account->id, t); !s.is_ok())
    return http::send_status_page(pages_, res, s);
  (void)accounts_.mark_login(account->id);
  Principal who{account->id, account->email, account->role, true, csrf_token_for(id), "", client(req).address};
  record(who, req, "login", account->email);
  res.set_header("Set-Cookie", cookie(id, options_.secure_cookie || client(req).https, false));
  res.status = 303;
  res.set_header("Location", next);
}

Result<bool> StaffAuth::throttled(const std::string& target, const httplib::Request& req,
                                  const std::string& password_changed_at) const {
  const std::int64_t since = now() - options_.failure_window_seconds;
  const std::int64_t changed = utc_iso_seconds(password_changed_at).value_or(0);
  const std::string address = client(req).address;
  auto from_here = accounts_.count_audit("login_failed", std::max(since, changed), target, address);
  if (!from_here.ok()) return from_here.status();
  auto by_account = accounts_.count_audit("login_failed", std::max(since, changed), target, "");
  if (!by_account.ok()) return by_account.status();
  auto by_address = accounts_.count_audit("login_failed", since, "", address);
  if (!by_address.ok()) return by_address.status();
  return *from_here >= options_.failures_per_account || *by_account >= options_.failures_per_account_everywhere ||
         *by_address >= options_.failures_per_address;
}

StaffGuard::PasswordCheck StaffAuth::check_own_password(const Principal& who, const httplib::Request& req,
                                                        const std::string& password) const {
  if (who.account_id == 0) return PasswordCheck::kWrong;
  auto account = accounts_.account_by_id(who.account_id);
  if (!account.ok()) return PasswordCheck::kWrong;
  // A store error counts as throttled: the check never passes unchecked.
  auto refused = throttled(account->email, req, account->password_changed_at);
  if (!refused.ok() || *refused) {
    record(who, req, "login_throttled", account->email,
           "password attuale non verificata: troppi tentativi non riusciti");
    return PasswordCheck::kThrottled;
  }
  if (hasher_.verify(account->password_hash, password)) return PasswordCheck::kRight;
  record(who, req, "login_failed", account->email, "password attuale non corretta (cambio password)");
  return PasswordCheck::kWrong;
}

void StaffAuth::post_logout(const Principal& who, const httplib::Request& req, httplib::Response& res) const {
  (void)accounts_.end_session(who.session_hash);
  record(who, req, "logout", who.email);
  res.set_header("Set-Cookie", cookie("", options_.secure_cookie || client(req).https, true));
  res.status = 303;
  res.set_header("Location", "/staff/login?uscito=1");
}

}  // namespace bp::registration
