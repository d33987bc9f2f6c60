// The one guard of the staff's routes: every page under /staff/ and every
// route under /api/admin/, of any module, is built by StaffGuard::page or
// StaffGuard::api, which wrap the handler in the checks below and record the
// admitted roles in the route (site::Route::roles) for the authorisation
// test. Other modules get the guard from registration::Module::staff_guard()
// (the contribution workflow's editor pages, issue 11).
//
// Pages (cookie session, see login in staff_login.cc):
//   no live session          → 303 to /staff/login?dopo=<path> (GET and POST)
//   role not admitted        → 403 page
//   POST without the form's CSRF token (field "csrf") → 403 page, nothing runs
// API (Authorization: Bearer <personal API token>, or the shared
// BP_ADMIN_TOKEN, which keeps working and logs a deprecation warning once an
// account exists):
//   no or wrong token        → 401 JSON (failures throttled per address: 429)
//   role not admitted        → 403 JSON
// Every answer is Cache-Control: no-store, Referrer-Policy: no-referrer,
// noindex, and cannot be framed.
#pragma once

#include <httplib.h>

#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "bp/registration/account_store.h"
#include "bp/site/pages.h"
#include "bp/site/route.h"

namespace bp::registration {

// Who is calling a guarded route.
struct Principal {
  std::int64_t account_id = 0;  // 0: the shared BP_ADMIN_TOKEN
  std::string email;            // the account's, or "BP_ADMIN_TOKEN"
  Role role = Role::kStaff;
  bool by_session = false;      // a browser session (pages) or a bearer token (API)
  std::string csrf_token;       // pages: the value forms carry in the field "csrf"
  std::string session_hash;     // pages: the session (hex SHA-256 of its id)
  std::string address;          // the client's address
};

// The kRole* bit of `role`.
unsigned role_bit(Role role);

using StaffHandler = std::function<void(const Principal&, const httplib::Request&, httplib::Response&)>;

class StaffGuard {
 public:
  virtual ~StaffGuard() = default;

  // A page route (pattern under /staff/) admitting `roles` (kRole* bits).
  virtual site::Route page(site::Method method, std::string pattern, std::string label, unsigned roles,
                           StaffHandler handler) const = 0;
  // An API route (pattern under /api/admin/) admitting `roles`.
  virtual site::Route api(site::Method method, std::string pattern, std::string label, unsigned roles,
                          StaffHandler handler) const = 0;

  // Adds a line to the audit log: `who` did `action` on `target` from the
  // request's address. Never pass a password, token or session id. A
  // failure to write is logged on stderr, not thrown.
  virtual void record(const Principal& who, const httplib::Request& req, const std::string& action,
                      const std::string& target, const std::string& details = "") const = 0;

  // What check_own_password() found.
  enum class PasswordCheck { kRight, kWrong, kThrottled };
  // Checks `password` against the signed-in account's own, under the login
  // form's throttle: a wrong one counts as a failed login of the account
  // and from its address, and beyond the limit the answer is kThrottled
  // whatever the password (a stolen session cannot guess the password it
  // would need to keep the account). The shared token has no password:
  // kWrong.
  virtual PasswordCheck check_own_password(const Principal& who, const httplib::Request& req,
                                           const std::string& password) const = 0;

  // Renders a staff page: template `name` with `view` plus what every staff
  // page needs (the navigation for `who`'s role, the CSRF token as "csrf",
  // the account's e-mail), in the site's layout, answered with status 200.
  virtual void send_page(const Principal& who, httplib::Response& res, const std::string& name,
                         const std::string& title, nlohmann::json view, int status = 200) const = 0;
};

}  // namespace bp::registration
