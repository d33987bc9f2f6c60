// One route of a module's route table: method, pattern, metrics label,
// privacy and handler. Each module (search, registration, and later ones)
// exposes one table; the server mounts the tables and derives metrics labels,
// log redaction, cache headers and 405 answers from them, so no list of
// prefixes lives anywhere else.
#pragma once

#include <httplib.h>

#include <cstddef>
#include <functional>
#include <string>
#include <vector>

namespace bp::site {

enum class Method { kGet, kPost };

// kPrivate: the path or query may carry a personal code or a token. Such a
// request is logged as its label only (never its path or query), answered
// with Cache-Control: no-store, Referrer-Policy: no-referrer and
// X-Robots-Tag: noindex.
enum class Access { kPublic, kPrivate };

using Handler = std::function<void(const httplib::Request&, httplib::Response&)>;

// The staff roles a route admits, as bits (kRoleStaff | kRoleAdmin, …); 0 is
// a route that needs no login. Routes with roles are built by the staff
// guard (bp/registration/staff_guard.h), which wraps their handler in the
// login, role and CSRF checks; the authorisation test walks the tables and
// checks every /staff/ and /api/admin/ route against its roles.
inline constexpr unsigned kRoleStaff = 1u, kRoleEditor = 2u, kRoleAdmin = 4u;
// Who may do what, named once: the registration desk (staff), the library's
// editorial work (editors), and every staff account (the dashboard, logout).
// Admins are in every set.
inline constexpr unsigned kDeskRoles = kRoleStaff | kRoleAdmin;
inline constexpr unsigned kEditorialRoles = kRoleEditor | kRoleAdmin;
inline constexpr unsigned kAnyStaffRole = kRoleStaff | kRoleEditor | kRoleAdmin;

struct Route {
  Method method = Method::kGet;
  // ECMAScript regex matched against the whole decoded path, as cpp-httplib
  // matches it; capture groups reach the handler as req.matches.
  std::string pattern;
  // The metrics label and the logged target of private routes: a pattern
  // such as "/api/practices/:slug", never a raw path.
  std::string label;
  Access access = Access::kPublic;
  Handler handler;
  unsigned roles = 0;  // kRole* bits; 0: no login
  // Largest request body this route takes (a POST that uploads a file); 0
  // keeps the server's limit. A larger declared body is refused with 413
  // before it is read, with `too_large` as the Italian message ("" for the
  // server's generic one).
  std::size_t max_body_bytes = 0;
  std::string too_large = {};
};

using RouteTable = std::vector<Route>;

// "GET" or "POST".
const char* method_name(Method method);

}  // namespace bp::site
