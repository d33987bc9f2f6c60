// The staff guard's implementation (bp/registration/staff_guard.h): sessions
// in the store, personal API tokens, the shared legacy token, the login
// throttle, and the login and logout routes (staff_login.cc).
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include "bp/registration/account_store.h"
#include "bp/registration/staff_guard.h"
#include "bp/site/client.h"
#include "bp/site/pages.h"
#include "password.h"
#include "rate_limiter.h"

namespace bp::registration {

struct GuardOptions {
  // The shared bearer token of before the accounts (BP_ADMIN_TOKEN); empty:
  // none. Admitted with the admin role; once an account exists every use
  // logs a deprecation warning on stderr.
  std::string legacy_admin_token;
  // Adds Secure to the session cookie (the public URL is https); a request
  // that came over HTTPS through a trusted proxy gets it as well.
  bool secure_cookie = false;
  // Proxies whose X-Forwarded-For / -Proto are believed (bp/site/client.h):
  // the address in the audit log and the login throttle is the client's.
  site::TrustedProxies trusted_proxies;
  SessionLimits limits;
  // Failed logins allowed per account (the e-mail typed) from one client
  // address, per account from all addresses together, and per address, in
  // any `failure_window_seconds`; beyond them logins are refused with a 429
  // page until the oldest failure leaves the window. Counted in the audit
  // log, so they hold across server processes. The first is per address so
  // that a stranger's five tries do not lock the account's owner out
  // elsewhere; the second still bounds guessing spread over many addresses.
  int failures_per_account = 5;
  int failures_per_account_everywhere = 50;
  int failures_per_address = 20;
  std::int64_t failure_window_seconds = 15 * 60;
  // Seconds since the epoch; empty means the system clock (tests set it).
  std::function<std::int64_t()> clock;
};

class StaffAuth final : public StaffGuard {
 public:
  // Keeps references to every argument; they must outlive the guard.
  StaffAuth(AccountStore& accounts, const site::Pages& pages, const PasswordHasher& hasher,
            RateLimiter& api_failures, GuardOptions options);

  site::Route page(site::Method method, std::string pattern, std::string label, unsigned roles,
                   StaffHandler handler) const override;
  site::Route api(site::Method method, std::string pattern, std::string label, unsigned roles,
                  StaffHandler handler) const override;
  void record(const Principal& who, const httplib::Request& req, const std::string& action,
              const std::string& target, const std::string& details = "") const override;
  void send_page(const Principal& who, httplib::Response& res, const std::string& name, const std::string& title,
                 nlohmann::json view, int status = 200) const override;

  PasswordCheck check_own_password(const Principal& who, const httplib::Request& req,
                                   const std::string& password) const override;

  // GET and POST /staff/login, POST /staff/logout (staff_login.cc).
  site::RouteTable login_routes() const;

  // The name of the session cookie.
  static constexpr const char* kCookie = "bp_staff";

 private:
  std::int64_t now() const;
  // The client as bp/site/client.h sees it with the trusted proxies.
  site::Client client(const httplib::Request& req) const { return site::client_of(req, options_.trusted_proxies); }
  // The principal of the request's session cookie, if it is live; the
  // store's error (Io) when it cannot say.
  Result<std::optional<Principal>> session_principal(const httplib::Request& req) const;
  // An Italian page with `title` and `text`; `retry_after` (seconds), when
  // given, as the Retry-After header.
  void send_message_page(httplib::Response& res, int status, const std::string& title, const std::string& text,
                         const std::string& retry_after = "") const;
  void get_login(const httplib::Request& req, httplib::Response& res) const;
  void post_login(const httplib::Request& req, httplib::Response& res) const;
  void post_logout(const Principal& who, const httplib::Request& req, httplib::Response& res) const;
  // Whether the failed logins in the window, of `target` (an account's
  // address, or the digest of an unknown one) or from the request's
  // address, reach the limits. `password_changed_at` (the account's, UTC
  // ISO): the account's failures before it do not count, so a password an
  // admin has just reset opens at once.
  Result<bool> throttled(const std::string& target, const httplib::Request& req,
                         const std::string& password_changed_at = "") const;
  void render_login(httplib::Response& res, int status, const std::string& email, const std::string& next,
                    const std::string& error, bool logged_out = false, bool password_changed = false) const;

  AccountStore& accounts_;
  const site::Pages& pages_;
  const PasswordHasher& hasher_;
  RateLimiter& api_failures_;
  GuardOptions options_;
  mutable std::atomic<std::int64_t> legacy_warned_at_{0};  // last deprecation warning
};

// The CSRF token of a session: derived from its id, so it is stored nowhere
// and only the session's holder can know it.
std::string csrf_token_for(const std::string& session_id);

// `next` when it is a path under /staff (no scheme, host or "//"), else
// "/staff/": where to go after logging in.
std::string safe_next(const std::string& next);

}  // namespace bp::registration
