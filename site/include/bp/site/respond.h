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

// `value` as compact JSON text, exactly as value.dump(-1, ' ', false,
// error_handler_t::replace) writes it (invalid UTF-8 replaced by U+FFFD,
// never thrown on), but several times faster on answers made mostly of
// text: nlohmann's serialiser decodes every byte of every string (about 100
// instructions a byte, 1.3 M instructions for a 12 KB search answer);
// here a string that needs no escape (valid UTF-8 without control
// characters, quotes or backslashes) is checked and copied as it is.
std::string json_text(const nlohmann::json& value);

// `body` serialised (json_text()) with status and
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
