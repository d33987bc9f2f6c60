#include "bp/site/respond.h"

#include <nlohmann/json.hpp>

namespace bp::site {

void send_json(httplib::Response& res, int status, const nlohmann::json& body,
               const char* cache_control) {
  res.status = status;
  res.set_header("Cache-Control", cache_control);
  res.set_content(body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace), kJsonType);
}

void send_error(httplib::Response& res, int status, std::string_view code,
                std::string_view message) {
  send_json(res, status, {{"error", code}, {"message", message}});
}

void send_html(httplib::Response& res, int status, std::string html, const char* cache_control) {
  res.status = status;
  if (!res.has_header("Cache-Control")) res.set_header("Cache-Control", cache_control);
  res.set_content(std::move(html), kHtmlType);
}

bool is_api_path(std::string_view path) { return path.starts_with("/api/") || path == "/api"; }

}  // namespace bp::site
