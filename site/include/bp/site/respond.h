// The answers every module sends: JSON with one content type and one error
// shape, and HTML pages. Handlers call these instead of set_content.
#pragma once

#include <httplib.h>

#include <nlohmann/json_fwd.hpp>
#include <string>
#include <string_view>

namespace bp::site {

inline constexpr const char* kJsonType = "application/json; charset=utf-8";
inline constexpr const char* kHtmlType = "text/html; charset=utf-8";

// `body` serialised (invalid UTF-8 replaced, never thrown on) with status and
// Cache-Control (every JSON answer carries one; "no-store" unless the route
// says otherwise).
void send_json(httplib::Response& res, int status, const nlohmann::json& body,
               const char* cache_control = "no-store");

// The documented error shape: {"error": code, "message": message}, with the
// message in Italian for people.
void send_error(httplib::Response& res, int status, std::string_view code,
                std::string_view message);

// A rendered page.
void send_html(httplib::Response& res, int status, std::string html,
               const char* cache_control = "no-cache");

// True for paths under /api/ (JSON answers), false for pages.
bool is_api_path(std::string_view path);

}  // namespace bp::site
